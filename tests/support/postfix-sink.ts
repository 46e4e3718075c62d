/**
 * Postfix's test programs on 127.0.0.1: `smtp-sink` (an SMTP server that accepts everything and throws it
 * away, plain SMTP, no TLS, no AUTH needed) and `smtp-source` (a parallel SMTP load generator, the
 * practical ceiling of a client). Both run with argv arrays, never through a shell.
 *
 * smtp-sink refuses to run as root without `-u user` ("-u option is required if running as root"): it
 * opens the socket, then drops to that user; as root we pass `-u nobody`, as anyone else nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export const smtpSinkPath = '/usr/sbin/smtp-sink';
export const smtpSourcePath = '/usr/sbin/smtp-source';

/** Whether both Postfix programs are installed. */
export const postfixToolsAvailable = existsSync(smtpSinkPath) && existsSync(smtpSourcePath);

/** A running smtp-sink. */
export interface SmtpSink {
  readonly port: number;
  /** The smtp-sink process (the benchmark reads its CPU time from /proc). */
  readonly pid: number | undefined;
  /** Stops it (SIGTERM to its own pid) and waits for it to exit. Safe to call twice. */
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; smtp-sink takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Resolves once a connection to `port` gets an SMTP greeting; retries until `timeoutMs`. */
async function waitForGreeting(port: number, process: ChildProcess, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`smtp-sink exited with ${String(process.exitCode)}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(1_000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => {
        resolve(false);
      });
      socket.once('data', (chunk: Buffer) => {
        socket.end('QUIT\r\n');
        resolve(chunk.toString('latin1').startsWith('220'));
      });
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error(`smtp-sink on port ${String(port)} never greeted`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts smtp-sink on a free port of 127.0.0.1 (backlog 256). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const child = spawn(smtpSinkPath, [...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${String(port)}`, '256'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  try {
    await waitForGreeting(port, child);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${stderr}`);
  }
  return {
    port,
    pid: child.pid,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What one smtp-source run did. */
export interface SourceRun {
  readonly seconds: number;
  readonly messages: number;
}

/**
 * Sends `messages` messages of `payloadBytes` over `sessions` parallel sessions with smtp-source. With
 * `reuse` (-d) each session keeps its connection for the next message, as Kurier's outbox does; without
 * it every message opens a new connection. Throws when smtp-source fails.
 */
export function runSmtpSource(options: {
  port: number;
  sessions: number;
  messages: number;
  payloadBytes: number;
  reuse: boolean;
}): Promise<SourceRun> {
  const args = [
    '-s',
    String(options.sessions),
    '-m',
    String(options.messages),
    '-l',
    String(options.payloadBytes),
    ...(options.reuse ? ['-d'] : []),
    '-M',
    'kurier.example',
    '-f',
    'ucetni@kancelar.example',
    '-t',
    'klient@example.test',
    `127.0.0.1:${String(options.port)}`,
  ];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(smtpSourcePath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve({ seconds, messages: options.messages });
      else reject(new Error(`smtp-source exited with ${String(code)}: ${stderr}`));
    });
  });
}
