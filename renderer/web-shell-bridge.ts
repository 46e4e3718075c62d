/**
 * `window.kurier` for the web shell: the contract's API over a same-origin WebSocket. The cookie set
 * by the shell authenticates the socket; calls made before it opens wait for it.
 */
import { createKurierApi, type KurierApi } from '../shared/api';
import type { EventName } from '../shared/channels';
import type { Result } from '../shared/errors';

/** Builds the API over `ws://<host>/rpc`. */
export function createWebShellApi(location: Location): KurierApi {
  const socket = new WebSocket(`ws://${location.host}/rpc`);
  const opened = new Promise<void>((resolve) => { socket.addEventListener('open', () => { resolve(); }, { once: true }); });
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
      return () => { set.delete(listener); };
    },
  );
}
