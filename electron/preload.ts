/**
 * The preload: exposes exactly one frozen object, `window.kurier`, built from the contract. No
 * Electron object reaches the page; listeners get the payload only and an unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createKurierApi } from '../shared/api';
import type { Result } from '../shared/errors';

const api = createKurierApi(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  (event, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => {
      listener(payload);
    };
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('kurier', api);
