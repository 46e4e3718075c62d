import type { DocumentSend } from '../../shared/contract';
import { formatDateTime } from '../../shared/i18n/formats';
import { useI18n } from '../hooks/use-i18n';

/** The copies of one document that went out by e-mail (or are on their way), newest first. */
export function DocumentSendList(props: { readonly sends: readonly DocumentSend[] }) {
  const { t, language } = useI18n();
  if (props.sends.length === 0) return null;
  return (
    <section aria-labelledby="document-sends-title" data-testid="document-sends">
      <h2 id="document-sends-title">{t('export.sendsTitle')}</h2>
      <ul>
        {props.sends.map((send) => (
          <li key={send.messageId} data-status={send.status}>
            {t('export.sendsItem', {
              time: formatDateTime(send.at, language),
              to: send.recipient,
              status: t(`history.status.${send.status}`),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
