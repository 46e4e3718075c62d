import { type RefObject } from 'react';
import type { DryRun } from '../../shared/outbox';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { KsefNumbersPrompt } from './KsefNumbersPrompt';

/** The dry run of a batch: who gets what, what is missing, how long it will take, and Start. */
export function DryRunView({
  startButton,
  ...props
}: {
  readonly dryRun: DryRun;
  readonly testToMe: boolean;
  readonly setTestToMe: (on: boolean) => void;
  readonly spread: boolean;
  readonly setSpread: (on: boolean) => void;
  readonly busy: boolean;
  /** The start button, where focus goes back when the double-send question closes. */
  readonly startButton: RefObject<HTMLButtonElement | null>;
  readonly onStart: () => void;
  readonly onKsefNumbersSaved: () => void;
}) {
  const { t } = useI18n();
  const { dryRun } = props;
  const missing = dryRun.items.filter((item) => item.problem !== 'ok');
  const minutes = Math.max(1, Math.round(dryRun.projectedMs / 60_000));
  return (
    <section className="dry-run" aria-labelledby="dry-run-title" data-testid="dry-run">
      <h2 id="dry-run-title">{t('bulk.dryRunTitle')}</h2>
      <p data-testid="dry-run-summary">{t('bulk.summary', { count: dryRun.sendable, minutes, perMinute: dryRun.perMinute })}</p>
      {missing.length > 0 && (
        <div className="notice notice-warning" role="alert" data-testid="dry-run-missing">
          <p className="notice-title">{t('bulk.missing', { count: missing.length })}</p>
          <ul>
            {missing.map((item) => (
              <li key={item.documentId}>
                {t(`bulk.problem.${item.problem as 'noAddress' | 'invalidAddress' | 'noPassword'}`, {
                  number: item.documentNumber,
                  partner: item.partnerName,
                  address: item.recipient,
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {dryRun.items.some((item) => item.needsKsefNumber) && (
        <KsefNumbersPrompt items={dryRun.items.filter((item) => item.needsKsefNumber)} onSaved={props.onKsefNumbersSaved} />
      )}
      {dryRun.sizeLimitBytes > 0 && (
        <p className={dryRun.oversized.length > 0 ? 'warning' : 'hint'}>
          {t('bulk.sizeLimit', { limit: Math.round(dryRun.sizeLimitBytes / 1024 / 1024), count: dryRun.oversized.length })}
        </p>
      )}
      {dryRun.serverCheck && <ErrorNotice error={dryRun.serverCheck} title={t('bulk.serverCheckFailed')} />}
      {dryRun.overDailyCap && (
        <div className="notice notice-warning" data-testid="daily-cap">
          <p>{t('bulk.overDailyCap', { count: dryRun.sendable, cap: dryRun.dailyCap, days: dryRun.daysNeeded })}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={props.spread}
              onChange={(event) => {
                props.setSpread(event.target.checked);
              }}
            />
            {t('bulk.spread', { days: dryRun.daysNeeded })}
          </label>
        </div>
      )}
      <table className="documents" data-testid="dry-run-recipients">
        <caption className="visually-hidden">{t('bulk.recipients')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('documents.number')}</th>
            <th scope="col">{t('documents.partner')}</th>
            <th scope="col">{t('bulk.recipient')}</th>
          </tr>
        </thead>
        <tbody>
          {dryRun.items
            .filter((item) => item.problem === 'ok')
            .map((item) => (
              <tr key={item.documentId}>
                <th scope="row">{item.documentNumber}</th>
                <td>{item.partnerName}</td>
                <td>{props.testToMe ? dryRun.testAddress : item.recipient}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <label className="checkbox">
        <input
          type="checkbox"
          name="testToMe"
          checked={props.testToMe}
          onChange={(event) => {
            props.setTestToMe(event.target.checked);
          }}
        />
        {t('bulk.testToMe', { address: dryRun.testAddress })}
      </label>
      <div className="actions">
        <button
          ref={startButton}
          type="button"
          className="primary"
          disabled={props.busy || dryRun.sendable === 0}
          onClick={props.onStart}
        >
          {props.testToMe ? t('bulk.startTest', { count: dryRun.sendable }) : t('bulk.start', { count: dryRun.sendable })}
        </button>
      </div>
    </section>
  );
}
