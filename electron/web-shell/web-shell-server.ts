/**
 * The web shell: the renderer build and the same handler table, served on 127.0.0.1 over HTTP and a
 * WebSocket. It is how Kurier runs where the Electron runtime cannot be had, and how end-to-end tests
 * drive the real UI against the real services.
 *
 * Guards: loopback only; a random per-run token required on every request (exchanged once from the
 * start URL for an HttpOnly SameSite=Strict cookie); the Host header must be ours (DNS rebinding); the
 * WebSocket Origin must be ours (cross-site pages cannot call in); static paths cannot leave the root.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { contentSecurityPolicy } from '../../shared/security';
import type { EventName } from '../../shared/contract';
import type { Handlers } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';
import { maxFrameBytes, serveCalls } from './rpc-socket';

/** A running web shell. */
export interface WebShell {
  /** The URL to open: carries the token once; the server swaps it for a cookie. */
  readonly url: string;
  readonly origin: string;
  broadcast(event: EventName, payload: unknown): void;
  close(): Promise<void>;
}

const cookieName = 'kurier-token';
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Starts the web shell on 127.0.0.1 (`port` 0 picks a free one). */
export async function startWebShell(options: {
  readonly handlers: Handlers;
  readonly staticDir: string;
  readonly logger: Logger;
  readonly port?: number;
}): Promise<WebShell> {
  const token = randomBytes(32).toString('base64url');
  const root = path.resolve(options.staticDir);
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
      url.searchParams.delete('token');
      response.writeHead(303, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
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
    await serveStatic(root, url.pathname, response);
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

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    // Malformed percent-encoding (`/%E0%A4%A`) names no file; without this it surfaced as a 500.
    refuse(response, 404, 'Not found.');
    return;
  }
  const filePath = path.resolve(root, `.${relative}`);
  const info = filePath === root || filePath.startsWith(root + path.sep) ? await stat(filePath).catch(() => null) : null;
  if (!info?.isFile()) {
    refuse(response, 404, 'Not found.');
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[path.extname(filePath)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  createReadStream(filePath).pipe(response);
}
