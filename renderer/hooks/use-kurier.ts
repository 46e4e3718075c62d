/**
 * Components reach the main process only through hooks (lint: no-restricted-imports in eslint.config.js):
 * {@link useKurier} for a call, {@link useKurierEvent} for an event. The API object itself lives in
 * renderer/kurier.ts, which plain modules (open-pdf, import-files…) may still import.
 */
import { useEffect, useEffectEvent } from 'react';
import type { KurierApi } from '../../shared/api';
import type { EventName } from '../../shared/channels';
import type { PayloadOf } from '../../shared/contract';
import { kurier } from '../kurier';

/** The API of the main process (the same object for the window's whole life). */
export function useKurier(): KurierApi {
  return kurier;
}

/**
 * Calls `listener` for every `event` main sends while the component is mounted. The listener always
 * sees the component's current state; the subscription itself is made once.
 */
export function useKurierEvent<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): void {
  const api = useKurier();
  const onEvent = useEffectEvent(listener);
  useEffect(
    () =>
      api.on(event, (payload) => {
        onEvent(payload);
      }),
    [api, event],
  );
}
