/**
 * The only module that reads `window.kurier`. In Electron the preload put it there; in the web shell
 * there is no preload, so the same API is built over the shell's WebSocket.
 */
import type { KurierApi } from '../shared/api';
import { createWebShellApi } from './web-shell-bridge';

declare global {
  interface Window {
    readonly kurier?: KurierApi;
  }
}

/** The API of the main process. */
export const kurier: KurierApi = window.kurier ?? createWebShellApi(window.location);
