/**
 * One scoped, structured logger. Lines are JSON, one per event, appended to a file in the logs folder
 * (rotated when it grows past a limit). A redaction pass removes anything named like a secret and every
 * message body before a line is written, so a log can be sent to support as it is.
 */
import { appendFile, rename, stat } from 'node:fs/promises';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A scoped logger. */
export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-scope (`smtp` → `smtp.verify`). */
  child(scope: string): Logger;
}

/** Where log lines go. */
export type LogSink = (line: string) => void;

const secretName = /pass(word)?|token|secret|authorization|cookie|credential|^auth$|^body$|^text$|^html$/i;
const maxFileBytes = 5 * 1024 * 1024;

/** Returns a copy of `value` with secrets and message bodies replaced by `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown; responseCode?: unknown; command?: unknown };
    return redact(
      { name: error.name, message: error.message, code: error.code, responseCode: error.responseCode, command: error.command },
      depth + 1,
    );
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, secretName.test(key) ? '[redacted]' : redact(inner, depth + 1)]),
    );
  }
  return value;
}

/** Creates a logger writing JSON lines to `sink`, scoped to `scope`. */
export function createLogger(scope: string, sink: LogSink, clock: () => Date = () => new Date()): Logger {
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    sink(
      JSON.stringify({
        ...renameReserved(redact(fields) as Record<string, unknown>),
        time: clock().toISOString(),
        level,
        scope,
        event,
      }),
    );
  };
  return {
    debug: (event, fields) => {
      write('debug', event, fields);
    },
    info: (event, fields) => {
      write('info', event, fields);
    },
    warn: (event, fields) => {
      write('warn', event, fields);
    },
    error: (event, fields) => {
      write('error', event, fields);
    },
    child: (sub) => createLogger(`${scope}.${sub}`, sink, clock),
  };
}

/**
 * A sink appending to `filePath`, rotating to `<file>.1` past 5 MB. Writes are serialised on one
 * promise chain, so lines never interleave and a failed write never throws into the caller.
 */
export function fileSink(filePath: string): LogSink {
  let chain: Promise<void> = Promise.resolve();
  return (line) => {
    chain = chain
      .then(async () => {
        const size = await stat(filePath).then(
          (s) => s.size,
          () => 0,
        );
        if (size > maxFileBytes) await rename(filePath, `${filePath}.1`);
        await appendFile(filePath, `${line}\n`, { encoding: 'utf8', mode: 0o600 });
      })
      .catch(() => undefined);
  };
}

/** A sink that drops everything (tests that do not look at logs). */
export const nullSink: LogSink = () => undefined;

// An event's own field named like a line's key (an account `scope`, say) must not overwrite the logger's:
// it is kept as `field.<name>`.
const reservedKeys = new Set(['time', 'level', 'scope', 'event']);

function renameReserved(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [reservedKeys.has(key) ? `field.${key}` : key, value]));
}
