import type { ImportPlanItem, ImportReason } from '../../shared/imports';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';

/** What happens (or happened) to one imported file: the status, why not, and its warnings. */
export function ImportOutcome(props: {
  readonly status: 'ready' | 'rejected' | 'imported';
  readonly reason: ImportPlanItem['reason'];
  readonly warnings: ImportPlanItem['warnings'];
  readonly currency: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const warning = (reason: ImportReason<'totalsMismatch' | 'noEmail'>) => {
    const { details } = reason;
    if (reason.code === 'noEmail') return t('imports.warnings.noEmail', { partner: String(details['partner'] ?? '') });
    const currency = String(details['currency'] ?? props.currency);
    return t('imports.warnings.totalsMismatch', {
      declared: format.money(Number(details['declaredMinor']), currency),
      lines: format.money(Number(details['linesMinor']), currency),
    });
  };
  return (
    <>
      <strong>{t(`imports.${props.status}`)}</strong>
      {props.reason && <> – {t(`imports.reasons.${props.reason.code}`, stringValues(props.reason.details))}</>}
      {props.warnings.map((item) => (
        <span key={item.code} className="warning">
          {' '}
          {warning(item)}
        </span>
      ))}
    </>
  );
}

function stringValues(details: Readonly<Record<string, string | number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key, String(value)]));
}
