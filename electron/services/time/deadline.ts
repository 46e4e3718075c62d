/**
 * The one timeout helper of the services: the connection test's waits, the SPF lookups, the SMTP
 * session's watchdog, the TLS probe, detection's steps and the office preferences file's reads all bound
 * their work with it (it sits in the lowest layer so every room may use it). (Issue 18 found five hand-rolled copies that
 * differed in whether a late rejection was left unhandled and whether an abort was cleaned up.)
 */

/** What {@link withDeadline} does when time runs out or the caller aborts. */
export interface DeadlineOptions {
  /** Ends the wait at once with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Runs when time is up (cancel what is still under way) and returns the error to reject with. */
  readonly onTimeout: () => Error;
  /** Runs when `signal` aborts, before the wait rejects. */
  readonly onAbort?: () => void;
}

/**
 * Waits for `work` at most `ms`. Rejects with `onTimeout()` when time runs out and with the signal's
 * reason when it aborts; a rejection of `work` after either is swallowed (nobody waits for it any more).
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, options: DeadlineOptions): Promise<T> {
  const { signal } = options;
  work.catch(() => undefined);
  signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(options.onTimeout());
    }, ms);
    onAbort = (): void => {
      options.onAbort?.();
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
