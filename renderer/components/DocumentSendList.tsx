import type { DocumentSend } from '../../shared/contract';
import { useI18n } from '../hooks/use-i18n';

/** The copies of one document that went out by e-mail (or are on their way), newest first. */
export function DocumentSendList(props: { readonly sends: readonly DocumentSend[] }) {
  const { t, language } = useI18n();
  if (props.sends.length === 0) return null;
  const time = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <section aria-labelledby="document-sends-title" data-testid="document-sends">
      <h2 id="document-sends-title">{t('export.sendsTitle')}</h2>
      <ul>
        {props.sends.map((send) => (
          <li key={send.messageId} data-status={send.status}>
            {t('export.sendsItem', {
              time: time.format(send.at),
              to: send.recipient,
              status: t(`history.status.${send.status}`),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
