/**
 * A client of the web shell over real HTTP and WebSocket connections, as a browser would be one: it
 * opens the start URL, keeps the cookie it gets, reads the socket token from the redirect's fragment,
 * and calls over the RPC socket.
 */
import { request } from 'node:http';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';

/** What a browser holds after opening the start URL. */
export interface WebShellSession {
  readonly origin: string;
  /** `kurier-<port>=…`, as the browser sends it back. */
  readonly cookie: string;
  /** The Set-Cookie header as received. */
  readonly setCookie: string;
  /** The redirect's Location. */
  readonly location: string;
  /** The subprotocols the page offers: `kurier` and `kurier.<socket token>`. */
  readonly protocols: readonly string[];
}

/** Opens `startUrl` without following the redirect, the way the page then finds its secrets. */
export async function openStartUrl(startUrl: string): Promise<WebShellSession> {
  const response = await fetch(startUrl, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const location = response.headers.get('location') ?? '';
  const fragment = location.includes('#') ? location.slice(location.indexOf('#') + 1) : '';
  return {
    origin: new URL(startUrl).origin,
    cookie: setCookie.split(';')[0] ?? '',
    setCookie,
    location,
    protocols: fragment === '' ? ['kurier'] : ['kurier', fragment],
  };
}

/** The answer to a GET whose path and headers were sent byte for byte. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * A GET with the path sent byte for byte: fetch would normalise `/../` away before it left the client,
 * and it does not let the caller choose the Host header.
 */
export function rawGet(origin: string, rawPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET', headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => {
      req.destroy(new Error(`GET ${rawPath} timed out`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the RPC socket; resolves with it when open, rejects with the HTTP status when refused. */
export function connect(
  origin: string,
  headers: { origin?: string; cookie?: string; protocols?: readonly string[] },
): Promise<WebSocket> {
  const url = `${origin.replace(/^http/, 'ws')}/rpc`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, [...(headers.protocols ?? [])], {
      handshakeTimeout: 5_000,
      ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
      ...(headers.cookie !== undefined ? { headers: { cookie: headers.cookie } } : {}),
    });
    socket.once('open', () => {
      onTestFinished(() => {
        socket.terminate();
      });
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      reject(new Error(`refused with ${response.statusCode ?? 0}`));
    });
    socket.once('error', reject);
  });
}

/** Opens the RPC socket as the page of `session` does. */
export function connectAs(session: WebShellSession): Promise<WebSocket> {
  return connect(session.origin, { origin: session.origin, cookie: session.cookie, protocols: session.protocols });
}

/** Sends one frame (a call object, or raw text/bytes) and resolves with the frame answering `id`. */
export function call(socket: WebSocket, frame: unknown, id: number): Promise<{ id: number; result: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('no answer'));
    }, 5_000);
    const onMessage = (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      const answer = JSON.parse(text) as { id: number; result: unknown };
      if (answer.id !== id) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(answer);
    };
    socket.on('message', onMessage);
    socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  });
}

/** Resolves with the close code once `socket` closes. */
export function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    socket.once('close', (code) => {
      resolve(code);
    });
  });
}
