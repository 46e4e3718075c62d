/**
 * The renderer build as static files. Only regular files reached through real folders inside the root
 * are served: a symlink anywhere below the root (a link to `~/.ssh/id_ed25519` dropped into the build
 * folder) is refused like a missing file, and the file is opened with O_NOFOLLOW so a link swapped in
 * after the check is refused by the kernel.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../../shared/security';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Answers a plain-text refusal that is never cached. */
export function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

/** Serves the files under `root` (its real path is taken once, so a root under a linked /tmp still works). */
export function staticFiles(root: string): (pathname: string, response: ServerResponse) => Promise<void> {
  const realRoot = realpath(path.resolve(root));
  return async (pathname, response) => {
    const filePath = await resolveInside(await realRoot, pathname);
    const handle = filePath === null ? null : await open(filePath, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
    const info: Stats | null = handle === null ? null : await handle.stat().catch(() => null);
    if (handle === null || filePath === null || !info?.isFile()) {
      await handle?.close();
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
    handle.createReadStream().pipe(response);
  };
}

/**
 * The file `pathname` names under `root`, or null when it leaves the root, does not exist, or any part
 * of it below the root is a symlink (its real path then differs from the path asked for).
 */
async function resolveInside(root: string, pathname: string): Promise<string | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    // Malformed percent-encoding (`/%E0%A4%A`) names no file; without this it surfaced as a 500.
    return null;
  }
  const filePath = path.resolve(root, `.${relative}`);
  if (!filePath.startsWith(root + path.sep)) return null;
  const real = await realpath(filePath).catch(() => null);
  return real === filePath ? filePath : null;
}
