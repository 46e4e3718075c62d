import { useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { BatchProgress } from '../../shared/outbox';
import { ErrorNotice } from '../components/ErrorNotice';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { openWindow } from '../open-window';

const countKeys = ['sent', 'queued', 'retry', 'failed', 'uncertain', 'cancelled'] as const;

/**
 * One batch: counts by state, current pace, estimated finish, why it waits ("server limit reached —
 * resuming at 14:05"), and pause, resume and cancel. Announced politely as it changes.
 */
export function BatchProgressView(props: { readonly progress: BatchProgress }) {
  const { t } = useI18n();
  const format = useFormat();
  const kurier = useKurier();
  const { progress } = props;
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const time = format.dateTime;
  const { counts, waiting } = progress;
  const finished = counts.total - counts.queued - counts.retry - counts.sending;

  const control = async (action: 'pause' | 'resume' | 'cancel') => {
    setError(null);
    const result = await kurier.outbox.control({ batchId: progress.batchId, action });
    if (!result.ok) setError(result.error);
  };

  return (
    <section
      className="batch"
      aria-labelledby={`batch-${String(progress.batchId)}`}
      data-testid="batch-progress"
      data-status={progress.status}
    >
      <h2 id={`batch-${String(progress.batchId)}`}>
        {t(progress.kind === 'testToMe' ? 'outbox.batchTitleTest' : 'outbox.batchTitle', { id: progress.batchId })} –{' '}
        {t(`outbox.batchStatus.${progress.status}`)}
      </h2>
      <progress
        max={counts.total}
        value={finished}
        aria-label={t('outbox.progressLabel', { done: finished, total: counts.total })}
      />
      <ul className="counts" aria-live="polite" data-testid="batch-counts">
        {countKeys.map((key) => (
          <li key={key} data-count={key}>
            {t(`outbox.counts.${key}`, { count: counts[key] })}
          </li>
        ))}
      </ul>
      {progress.perMinute !== null && progress.status === 'running' && (
        <p className="hint">
          {t('outbox.pace', {
            perMinute: Math.round(progress.perMinute),
            ceiling: progress.ceilingPerMinute ?? progress.perMinute,
          })}
        </p>
      )}
      {progress.estimatedFinish !== null && progress.status !== 'done' && (
        <p className="hint">{t('outbox.eta', { time: time(progress.estimatedFinish) })}</p>
      )}
      <div aria-live="polite" data-testid="batch-waiting">
        {waiting && waiting.kind === 'stopped' && <ErrorNotice error={waiting.error} title={t('outbox.stopped')} />}
        {waiting && waiting.kind !== 'stopped' && (
          <p className="notice">
            {'until' in waiting
              ? t(`outbox.waiting.${waiting.kind}`, { time: time(waiting.until) })
              : t('outbox.waiting.pausedByUser')}
          </p>
        )}
      </div>
      <div className="field-row">
        {progress.status === 'running' && (
          <button type="button" onClick={() => void control('pause')}>
            {t('outbox.pause')}
          </button>
        )}
        {(progress.status === 'paused' || progress.status === 'stopped') && (
          <button type="button" onClick={() => void control('resume')}>
            {t('outbox.resume')}
          </button>
        )}
        {progress.status !== 'done' && progress.status !== 'cancelled' && (
          <button type="button" onClick={() => void control('cancel')}>
            {t('outbox.cancel')}
          </button>
        )}
        <button type="button" onClick={() => void openWindow({ window: 'history' })}>
          {t('outbox.openHistory')}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
