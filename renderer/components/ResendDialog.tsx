import { useEffect, useId, useRef } from 'react';
import type { ErrorDetails } from '../../shared/errors';
import { formatDateTime } from '../../shared/i18n/formats';
import { useI18n } from '../hooks/use-i18n';

/** What main said about the earlier copy (`export.alreadySent` details). */
export interface EarlierSend {
  readonly to: string;
  readonly at: number;
  readonly status: string;
}

/** The details of an `export.alreadySent` error, or null when they do not describe an earlier copy. */
export function earlierSend(details: ErrorDetails): EarlierSend | null {
  const { to, at, status } = details;
  return typeof to === 'string' && typeof at === 'number' && typeof status === 'string' ? { to, at, status } : null;
}

/**
 * Asks before the same document goes to the same address again, naming when and how the earlier copy
 * went. A modal <dialog>: focus starts on "Don't send", Esc answers no, and focus goes back where it was.
 */
export function ResendDialog(props: {
  readonly number: string;
  readonly earlier: EarlierSend;
  readonly onAnswer: (send: boolean) => void;
  /** Where focus goes when the question closes (the button that asked). */
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const { t, language } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The latest handler, without reopening the dialog whenever the parent renders.
  const answer = useRef(props.onAnswer);
  useEffect(() => {
    answer.current = props.onAnswer;
  });
  const onAnswer = (send: boolean) => {
    answer.current(send);
  };
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnFocus = props.returnFocus;
    dialog.showModal();
    const cancelled = (event: Event) => {
      event.preventDefault();
      answer.current(false);
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
      returnFocus.current?.focus();
    };
  }, [props.returnFocus]);
  const { to, at, status } = props.earlier;
  const time = formatDateTime(at, language);
  const waiting = status === 'queued' || status === 'retry' || status === 'sending';
  const text = waiting
    ? t('export.confirmWaiting', { to, time })
    : status === 'uncertain'
      ? t('export.confirmUncertain', { to, time })
      : t('export.confirmSent', { to, time });
  return (
    <dialog ref={ref} aria-labelledby={titleId} data-testid="resend-dialog">
      <h2 id={titleId}>{t('export.confirmTitle', { number: props.number, to })}</h2>
      <p>{text}</p>
      <div className="actions">
        {/* Focus starts on the safe answer (the first focusable element of a modal dialog). */}
        <button
          type="button"
          onClick={() => {
            onAnswer(false);
          }}
        >
          {t('export.confirmDont')}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => {
            onAnswer(true);
          }}
        >
          {waiting ? t('export.confirmTryNow') : t('export.confirmSendAgain')}
        </button>
      </div>
    </dialog>
  );
}
