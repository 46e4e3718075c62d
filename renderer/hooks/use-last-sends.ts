import { useCallback, useEffect, useState } from 'react';
import type { LastSend } from '../../shared/contract';
import { useKurier, useKurierEvent } from './use-kurier';

/**
 * The last send of each document (by document id), following sends made in other windows: after each
 * export, each outbox progress, a change of the database in use, and when the user comes back to the window. `reload` asks again.
 */
export function useLastSends(): { readonly sends: ReadonlyMap<number, LastSend>; readonly reload: () => void } {
  const kurier = useKurier();
  const [sends, setSends] = useState<ReadonlyMap<number, LastSend>>(new Map());
  const reload = useCallback(() => {
    void kurier.documents.lastSends().then((result) => {
      if (result.ok) setSends(new Map(result.value.map((send) => [send.documentId, send])));
    });
  }, [kurier]);
  useKurierEvent('export:progressed', (progress) => {
    if (progress.stage === 'done') reload();
  });
  useKurierEvent('outbox:progressed', reload);
  // Another database in use (the office PostgreSQL, or this desk's file again): other sends to show.
  useKurierEvent('database:changed', reload);
  useEffect(() => {
    window.addEventListener('focus', reload);
    return () => {
      window.removeEventListener('focus', reload);
    };
  }, [reload]);
  return { sends, reload };
}
