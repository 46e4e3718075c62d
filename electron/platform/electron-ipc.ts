/**
 * The one place that touches ipcMain: every contract channel is handled through `dispatch`, after
 * checking that the call comes from our own page in the top frame of a window we created.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channels, type EventName } from '../../shared/contract';
import { dispatch, type Handlers } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';
import { appOrigin } from './window-security';

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  if (!URL.canParse(frame.url) || new URL(frame.url).origin !== appOrigin) return false;
  return BrowserWindow.fromWebContents(event.sender) !== null;
}

/** Registers every channel. */
export function serveIpc(handlers: Handlers, logger: Logger): void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        logger.warn('untrustedSender', { channel, url: event.senderFrame?.url ?? '' });
        return { ok: false, error: { code: 'input.invalid', details: { _: 'untrustedSender' } } };
      }
      return dispatch(handlers, channel, input, logger);
    });
  }
}

/** Sends an event to every open window. */
export function broadcast(event: EventName, payload: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(event, payload);
}
