/**
 * The message phase of an SMTP connection, spoken directly on its socket once nodemailer has connected,
 * secured and logged in (smtp-session.ts hands the socket over). nodemailer pushes every message
 * through a per-byte JavaScript transform (dot-stuffing and line-end repair) and a stream pipeline; the
 * outbox composes each message as one Buffer with CRLF line ends (mime-message.ts), so here it is written
 * with one native search for the lines to stuff.
 *
 * Errors carry nodemailer's fields and wording (`code`, `command`, `response`, `responseCode`), so
 * classifySmtpError and dispositionOf decide exactly as they did for nodemailer's own errors.
 */
import type { Socket } from 'node:net';

/** An error shaped as nodemailer shapes its own. */
export interface SmtpWireError extends Error {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
}

/** nodemailer's `_formatError`: `message: response`, the reply code parsed from the response. */
export function smtpError(message: string | Error, code: string, response: string | false, command: string): SmtpWireError {
  const error: SmtpWireError = typeof message === 'string' ? new Error(message) : message;
  if (error.code !== undefined && error.code !== code && error.originalCode === undefined) error.originalCode = error.code;
  error.code = code;
  if (response) {
    error.response = response;
    error.message += `: ${response}`;
    const responseCode = Number(/^\d+/.exec(response)?.[0] ?? 0);
    if (responseCode) error.responseCode = responseCode;
  }
  error.command = command;
  return error;
}

const LF_DOT = Buffer.from('\n.', 'latin1');
const DOT = Buffer.from('.', 'latin1');
const END_OF_DATA = Buffer.from('.\r\n', 'latin1');
const CRLF_END_OF_DATA = Buffer.from('\r\n.\r\n', 'latin1');
/** A reply longer than this is no reply (nodemailer's limit). */
const maxReplyBytes = 1024 * 1024;
/** How long a closed connection waits for the server to close its side (nodemailer's CLOSE_TIMEOUT). */
const closeTimeoutMs = 5_000;

/**
 * SMTP transparency (RFC 5321 §4.5.2): a line that starts with a dot gets one more. Returns `data`
 * itself when no line does (the usual case: base64 never contains a dot).
 */
export function dotStuffed(data: Buffer): Buffer {
  const leading = data.length > 0 && data[0] === 0x2e;
  let at = data.indexOf(LF_DOT);
  if (at < 0 && !leading) return data;
  const parts: Buffer[] = leading ? [DOT] : [];
  let from = 0;
  while (at >= 0) {
    parts.push(data.subarray(from, at + 1), DOT);
    from = at + 1;
    at = data.indexOf(LF_DOT, from);
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}

/** Replies from the server, in order, and the writes to it. */
export class SmtpWire {
  readonly #socket: Socket;
  readonly #extensions: ReadonlySet<string>;
  /** Complete replies not taken yet (pipelined commands answer several at once). */
  readonly #replies: string[] = [];
  #waiter: { resolve: (reply: string) => void; reject: (error: Error) => void } | null = null;
  /** The bytes of the reply line not complete yet, and the lines of a multi-line reply so far. */
  #partial = '';
  #lines: string[] = [];
  /** Set once the connection cannot go on; every later read fails with it. */
  #error: Error | null = null;
  /** A transaction is under way: a reply now is expected. Outside one, any reply ends the connection. */
  busy = false;

  /**
   * Takes over `socket`: registers its own listeners (the caller removes the previous reader's).
   * `extensions` are the EHLO keywords, upper case.
   */
  constructor(socket: Socket, extensions: readonly string[]) {
    this.#socket = socket;
    this.#extensions = new Set(extensions.map((keyword) => keyword.toUpperCase()));
    socket.on('data', (chunk: Buffer) => { this.#onData(chunk); });
    socket.on('error', (error: Error) => { this.#fail(smtpError(error, 'ESOCKET', false, 'CONN')); });
    socket.on('timeout', () => {
      this.#fail(smtpError('Timeout', 'ETIMEDOUT', false, 'CONN'));
      this.close();
    });
    // The server closed its side: close ours too; 'close' then reports it.
    socket.on('end', () => { if (!socket.destroyed) socket.end(); });
    socket.on('close', () => {
      // An unterminated last line is the server's reply only when it looks like a failure (as in nodemailer).
      const last = decodeReply(this.#partial.trim());
      this.#fail(smtpError('Connection closed unexpectedly', 'ECONNECTION', /^[45]\d{2}[ -]/.test(last) ? last : false, 'CONN'));
    });
  }

  /** Whether the server announced `keyword` (PIPELINING, SMTPUTF8, …). */
  supports(keyword: string): boolean {
    return this.#extensions.has(keyword);
  }

  /** Whether the connection can still carry a transaction. */
  get open(): boolean {
    return this.#error === null && !this.#socket.destroyed;
  }

  /** Writes commands (each already ending with CRLF). */
  write(commands: string): void {
    this.#socket.write(commands, 'utf8');
  }

  /**
   * Writes a message's data, dot-stuffed, the line with the single dot that ends it, and `then` (the
   * next envelope's commands, or nothing) — in one write.
   */
  writeData(data: Buffer, then: string): void {
    const endsWithLineBreak = data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a;
    this.#socket.cork();
    this.#socket.write(dotStuffed(data));
    this.#socket.write(endsWithLineBreak ? END_OF_DATA : CRLF_END_OF_DATA);
    if (then !== '') this.#socket.write(then, 'utf8');
    this.#socket.uncork();
  }

  /** The next reply (all its lines, joined by LF, as nodemailer reports them). */
  reply(): Promise<string> {
    const next = this.#replies.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Ends the connection now with `error` (the watchdog): the pending read fails with it. */
  abort(error: Error): void {
    this.#fail(error);
    this.close();
  }

  /** Says QUIT and closes our side. */
  quit(): void {
    if (this.open) this.#socket.write('QUIT\r\n');
    this.close();
  }

  /** Closes our side; the socket is destroyed if the server does not close its side soon. */
  close(): void {
    this.#fail(smtpError('Connection closed', 'ECONNECTION', false, 'CONN'));
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.setTimeout(0);
    socket.end();
    const timer = setTimeout(() => socket.destroy(), closeTimeoutMs);
    timer.unref();
    socket.once('close', () => { clearTimeout(timer); });
  }

  #onData(chunk: Buffer): void {
    if (this.#error) return;
    let text = this.#partial + chunk.toString('latin1');
    let lineEnd = text.indexOf('\n');
    while (lineEnd >= 0) {
      const line = text.slice(0, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
      text = text.slice(lineEnd + 1);
      this.#onLine(line);
      lineEnd = text.indexOf('\n');
    }
    this.#partial = text;
    if (text.length > maxReplyBytes) this.#fail(smtpError('Server response exceeds maximum allowed size', 'EPROTOCOL', false, 'CONN'));
  }

  #onLine(line: string): void {
    // Stray empty lines are no reply (nodemailer skips them too).
    if (line.trim() === '' && this.#lines.length === 0) return;
    this.#lines.push(line);
    // "250-…" continues the reply; "250 …" or a bare "250" ends it.
    if (/^\d+-/.test(line)) {
      if (this.#lines.reduce((size, l) => size + l.length, 0) > maxReplyBytes) {
        this.#fail(smtpError('Server response exceeds maximum allowed size', 'EPROTOCOL', false, 'CONN'));
      }
      return;
    }
    const reply = decodeReply(this.#lines.join('\n'));
    this.#lines = [];
    if (!this.busy) {
      // Nothing was asked: a 421 before an idle timeout, or a server out of step. Either way this
      // connection is done; the next message takes a new one.
      this.#fail(smtpError('Unexpected Response', 'EPROTOCOL', reply, 'CONN'));
      this.close();
      return;
    }
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter.resolve(reply);
    } else {
      this.#replies.push(reply);
    }
  }

  #fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.reject(error);
  }
}

/** A reply's bytes as UTF-8 when they are valid UTF-8, else as they came (nodemailer's decodeServerResponse). */
function decodeReply(raw: string): string {
  if (!/[\x80-\xff]/.test(raw)) return raw;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? raw : utf8;
}
