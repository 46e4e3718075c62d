/**
 * Creates Kurier's windows. Each window kind opens once; asking again focuses it.
 */
import { BrowserWindow, dialog } from 'electron';
import type { Translate } from '../../shared/i18n';
import { windowSize } from '../../shared/window-sizes';
import { windowQuery, type WindowSpec } from '../../shared/window-query';
import { appOrigin, secureWebPreferences } from './window-security';

const open = new Map<string, BrowserWindow>();

/** Opens (or focuses) a window and returns its URL. */
export async function openAppWindow(spec: WindowSpec, preloadPath: string, translate?: () => Translate): Promise<string> {
  const url = `${appOrigin}/index.html${windowQuery(spec)}`;
  const existing = open.get(url);
  if (existing && !existing.isDestroyed()) {
    existing.focus();
    return url;
  }
  // useContentSize: the page gets exactly this size (the frame and menu bar come on top), as the tests assume.
  const window = new BrowserWindow({
    ...windowSize(spec.window),
    useContentSize: true,
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  // A window with unsaved changes (preferences) cancels its unload; Electron would then silently keep
  // it open, so the user is asked here, in their language, whether to leave without saving.
  window.webContents.on('will-prevent-unload', (event) => {
    const t = translate?.();
    if (!t) return;
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: [t('prefs.leaveStay'), t('prefs.leaveDiscard')],
      defaultId: 0,
      cancelId: 0,
      title: t('prefs.leaveTitle'),
      message: t('prefs.leaveTitle'),
      detail: t('prefs.leaveText'),
    });
    if (choice === 1) event.preventDefault();
  });
  open.set(url, window);
  window.on('closed', () => open.delete(url));
  window.once('ready-to-show', () => {
    window.show();
  });
  await window.loadURL(url);
  return url;
}

/**
 * The native picker for what to import (ISDOC, .isdocx, PDF, KSeF XML, partner CSV): several files, or
 * one folder (Windows and Linux cannot offer both in one dialog, so the window has a button for each).
 */
export async function chooseImportFiles(folder: boolean): Promise<string[]> {
  const parent = BrowserWindow.getFocusedWindow();
  const options = folder
    ? { properties: ['openDirectory'] as 'openDirectory'[] }
    : {
        properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
        filters: [{ name: 'ISDOC, KSeF, PDF, CSV', extensions: ['isdoc', 'isdocx', 'xml', 'pdf', 'csv'] }],
      };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** The native file picker for files to add to an e-mail copy; several at once. */
export async function chooseAttachmentFiles(): Promise<string[]> {
  const parent = BrowserWindow.getFocusedWindow();
  const options = { properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** The native folder picker. */
export async function chooseFolder(defaultPath: string): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow();
  const options = { defaultPath, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
