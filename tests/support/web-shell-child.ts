/**
 * A web shell in its own process, composed as electron/web-shell/start.ts composes it (real services on
 * the given folders, secrets in memory), printing `URL <start url>` when it listens. A test sends it
 * hostile frames and checks the process is still alive; an uncaught exception ends it with a stack on
 * stderr.
 *
 * argv: dataDir machinePrefsDir staticDir [officeTimeoutMs] — the last: how long the start-up read of
 * the office file may take (5 s by default, as in the app).
 */
import path from 'node:path';
import { windowQuery } from '../../shared/window-query';
import { createHandlers } from '../../electron/ipc/handlers';
import { createAppServices } from '../../electron/services/app-services';
import { nullSink } from '../../electron/services/logging/logger';
import { readOfficeAtStart } from '../../electron/services/prefs/office-file';
import { startWebShell } from '../../electron/web-shell/web-shell-server';
import { MemorySecretStore } from './memory-secret-store';

const [dataDir = '', machinePrefsDir = '', staticDir = '', officeTimeoutMs] = process.argv.slice(2);
const officeStart = await readOfficeAtStart({
  dataDir,
  machinePrefsDir,
  env: {},
  ...(officeTimeoutMs === undefined ? {} : { timeoutMs: Number(officeTimeoutMs) }),
});
const services = createAppServices({
  dataDir,
  officeStart,
  fontDir: path.resolve(import.meta.dirname, '..', '..', 'build', 'fonts'),
  defaultExportFolder: path.join(dataDir, 'export'),
  documentsDir: path.join(dataDir, 'Documents'),
  secrets: new MemorySecretStore(),
  logSink: nullSink,
  machinePrefsDir,
  env: {},
  emit: () => undefined,
});
const shell = await startWebShell({
  handlers: createHandlers(services, {
    kind: 'web',
    version: '0.0.0-test',
    systemLanguage: 'en',
    chooseFolder: () => Promise.resolve({ supported: false, path: null }),
    openWindow: (spec) => Promise.resolve({ opened: false, url: windowQuery(spec) }),
    openExternal: () => Promise.resolve(false),
    revealFile: () => Promise.resolve(false),
  }),
  staticDir,
  logger: services.logger,
});
process.stdout.write(`URL ${shell.url}\n`);
process.on('SIGTERM', () => {
  void shell
    .close()
    .then(() => services.close())
    .finally(() => process.exit(0));
});
