import type { ErrorDetails } from '../../shared/errors';
import { formatDateTime } from '../../shared/i18n/formats';
import { useI18n } from '../hooks/use-i18n';
import { ConfirmDialog } from './ConfirmDialog';

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
 * went: a {@link ConfirmDialog}, so focus starts on "Don't send", Esc answers no, and focus goes back
 * where it was.
 */
export function ResendDialog(props: {
  readonly number: string;
  readonly earlier: EarlierSend;
  readonly onAnswer: (send: boolean) => void;
  /** Where focus goes when the question closes (the button that asked). */
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const { t, language } = useI18n();
  const { to, at, status } = props.earlier;
  const time = formatDateTime(at, language);
  const waiting = status === 'queued' || status === 'retry' || status === 'sending';
  const text = waiting
    ? t('export.confirmWaiting', { to, time })
    : status === 'uncertain'
      ? t('export.confirmUncertain', { to, time })
      : t('export.confirmSent', { to, time });
  return (
    <ConfirmDialog
      title={t('export.confirmTitle', { number: props.number, to })}
      testId="resend-dialog"
      returnFocus={props.returnFocus}
      cancelLabel={t('export.confirmDont')}
      confirmLabel={waiting ? t('export.confirmTryNow') : t('export.confirmSendAgain')}
      onAnswer={props.onAnswer}
    >
      <p>{text}</p>
    </ConfirmDialog>
  );
}
