import { formatDateTime } from '../../shared/i18n/formats';
import type { EarlierCopy } from '../../shared/outbox';
import { sendRoutes, type SendRoute } from '../../shared/prefs';
import { useI18n } from '../hooks/use-i18n';
import { ModalDialog } from './ModalDialog';

/** The user's answer: leave those documents out, send them anyway, or start nothing. */
export type EarlierCopiesAnswer = 'skip' | 'send' | null;

const isSendRoute = (route: string): route is SendRoute => (sendRoutes as readonly string[]).includes(route);

/**
 * Asks before a batch sends documents that already went to the same addresses (or are on their way),
 * naming each one with who sent it, from which computer, when and how — the bulk counterpart of the
 * export dialog's ResendDialog. In the modal frame: focus starts on "Skip", Esc starts nothing, and focus
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
    <ModalDialog
      title={t('bulk.earlier.title', { count })}
      description={t('bulk.earlier.intro')}
      testId="earlier-copies-dialog"
      returnFocus={props.returnFocus}
      onCancel={() => {
        props.onAnswer(null);
      }}
      actions={
        <>
          {/* Focus starts on the safe answer (the first focusable element of a modal dialog). */}
          <button
            type="button"
            className="primary"
            disabled={props.busy}
            onClick={() => {
              props.onAnswer('skip');
            }}
          >
            {t('bulk.earlier.skip', { count })}
          </button>
          <button
            type="button"
            disabled={props.busy}
            onClick={() => {
              props.onAnswer('send');
            }}
          >
            {t('bulk.earlier.sendAnyway')}
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAnswer(null);
            }}
          >
            {t('bulk.earlier.dont')}
          </button>
        </>
      }
    >
      <ul data-testid="earlier-copies">
        {props.earlier.map((copy) => (
          <li key={`${String(copy.documentId)} ${copy.recipient}`}>{line(copy)}</li>
        ))}
      </ul>
    </ModalDialog>
  );
}
