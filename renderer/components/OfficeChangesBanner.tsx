import { useEffect, useId, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { OfficeReview } from '../../shared/office-review';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { ErrorNotice } from './ErrorNotice';

/**
 * What changed in the office preferences since this user last checked them, with the one button that
 * confirms it (sending with those values waits until then), and — in the preferences windows — who else
 * may write the file. An alert, so a screen reader announces it when the window opens.
 */
export function OfficeChangesBanner(props: { readonly showPermissions: boolean; readonly refreshKey?: unknown }) {
  const kurier = useKurier();
  const { t } = useI18n();
  const format = useFormat();
  const titleId = useId();
  const [review, setReview] = useState<OfficeReview | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<'confirmed' | 'changedAgain' | null>(null);

  useEffect(() => {
    void kurier.prefs.officeReview().then((result) => {
      if (result.ok) setReview(result.value);
      else setError(result.error);
    });
  }, [kurier, props.refreshKey]);

  const confirm = async (shown: OfficeReview) => {
    setBusy(true);
    const result = await kurier.prefs.confirmOffice({ digests: shown.digests });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setReview(result.value.review);
    setDone(result.value.review.changes.length === 0 ? 'confirmed' : 'changedAgain');
  };

  if (error) return <ErrorNotice error={error} />;
  if (!review) return null;
  const permissions = props.showPermissions ? review.permissions : [];
  return (
    <>
      {review.changes.length > 0 && (
        <section className="notice notice-warning" role="alert" aria-labelledby={titleId} data-testid="office-changes">
          <h2 id={titleId} className="notice-title">
            {t('officeReview.title')}
          </h2>
          {review.modifiedAt !== null && (
            <p>{t('officeReview.modifiedAt', { path: review.filePath, date: format.dateTime(review.modifiedAt) })}</p>
          )}
          <p>{t('officeReview.intro')}</p>
          <ul>
            {review.changes.map((change) => (
              <li key={change.group} data-group={change.group}>
                {t(`officeReview.group.${change.group}`)}{' '}
                <span className="hint">{t('officeReview.items', { items: change.items.join(', ') })}</span>
              </li>
            ))}
          </ul>
          {review.holding.length > 0 && <p>{t('officeReview.holding')}</p>}
          <p className="notice-fix">{t('officeReview.unexpected')}</p>
          <button type="button" disabled={busy} onClick={() => void confirm(review)}>
            {t('officeReview.confirm')}
          </button>
        </section>
      )}
      <div role="status" data-testid="office-changes-status">
        {done !== null && <p>{t(`officeReview.${done}`)}</p>}
      </div>
      {permissions.length > 0 && (
        <section className="notice notice-warning" role="alert" data-testid="office-permissions">
          <p className="notice-title">{t('officeReview.permissions.title')}</p>
          {permissions.map((warning) => (
            <p key={`${warning.kind}:${warning.path}:${warning.principal}`}>
              {t(`officeReview.permissions.${warning.kind}`, {
                path: warning.path,
                who: warning.writableBy === 'users' ? warning.principal : t(`officeReview.permissions.${warning.writableBy}`),
              })}
            </p>
          ))}
          <p className="notice-fix">{t('officeReview.permissions.risk')}</p>
        </section>
      )}
    </>
  );
}
