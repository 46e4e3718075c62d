/**
 * Creates Kurier's windows. Each window kind opens once; asking again focuses it.
 */
import { BrowserWindow, dialog } from 'electron';
import { windowQuery, type WindowSpec } from '../../shared/window-query';
import { appOrigin, secureWebPreferences } from './window-security';

const open = new Map<string, BrowserWindow>();

/** Opens (or focuses) a window and returns its URL. */
export async function openAppWindow(spec: WindowSpec, preloadPath: string): Promise<string> {
  const url = `${appOrigin}/index.html${windowQuery(spec)}`;
  const existing = open.get(url);
  if (existing && !existing.isDestroyed()) {
    existing.focus();
    return url;
  }
  const size = spec.window === 'documents' ? { width: 1100, height: 720 } : { width: 720, height: 820 };
  const window = new BrowserWindow({ ...size, show: false, webPreferences: secureWebPreferences(preloadPath) });
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

/** The native folder picker. */
export async function chooseFolder(defaultPath: string): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow();
  const options = { defaultPath, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
