/**
 * The one-shot redirect listener of a desktop sign-in (RFC 8252 §7.3): an HTTP server on 127.0.0.1 at
 * a port the system picks, waiting for the browser to come back from the consent page. It takes the
 * first request to its path, answers it with the page the caller writes, and closes — after one
 * redirect, a timeout or a cancel, whichever comes first. Other paths (a browser's favicon request)
 * get a 404 and do not count.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The query of the redirect, and a way to answer the waiting browser tab. */
export interface RedirectArrival {
  readonly query: URLSearchParams;
  /** Sends the page and closes the listener. */
  respond(status: number, html: string): void;
}

/** A listener waiting for one redirect. */
export interface LoopbackRedirect {
  readonly redirectUri: string;
  /** Resolves with the redirect; rejects with `reason` on timeout or close. */
  readonly arrival: Promise<RedirectArrival>;
  /** Stops waiting; a pending `arrival` rejects with `reason`. */
  close(reason: Error): void;
}

/** Starts listening on 127.0.0.1; `timeoutMs` later it gives up with `timeoutError()`. */
export async function listenForRedirect(options: { timeoutMs: number; timeoutError: () => Error }): Promise<LoopbackRedirect> {
  const path = '/';
  let settle: { resolve: (arrival: RedirectArrival) => void; reject: (error: Error) => void } | null = null;
  const arrival = new Promise<RedirectArrival>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be waiting when a cancel or timeout rejects it: that is not an unhandled failure.
  arrival.catch(() => undefined);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== path || settle === null) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const { resolve } = settle;
    settle = null;
    clearTimeout(timer);
    resolve({
      query: url.searchParams,
      respond(status, html) {
        response
          .writeHead(status, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
            'referrer-policy': 'no-referrer',
            connection: 'close',
          })
          .end(html);
        server.close();
      },
    });
  });
  const close = (reason: Error) => {
    clearTimeout(timer);
    settle?.reject(reason);
    settle = null;
    server.close();
    server.closeAllConnections();
  };
  const timer = setTimeout(() => {
    close(options.timeoutError());
  }, options.timeoutMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${String(port)}${path}`, arrival, close };
}
