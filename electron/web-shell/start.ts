/**
 * Entry point of the web shell (`npm start` falls back to it when the Electron runtime is missing).
 * Composes the same services as main.ts and serves them on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageForLocale } from '../../shared/i18n';
import { windowQuery } from '../../shared/window-query';
import { createHandlers, type ShellAdapter } from '../ipc/handlers';
import { createAppServices } from '../services/app-services';
import { nodeMapiHelperRunner } from '../services/handoff/mapi-runner';
import { defaultExportFolder, userDataDir } from '../services/data/locations';
import { fileSink } from '../services/logging/logger';
import { readOfficeAtStart } from '../services/prefs/office-file';
import { machinePrefsDir } from '../services/prefs/prefs-files';
import { KeytarSecretStore } from '../services/secrets/keytar-secret-store';
import { startWebShell, type WebShell } from './web-shell-server';

const here = path.dirname(fileURLToPath(import.meta.url));
// Built layout: out/main/web-shell.js beside out/renderer; fonts in build/fonts of the checkout.
const appRoot = path.resolve(here, '..', '..');
const dataDir = userDataDir();
// Events can only reach the shell once it listens; until then they are dropped (nothing is open yet).
const running: { shell?: WebShell } = {};

const prefsDir = machinePrefsDir(process.platform, process.env);
// Within a deadline: an office share that hangs must not keep the shell from starting.
const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir: prefsDir, env: process.env });
const services = createAppServices({
  dataDir,
  officeStart,
  fontDir: path.join(appRoot, 'build', 'fonts'),
  renderWorkerUrl: new URL('./render-worker.js', import.meta.url),
  defaultExportFolder: defaultExportFolder(),
  secrets: new KeytarSecretStore(),
  machinePrefsDir: prefsDir,
  logSink: fileSink(path.join(dataDir, 'kurier.log')),
  // Plain Node: the Simple MAPI helper is a child process of this same runtime.
  handoff: { mapiRunner: nodeMapiHelperRunner({ helperPath: path.join(here, 'mapi-helper.js') }) },
  emit: (event, payload) => {
    running.shell?.broadcast(event, payload);
  },
});

const adapter: ShellAdapter = {
  kind: 'web',
  version: process.env.npm_package_version ?? '0.0.0',
  systemLanguage: languageForLocale(Intl.DateTimeFormat().resolvedOptions().locale),
  chooseFolder: () => Promise.resolve({ supported: false, path: null }),
  openWindow: (spec) => Promise.resolve({ opened: false, url: windowQuery(spec) }),
  // The browser showing Kurier opens allowed addresses itself (a new tab).
  openExternal: () => Promise.resolve(false),
  revealFile: () => Promise.resolve(false),
};

const staticDir = path.join(appRoot, 'out', 'renderer');
if (!existsSync(path.join(staticDir, 'index.html'))) {
  process.stderr.write('The UI is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
const shell = await startWebShell({
  handlers: createHandlers(services, adapter),
  staticDir,
  logger: services.logger,
  port: Number(process.env.KURIER_PORT ?? 0),
});
running.shell = shell;
process.stdout.write(`Kurier is running in the web shell. Open this address in your browser:\n\n  ${shell.url}\n\n`);
process.stdout.write(`Data folder: ${dataDir}\nPress Ctrl+C to stop.\n`);

const stop = () => {
  // Messages in flight finish first; what is still queued is sent on the next start.
  void shell
    .close()
    .then(() => services.close())
    .finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
