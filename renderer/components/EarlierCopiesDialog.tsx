import { useEffect, useId, useRef } from 'react';
import { formatDateTime } from '../../shared/i18n/formats';
import type { EarlierCopy } from '../../shared/outbox';
import { sendRoutes, type SendRoute } from '../../shared/prefs';
import { useI18n } from '../hooks/use-i18n';

/** The user's answer: leave those documents out, send them anyway, or start nothing. */
export type EarlierCopiesAnswer = 'skip' | 'send' | null;

const isSendRoute = (route: string): route is SendRoute => (sendRoutes as readonly string[]).includes(route);

/**
 * Asks before a batch sends documents that already went to the same addresses (or are on their way),
 * naming each one with who sent it, from which computer, when and how — the bulk counterpart of the
 * export dialog's ResendDialog. A modal <dialog>: focus starts on "Skip", Esc starts nothing, and focus
 * goes back to the button that asked.
 */
export function EarlierCopiesDialog(props: {
  readonly earlier: readonly EarlierCopy[];
  /** The answer is being carried out: the buttons wait. */
  readonly busy: boolean;
  readonly onAnswer: (answer: EarlierCopiesAnswer) => void;
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const { t, language } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const introId = useId();
  // The latest handler, without reopening the dialog whenever the parent renders.
  const answer = useRef(props.onAnswer);
  useEffect(() => {
    answer.current = props.onAnswer;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnFocus = props.returnFocus;
    dialog.showModal();
    const cancelled = (event: Event) => {
      event.preventDefault();
      answer.current(null);
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
      returnFocus.current?.focus();
    };
  }, [props.returnFocus]);
  const count = props.earlier.length;
  const line = (copy: EarlierCopy) => {
    const values = {
      number: copy.documentNumber,
      to: copy.recipient,
      time: formatDateTime(copy.at, language),
      who: copy.queuedByUser !== '' ? copy.queuedByUser : t('bulk.earlier.unknownUser'),
      desk: copy.queuedByDesk !== '' ? copy.queuedByDesk : t('bulk.earlier.unknownDesk'),
      route: isSendRoute(copy.route) ? t(`prefs.routes.${copy.route}`) : copy.route,
    };
    if (copy.status === 'queued' || copy.status === 'retry' || copy.status === 'sending')
      return t('bulk.earlier.waiting', values);
    return copy.status === 'uncertain' ? t('bulk.earlier.uncertain', values) : t('bulk.earlier.sent', values);
  };
  return (
    <dialog ref={ref} aria-labelledby={titleId} aria-describedby={introId} data-testid="earlier-copies-dialog">
      <h2 id={titleId}>{t('bulk.earlier.title', { count })}</h2>
      <p id={introId}>{t('bulk.earlier.intro')}</p>
      <ul data-testid="earlier-copies">
        {props.earlier.map((copy) => (
          <li key={`${String(copy.documentId)} ${copy.recipient}`}>{line(copy)}</li>
        ))}
      </ul>
      <div className="actions">
        {/* Focus starts on the safe answer (the first focusable element of a modal dialog). */}
        <button
          type="button"
          className="primary"
          disabled={props.busy}
          onClick={() => {
            answer.current('skip');
          }}
        >
          {t('bulk.earlier.skip', { count })}
        </button>
        <button
          type="button"
          disabled={props.busy}
          onClick={() => {
            answer.current('send');
          }}
        >
          {t('bulk.earlier.sendAnyway')}
        </button>
        <button
          type="button"
          onClick={() => {
            answer.current(null);
          }}
        >
          {t('bulk.earlier.dont')}
        </button>
      </div>
    </dialog>
  );
}
