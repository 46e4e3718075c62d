import { useCallback, useEffect, useState } from 'react';
import type { BatchProgress } from '../../shared/outbox';
import { useKurier, useKurierEvent } from './use-kurier';

/**
 * The batches main reports (active ones and those of the last day), kept current by progress events;
 * `refresh` asks again (after starting a batch).
 */
export function useBatchProgress(): { readonly batches: readonly BatchProgress[]; readonly refresh: () => Promise<void> } {
  const kurier = useKurier();
  const [batches, setBatches] = useState<readonly BatchProgress[]>([]);
  const refresh = useCallback(async () => {
    const result = await kurier.outbox.batches();
    if (result.ok) setBatches(result.value);
  }, [kurier]);
  useEffect(() => {
    void kurier.outbox.batches().then((result) => {
      if (result.ok) setBatches(result.value);
    });
  }, [kurier]);
  useKurierEvent('outbox:progressed', (progress) => {
    // A single copy (export dialog) or a notification is one message of the history, not a batch.
    if (progress.kind !== 'send' && progress.kind !== 'testToMe') return;
    setBatches((current) =>
      [progress, ...current.filter((batch) => batch.batchId !== progress.batchId)].sort((a, b) => b.batchId - a.batchId),
    );
  });
  return { batches, refresh };
}
