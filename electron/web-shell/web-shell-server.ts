/**
 * The web shell: the renderer build and the same handler table, served on 127.0.0.1 over HTTP and a
 * WebSocket. It is how Kurier runs where the Electron runtime cannot be had, and how end-to-end tests
 * drive the real UI against the real services.
 *
 * Guards: loopback only; the Host header must be ours (DNS rebinding). The start URL carries a random
 * per-run start token; the server swaps it for two other secrets and redirects to `/` (always `/`, so
 * the exchange cannot be turned into an open redirect):
 * - a session cookie named after the port (`kurier-<port>`), HttpOnly, SameSite=Strict, required on
 *   every request. Browsers send cookies to every port of a host, so the cookie alone must not open
 *   the WebSocket: a program listening on another port of 127.0.0.1 receives it;
 * - a socket token, handed to the page in the redirect's fragment (never sent to any server), kept in
 *   the origin's localStorage (which, unlike cookies, is per port) and required in the WebSocket
 *   handshake as the subprotocol `kurier.<token>`. The WebSocket Origin must also be ours.
 * Static files are served only from real folders inside the root (no symlinks); see static-files.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type { EventName } from '../../shared/contract';
import { socketProtocol, socketTokenProtocol } from '../../shared/security';
import type { Handlers } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';
import { maxFrameBytes, serveCalls } from './rpc-socket';
import { refuse, staticFiles } from './static-files';

/** A running web shell. */
export interface WebShell {
  /** The URL to open: carries the start token once; the server swaps it for the session secrets. */
  readonly url: string;
  readonly origin: string;
  broadcast(event: EventName, payload: unknown): void;
  close(): Promise<void>;
}

/** Starts the web shell on 127.0.0.1 (`port` 0 picks a free one). */
export async function startWebShell(options: {
  readonly handlers: Handlers;
  readonly staticDir: string;
  readonly logger: Logger;
  readonly port?: number;
}): Promise<WebShell> {
  const startToken = newToken();
  const sessionToken = newToken();
  const socketToken = newToken();
  const serveStatic = staticFiles(options.staticDir);
  const log = options.logger.child('webShell');
  let origin = '';
  let cookieName = '';

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      log.error('httpFailed', { error });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== new URL(origin).host) {
      refuse(response, 421, 'Wrong host.');
      return;
    }
    const offered = url.searchParams.get('token');
    if (offered !== null && safeEqual(offered, startToken)) {
      // Always `/`: the request's own path could be `/.//evil.example`, which parses to the path
      // `//evil.example`, a protocol-relative address of another host (an open redirect).
      response.writeHead(303, {
        'Set-Cookie': `${cookieName}=${sessionToken}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `/#${socketTokenProtocol(socketToken)}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      response.end();
      return;
    }
    if (!hasCookie(request, cookieName, sessionToken)) {
      refuse(response, 403, 'Open Kurier with the link printed in the terminal.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Method not allowed.');
      return;
    }
    await serveStatic(url.pathname, response);
  }

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    // The token subprotocol was checked at the upgrade; the answer names only the plain one.
    handleProtocols: (protocols) => (protocols.has(socketProtocol) ? socketProtocol : false),
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const allowed =
      url.pathname === '/rpc' &&
      request.headers.host === new URL(origin).host &&
      request.headers.origin === origin &&
      hasCookie(request, cookieName, sessionToken) &&
      offersProtocol(request, socketTokenProtocol(socketToken));
    if (!allowed) {
      log.warn('upgradeRefused', { origin: request.headers.origin ?? '', path: url.pathname });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      serveCalls(ws, options.handlers, log);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('web shell has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  cookieName = `kurier-${address.port}`;

  return {
    url: `${origin}/?token=${startToken}`,
    origin,
    broadcast(event, payload) {
      const frame = JSON.stringify({ event, payload });
      for (const client of sockets.clients) client.send(frame);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function hasCookie(request: IncomingMessage, name: string, token: string): boolean {
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name && safeEqual(value.join('='), token)) return true;
  }
  return false;
}

function offersProtocol(request: IncomingMessage, expected: string): boolean {
  const offered = request.headers['sec-websocket-protocol'] ?? '';
  return offered.split(',').some((protocol) => safeEqual(protocol.trim(), expected));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
