import type { ExportOutcome } from '../../shared/contract';
import { formatDateTime } from '../../shared/i18n/formats';
import { AttachByHand } from '../components/AttachByHand';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { openWindow } from '../open-window';

/** What an export did: the saved file, and the e-mail copy's own outcome (sent, handed off, queued, failed). */
export function ExportResult(props: { readonly outcome: ExportOutcome }) {
  const { t, language } = useI18n();
  const { filePath, mail } = props.outcome;
  return (
    <>
      <div className="notice notice-success" role="status" data-testid="export-saved">
        <p>{t('export.saved', { path: filePath })}</p>
        {mail?.ok === true && !mail.handedOff && <p data-testid="mail-sent">{t('export.mailSent', { to: mail.to })}</p>}
        {mail?.ok === true && mail.handedOff && (
          <>
            <p data-testid="mail-handed-off">
              {mail.handedOff.sent
                ? t('export.sentThrough', { route: t(`export.routes.${mail.handedOff.route}`), to: mail.to })
                : t(`export.handedOff.${mail.handedOff.route}`, { to: mail.to })}
            </p>
            {mail.handedOff.notes.map((note) => (
              <p key={note} className="warning">
                {t(`export.notes.${note}`)}
              </p>
            ))}
            {mail.handedOff.notes.some(
              (note) => note === 'noAttachments' || note === 'attachmentsLost' || note === 'attachmentUncertain',
            ) &&
              mail.handedOff.attachmentPath !== null && <AttachByHand path={mail.handedOff.attachmentPath} />}
          </>
        )}
      </div>
      {mail?.ok === false && mail.pending && (
        <ErrorNotice
          error={mail.error}
          title={
            mail.pending.retryAt === null
              ? t('export.mailQueued', { to: mail.to })
              : t('export.mailPending', { to: mail.to, time: formatDateTime(mail.pending.retryAt, language) })
          }
        />
      )}
      {mail?.ok === false && mail.uncertain && (
        <ErrorNotice error={mail.error} title={t('export.mailUncertain', { to: mail.to })} />
      )}
      {mail?.ok === false && !mail.pending && !mail.uncertain && (
        <ErrorNotice
          error={mail.error}
          title={t(mail.error.code === 'outbox.cancelled' ? 'export.mailCancelled' : 'export.mailFailed', { to: mail.to })}
        />
      )}
      {mail?.ok === false && (mail.pending ?? mail.uncertain) && (
        <button type="button" onClick={() => void openWindow({ window: 'history' })}>
          {t('outbox.openHistory')}
        </button>
      )}
    </>
  );
}
