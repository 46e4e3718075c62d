// A stand-in for the `electron` module, for running the built main.js under plain Node (the Electron
// runtime is not installed on build machines). It reports `app.isPackaged = true`, turns `app.exit` and
// `app.quit` into process exits, and records every other use of Electron — a window made, the
// single-instance lock taken, a handler registered — as one line in the file ELECTRON_STUB_LOG names, so a
// test can tell which path main took. Nothing here does what Electron would: `whenReady` never resolves.
import { appendFileSync } from 'node:fs';

function record(name) {
  if (process.env.ELECTRON_STUB_LOG) appendFileSync(process.env.ELECTRON_STUB_LOG, `${name}\n`);
}

/** Any property is another recorder; calling or constructing one records its name. */
function recorder(name, overrides = {}) {
  return new Proxy(function electronStub() {}, {
    get(_target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      if (typeof property === 'symbol' || property === 'then') return undefined;
      return recorder(`${name}.${property}`);
    },
    apply(_target, _this, args) {
      record(`${name}(${args.filter((arg) => typeof arg === 'string').join(', ')})`);
      return undefined;
    },
    construct() {
      record(`new ${name}`);
      return recorder(`${name}#instance`);
    },
  });
}

export const app = recorder('app', {
  isPackaged: true,
  dock: undefined,
  exit: (code = 0) => process.exit(code),
  quit: () => process.exit(0),
  whenReady: () => {
    record('app.whenReady');
    return new Promise(() => undefined);
  },
  requestSingleInstanceLock: () => {
    record('app.requestSingleInstanceLock');
    return true;
  },
});
export const BrowserWindow = recorder('BrowserWindow');
export const Notification = recorder('Notification');
export const dialog = recorder('dialog');
export const ipcMain = recorder('ipcMain');
export const net = recorder('net');
export const powerSaveBlocker = recorder('powerSaveBlocker');
export const protocol = recorder('protocol');
export const session = recorder('session');
export const shell = recorder('shell');
export const utilityProcess = recorder('utilityProcess');
