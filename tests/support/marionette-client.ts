/**
 * A minimal Marionette client (the remote protocol of Gecko: Firefox, Thunderbird) for tests, with no
 * dependencies beyond node:net. It only ever connects to 127.0.0.1.
 *
 * Wire format: every packet is `<byte length>:<json>`, the length counting the UTF-8 bytes of the JSON.
 * The server speaks first with a hello (`{"applicationType":"gecko","marionetteProtocol":3}`); then
 * commands go out as `[0, id, name, params]` and replies come back as `[1, id, error | null, result]`.
 */
import net from 'node:net';

/** The error object of a Marionette reply. */
export interface MarionetteErrorBody {
  readonly error: string;
  readonly message: string;
  readonly stacktrace?: string;
}

/** A command the server answered with an error; `error` is the WebDriver error code, e.g. `no such alert`. */
export class MarionetteError extends Error {
  readonly error: string;
  readonly remoteStacktrace: string | undefined;

  constructor(command: string, body: MarionetteErrorBody) {
    super(`${command}: ${body.error}: ${body.message}`);
    this.name = 'MarionetteError';
    this.error = body.error;
    this.remoteStacktrace = body.stacktrace;
  }
}

/** Whether `error` is a Marionette error with the WebDriver code `code`. */
export function isMarionetteError(error: unknown, code: string): error is MarionetteError {
  return error instanceof MarionetteError && error.error === code;
}

interface Pending {
  readonly name: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface HelloWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorBody(value: unknown): MarionetteErrorBody {
  if (!isRecord(value)) return { error: 'unknown error', message: JSON.stringify(value) };
  const body: MarionetteErrorBody = {
    error: typeof value.error === 'string' ? value.error : 'unknown error',
    message: typeof value.message === 'string' ? value.message : '',
  };
  return typeof value.stacktrace === 'string' ? { ...body, stacktrace: value.stacktrace } : body;
}

/** The `value` member of a result, as WebDriver wraps most results. */
function unwrapValue(result: unknown): unknown {
  return isRecord(result) ? result.value : undefined;
}

/** One connection to a Marionette server. */
export class MarionetteClient {
  readonly #socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #helloWaiter: HelloWaiter | null = null;
  #closedError: Error | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    socket.on('error', (error) => {
      this.#fail(error);
    });
    socket.on('close', () => {
      this.#fail(new Error('marionette: connection closed'));
    });
  }

  /** Connects to 127.0.0.1:`port` and resolves once the server's hello has arrived. */
  static connect(port: number, timeoutMs = 10_000): Promise<MarionetteClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const client = new MarionetteClient(socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`marionette: no hello from 127.0.0.1:${String(port)} within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      client.#helloWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve(client);
        },
        reject: (error) => {
          clearTimeout(timer);
          socket.destroy();
          reject(error);
        },
      };
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isSafeInteger(length) || length < 0) {
        this.#fail(new Error('marionette: malformed packet header'));
        this.#socket.destroy();
        return;
      }
      if (this.#buffer.length < colon + 1 + length) return;
      const json = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(colon + 1 + length);
      let message: unknown;
      try {
        message = JSON.parse(json) as unknown;
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        this.#socket.destroy();
        return;
      }
      this.#dispatch(message);
    }
  }

  #dispatch(message: unknown): void {
    if (!Array.isArray(message)) {
      // The hello packet.
      this.#helloWaiter?.resolve();
      this.#helloWaiter = null;
      return;
    }
    const [type, id, error, result] = message as unknown[];
    if (type !== 1 || typeof id !== 'number') return; // the server never sends us commands
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error !== null && error !== undefined) pending.reject(new MarionetteError(pending.name, errorBody(error)));
    else pending.resolve(result);
  }

  #fail(error: Error): void {
    if (this.#closedError !== null) return;
    this.#closedError = error;
    this.#helloWaiter?.reject(error);
    this.#helloWaiter = null;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  /** Sends one command and resolves with its result, or rejects with a {@link MarionetteError}. */
  command(name: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<unknown> {
    if (this.#closedError !== null) return Promise.reject(this.#closedError);
    const id = this.#nextId++;
    const json = JSON.stringify([0, id, name, params]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`marionette: ${name} got no answer within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.#pending.set(id, { name, resolve, reject, timer });
      this.#socket.write(`${String(Buffer.byteLength(json, 'utf8'))}:${json}`, 'utf8');
    });
  }

  /**
   * Starts a session. Marionette takes the capabilities as the flat parameter object; the W3C
   * `{capabilities: {alwaysMatch}}` wrapper is silently ignored. In Thunderbird this waits for the
   * main window.
   */
  async newSession(capabilities: Record<string, unknown> = {}, timeoutMs = 90_000): Promise<void> {
    await this.command('WebDriver:NewSession', capabilities, timeoutMs);
  }

  /** `chrome` (privileged; needs `--remote-allow-system-access`) or `content`. */
  async setContext(context: 'chrome' | 'content'): Promise<void> {
    await this.command('Marionette:SetContext', { value: context });
  }

  /** Runs `script` as a function body with `arguments` = `args`; resolves with what it returns. */
  async executeScript(script: string, args: readonly unknown[] = [], timeoutMs = 30_000): Promise<unknown> {
    return unwrapValue(await this.command('WebDriver:ExecuteScript', { script, args }, timeoutMs));
  }

  /** The text of the open modal prompt; rejects with `no such alert` when there is none. */
  async getAlertText(): Promise<string> {
    const value = unwrapValue(await this.command('WebDriver:GetAlertText'));
    return typeof value === 'string' ? value : String(value);
  }

  async acceptAlert(): Promise<void> {
    await this.command('WebDriver:AcceptAlert');
  }

  /**
   * Quits the application (`eForceQuit` by default: no "save changes?" prompts) and closes the
   * connection. Needs a session.
   */
  async quit(flags: readonly string[] = ['eForceQuit'], timeoutMs = 60_000): Promise<void> {
    try {
      await this.command('Marionette:Quit', { flags }, timeoutMs);
    } finally {
      this.close();
    }
  }

  /** Closes the connection (the application keeps running). */
  close(): void {
    this.#socket.destroy();
  }
}
