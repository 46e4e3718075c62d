/**
 * `window.kurier` for the web shell: the contract's API over a same-origin WebSocket. The shell's
 * cookie alone does not open the socket (browsers send cookies to every port of 127.0.0.1): the
 * handshake must also offer the socket token as the subprotocol `kurier.<token>`. The token arrives once,
 * in the fragment of the address the start URL redirects to, and is kept in this origin's localStorage,
 * which — unlike a cookie — belongs to this port alone and is shared with the tabs the app opens.
 * Calls made before the socket opens wait for it.
 */
import { createKurierApi, type KurierApi } from '../shared/api';
import type { EventName } from '../shared/channels';
import type { Result } from '../shared/errors';
import { socketProtocol } from '../shared/security';

const storageKey = 'kurier.socketProtocol';

/** The token subprotocol from the address's fragment (then removed from the address), else the stored one. */
function socketTokenProtocol(location: Location): string | null {
  const fromFragment = location.hash.slice(1);
  if (fromFragment.startsWith(`${socketProtocol}.`)) {
    localStorage.setItem(storageKey, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
    return fromFragment;
  }
  return localStorage.getItem(storageKey);
}

/** Builds the API over `ws://<host>/rpc`. */
export function createWebShellApi(location: Location): KurierApi {
  const tokenProtocol = socketTokenProtocol(location);
  const socket = new WebSocket(
    `ws://${location.host}/rpc`,
    tokenProtocol === null ? [socketProtocol] : [socketProtocol, tokenProtocol],
  );
  const opened = new Promise<void>((resolve) => {
    socket.addEventListener(
      'open',
      () => {
        resolve();
      },
      { once: true },
    );
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const frame = JSON.parse(message.data) as { id?: number; result?: Result<unknown>; event?: EventName; payload?: unknown };
    if (frame.event !== undefined) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    } else if (frame.id !== undefined && frame.result !== undefined) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'internal.unexpected', details: {} } });
    pending.clear();
  });

  return createKurierApi(
    async (channel, input) => {
      await opened;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
      });
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  );
}
