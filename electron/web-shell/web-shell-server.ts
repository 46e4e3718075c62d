/**
 * The web shell: the renderer build and the same handler table, served on 127.0.0.1 over HTTP and a
 * WebSocket. It is how Kurier runs where the Electron runtime cannot be had, and how end-to-end tests
 * drive the real UI against the real services.
 *
 * Guards: loopback only; a random per-run token required on every request (exchanged once from the
 * start URL for an HttpOnly SameSite=Strict cookie); the Host header must be ours (DNS rebinding); the
 * WebSocket Origin must be ours (cross-site pages cannot call in); static files are served only from real
 * folders inside the root, never through a symlink (static-files.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type { EventName } from '../../shared/contract';
import type { Handlers } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';
import { maxFrameBytes, serveCalls } from './rpc-socket';
import { refuse, staticFiles } from './static-files';

/** A running web shell. */
export interface WebShell {
  /** The URL to open: carries the token once; the server swaps it for a cookie. */
  readonly url: string;
  readonly origin: string;
  broadcast(event: EventName, payload: unknown): void;
  close(): Promise<void>;
}

const cookieName = 'kurier-token';
/** Starts the web shell on 127.0.0.1 (`port` 0 picks a free one). */
export async function startWebShell(options: {
  readonly handlers: Handlers;
  readonly staticDir: string;
  readonly logger: Logger;
  readonly port?: number;
}): Promise<WebShell> {
  const token = randomBytes(32).toString('base64url');
  const serveStatic = staticFiles(options.staticDir);
  const log = options.logger.child('webShell');
  let origin = '';

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
    if (offered !== null && safeEqual(offered, token)) {
      // Always `/`: the request's own path could be `/.//evil.example`, which parses to the path
      // `//evil.example`, a protocol-relative address of another host (an open redirect).
      response.writeHead(303, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    if (!hasToken(request, token)) {
      refuse(response, 403, 'Open Kurier with the link printed in the terminal.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Method not allowed.');
      return;
    }
    await serveStatic(url.pathname, response);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const allowed =
      url.pathname === '/rpc' &&
      request.headers.host === new URL(origin).host &&
      request.headers.origin === origin &&
      hasToken(request, token);
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

  return {
    url: `${origin}/?token=${token}`,
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

function hasToken(request: IncomingMessage, token: string): boolean {
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookieName && safeEqual(value.join('='), token)) return true;
  }
  return false;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
