/**
 * The web shell serving the built renderer (`out/renderer`, built by the global setup) and the real
 * handler table over an app fixture's services, as `electron/web-shell/start.ts` composes it. Closed
 * when the test finishes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { Language } from '../../shared/domain';
import { windowQuery } from '../../shared/window-query';
import { createHandlers, type ShellAdapter } from '../../electron/ipc/handlers';
import { startWebShell, type WebShell } from '../../electron/web-shell/web-shell-server';
import type { AppFixture } from './app-fixture';

/** The renderer build the web shell serves. */
export const rendererDir = path.resolve(import.meta.dirname, '..', '..', 'out', 'renderer');

/** The web shell's adapter, with a fixed system language so tests do not depend on the machine's locale. */
export function webShellAdapter(systemLanguage: Language = 'en'): ShellAdapter {
  return {
    kind: 'web',
    version: '0.0.0-test',
    systemLanguage,
    chooseFolder: () => Promise.resolve({ supported: false, path: null }),
    openWindow: (spec) => Promise.resolve({ opened: false, url: windowQuery(spec) }),
    openExternal: () => Promise.resolve(false),
    revealFile: () => Promise.resolve(false),
  };
}

/** Starts the web shell on a free loopback port over the fixture's services (serving `staticDir`, the build by default). */
export async function startTestWebShell(
  fixture: AppFixture,
  options: { systemLanguage?: Language; staticDir?: string } = {},
): Promise<WebShell> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No renderer build in ${rendererDir}: the global setup builds it when an e2e test runs.`);
  }
  const shell = await startWebShell({
    handlers: createHandlers(fixture.services, webShellAdapter(options.systemLanguage)),
    staticDir: options.staticDir ?? rendererDir,
    logger: fixture.services.logger,
  });
  fixture.forwardEvents((event, payload) => {
    shell.broadcast(event, payload);
  });
  onTestFinished(() => shell.close());
  return shell;
}
