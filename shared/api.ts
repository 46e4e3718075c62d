/**
 * Builds the `window.kurier` object from the contract, given a transport. The Electron preload passes
 * `ipcRenderer.invoke`; the web-shell bridge passes a WebSocket call. Both therefore expose exactly the
 * same, namespaced API: `kurier.prefs.getUser()`, `kurier.export.run({...})`, `kurier.on(event, fn)`.
 */
import { channels, type Channel, type EventName } from './channels';
import type { OutputOf, PayloadOf, RawInputOf } from './contract';
import type { Result } from './errors';

/** Sends one call and resolves with its result (never rejects for a service error). */
export type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>;
/** Subscribes to an event; returns the unsubscribe function. */
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type Verb<C extends string> = C extends `${string}:${infer V}` ? V : never;

type Method<C extends Channel> =
  undefined extends RawInputOf<C> ? () => Promise<Result<OutputOf<C>>> : (input: RawInputOf<C>) => Promise<Result<OutputOf<C>>>;

/** The API the renderer sees. */
export type KurierApi = {
  readonly [N in Namespace<Channel>]: {
    readonly [C in Channel as Namespace<C> extends N ? Verb<C> : never]: Method<C>;
  };
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void) => () => void;
};

/** Creates the frozen API object over a transport. */
export function createKurierApi(invoke: Invoke, subscribe: Subscribe): KurierApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channels) {
    const [namespace = '', verb = ''] = channel.split(':');
    const group = (api[namespace] ??= {});
    group[verb] = (input?: unknown) => invoke(channel, input);
  }
  for (const group of Object.values(api)) Object.freeze(group);
  const on = (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener);
  return Object.freeze({ ...api, on }) as unknown as KurierApi;
}
