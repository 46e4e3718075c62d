/**
 * What a running batch means for the desktop: the computer must not go to sleep mid-batch (sleep breaks
 * the SMTP connections), the taskbar/dock shows the progress, and a native notification says when a
 * batch has finished or stopped and needs the user. Fed with every outbox progress event.
 */
import { BrowserWindow, Notification, powerSaveBlocker } from 'electron';
import type { Translate } from '../../shared/i18n';
import type { BatchProgress } from '../../shared/outbox';

/** Returns the listener for outbox progress events. `translate` is asked at the time of each notice. */
export function createBatchActivity(translate: () => Translate): (progress: BatchProgress) => void {
  const active = new Map<number, BatchProgress>();
  let blocker: number | null = null;

  return (progress) => {
    const before = active.get(progress.batchId);
    if (progress.status === 'running' || progress.status === 'paused') active.set(progress.batchId, progress);
    else active.delete(progress.batchId);

    const running = [...active.values()].some((batch) => batch.status === 'running');
    if (running && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (!running && blocker !== null) {
      powerSaveBlocker.stop(blocker);
      blocker = null;
    }

    const totals = [...active.values()].reduce(
      (sum, batch) => ({
        done: sum.done + batch.counts.total - batch.counts.queued - batch.counts.retry - batch.counts.sending,
        total: sum.total + batch.counts.total,
      }),
      { done: 0, total: 0 },
    );
    const fraction = totals.total === 0 ? -1 : totals.done / totals.total;
    const mode = [...active.values()].some((batch) => batch.status === 'paused') ? 'paused' : 'normal';
    for (const window of BrowserWindow.getAllWindows()) window.setProgressBar(fraction, { mode });

    const ended = before !== undefined && (progress.status === 'done' || progress.status === 'stopped');
    if (ended && Notification.isSupported()) {
      const t = translate();
      const { sent, failed, uncertain } = progress.counts;
      new Notification({
        title: t(progress.status === 'done' ? 'outbox.notifyDoneTitle' : 'outbox.notifyStoppedTitle'),
        body: t('outbox.notifyBody', { sent, failed, uncertain }),
      }).show();
    }
  };
}
