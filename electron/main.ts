/**
 * Composition root of the Electron app: lifecycle, windows, and wiring the services to IPC.
 */
import { app } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PayloadOf } from '../shared/contract';
import { createTranslator, languageForLocale } from '../shared/i18n';
import { createHandlers, type ShellAdapter } from './ipc/handlers';
import { registerAppScheme, serveRenderer } from './platform/app-protocol';
import { createBatchActivity } from './platform/batch-activity';
import { broadcast, serveIpc } from './platform/electron-ipc';
import { chooseAttachmentFiles, chooseFolder, chooseImportFiles, openAppWindow } from './platform/windows';
import { openFile, revealFile } from './platform/reveal-file';
import { installWebContentsGuards, openExternal } from './platform/window-security';
import { utilityMapiHelperRunner } from './platform/mapi-utility';
import { createAppServices, type AppServices } from './services/app-services';
import { defaultExportFolder, userDataDir } from './services/data/locations';
import { externalUrlPolicy } from './services/external-links';
import { fileSink } from './services/logging/logger';
import { readOfficeAtStart } from './services/prefs/office-file';
import { machinePrefsDir } from './services/prefs/prefs-files';
import { KeytarSecretStore } from './services/secrets/keytar-secret-store';
import { outsideAsar } from './platform/asar-unpacked';
import { runInApp } from './cli/in-app';
import { appInvocation } from './cli/invocation';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '..', 'preload', 'preload.cjs');
const rendererDir = path.join(here, '..', 'renderer');
const fontDir = app.isPackaged ? path.join(process.resourcesPath, 'fonts') : path.join(app.getAppPath(), 'build', 'fonts');

async function start(): Promise<void> {
  await app.whenReady();
  const holder: { services?: AppServices } = {};
  // Until the services exist no sign-in can be pending: only help links and mailto pass.
  installWebContentsGuards((url) =>
    externalUrlPolicy((asked) => holder.services?.oauth.isPendingAuthorizeUrl(asked) ?? false)(url),
  );
  serveRenderer(rendererDir);
  const dataDir = app.getPath('userData');
  const systemLanguage = languageForLocale(app.getLocale());
  // Notifications speak the user's language, as chosen when each one is shown.
  const translate = () => {
    const chosen = holder.services?.prefs.resolved().effective.language ?? 'system';
    return createTranslator(chosen === 'system' ? systemLanguage : chosen);
  };
  const batchActivity = createBatchActivity(translate);
  const prefsDir = machinePrefsDir(process.platform, process.env);
  // Within a deadline: an office share that hangs must not keep every window from showing.
  const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir: prefsDir, env: process.env });
  const services = createAppServices({
    dataDir,
    officeStart,
    fontDir,
    // Built beside main.js (electron.vite.config.ts); month-end batches render on every core. Packaged,
    // it runs from app.asar.unpacked: worker threads load their modules outside the archive.
    renderWorkerUrl: outsideAsar(new URL('./render-worker.js', import.meta.url)),
    defaultExportFolder: defaultExportFolder(app.getPath('documents')),
    secrets: new KeytarSecretStore(),
    machinePrefsDir: prefsDir,
    logSink: fileSink(path.join(app.getPath('logs'), 'kurier.log')),
    // The system's own folders (localised names on a Czech or Polish desktop: Dokumenty, Stažené, Pobrane).
    documentsDir: app.getPath('documents'),
    downloadsDir: app.getPath('downloads'),
    // Simple MAPI runs in a utility process of Kurier's own bitness: a crashing provider DLL ends only it.
    handoff: { mapiRunner: utilityMapiHelperRunner(path.join(here, 'mapi-helper.js')) },
    emit: (event, payload) => {
      broadcast(event, payload);
      if (event === 'outbox:progressed') batchActivity(payload as PayloadOf<'outbox:progressed'>);
    },
  });
  holder.services = services;
  const shell: ShellAdapter = {
    kind: 'electron',
    version: app.getVersion(),
    systemLanguage,
    chooseFolder: async (defaultPath) => ({ supported: true, path: await chooseFolder(defaultPath) }),
    chooseImportFiles: async (folder) => ({ supported: true, paths: await chooseImportFiles(folder) }),
    chooseAttachmentFiles: async () => ({ supported: true, paths: await chooseAttachmentFiles() }),
    openWindow: async (spec) => ({ opened: true, url: await openAppWindow(spec, preloadPath, translate) }),
    openExternal,
    revealFile,
    openFile,
  };
  serveIpc(createHandlers(services, shell), services.logger.child('ipc'));
  app.on('second-instance', () => void openAppWindow({ window: 'documents' }, preloadPath, translate));
  app.on('window-all-closed', () => {
    // Messages in flight finish first; what is still queued is sent on the next start.
    void services.close().finally(() => {
      app.quit();
    });
  });
  await openAppWindow({ window: 'documents' }, preloadPath, translate);
}

// KURIER_DATA_DIR moves the data folder, as for the web shell and the command line (its default is the
// folder Electron picks for a product named Kurier). Before the single-instance lock, which is per folder.
if (process.env.KURIER_DATA_DIR) app.setPath('userData', userDataDir());

const invocation = appInvocation(process.argv, app.isPackaged);
if (invocation.kind === 'cli') {
  // `kurier …` through the launchers in build/cli: the command line and nothing else. Before the
  // single-instance lock, so it runs beside an open Kurier (on the same data) instead of handing its
  // arguments to that window; no window, no Dock icon.
  app.dock?.hide();
  void runInApp(invocation.args, { fontDir }).then((code) => {
    app.exit(code);
  });
} else {
  registerAppScheme();
  // A second start hands over to the running Kurier (which opens its window) and exits.
  if (app.requestSingleInstanceLock()) void start();
  else app.quit();
}
