/**
 * Window hardening in one place: the only webPreferences Kurier uses, and the guards every web
 * contents gets (no navigation away from our origin, no window.open, no permissions, no webviews).
 */
import { app, session, shell, type WebPreferences } from 'electron';

/** The app's own origin: the renderer is served from `app://kurier/`. */
export const appOrigin = 'app://kurier';

/** The only webPreferences any Kurier window is created with. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: true,
  };
}

/**
 * Installs the guards; call once before the first window. `mayOpenExternal` is the external-URL policy
 * (services/external-links.ts): a `window.open` it refuses opens nothing at all.
 */
export function installWebContentsGuards(mayOpenExternal: (url: string) => boolean): void {
  app.enableSandbox();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (new URL(url).origin !== appOrigin) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (new URL(url).origin !== appOrigin) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Nothing opens in-app; only what the policy allows goes to the system browser.
      if (mayOpenExternal(url)) void openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * Opens an https or mailto URL in the system's handler; anything else is refused. Callers pass only
 * what the external-URL policy allowed (the `external:open` handler, the window-open guard).
 */
export async function openExternal(url: string): Promise<boolean> {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'mailto:') return false;
  await shell.openExternal(url);
  return true;
}
