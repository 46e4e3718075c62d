import type { ConnectionCheckReport, ConnectionTestStep, SpfCheck } from '../../shared/diagnostics';
import type { SmtpAccount } from '../../shared/prefs';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { ConnectionTestFixes } from './ConnectionTestFixes';
/** Facts worth showing for a stage, in this order; the rest stay in the copyable details. */
const shownFacts = [
  'addresses',
  'address',
  'protocol',
  'cipher',
  'subject',
  'issuer',
  'fingerprint256',
  'validTo',
  'banner',
  'sizeLimitBytes',
  'authMethods',
  'method',
  'to',
  'reason',
];

/** A finished connection test: success or the failure with its fixes, every stage with its facts, SPF. */
export function ConnectionTestReport(props: {
  readonly report: ConnectionCheckReport;
  readonly onFix: ((change: Partial<SmtpAccount>) => void) | null;
}) {
  const { t } = useI18n();
  const { result, spf, provider } = props.report;
  return (
    <>
      {result.ok ? (
        <p className="notice notice-success" role="status" data-testid="test-ok">
          {t('test.ok', { ms: result.ms })}
        </p>
      ) : (
        <>
          <ErrorNotice error={result.error} title={t('test.failedAt', { step: t(`test.steps.${result.failedStep}`) })} />
          <ConnectionTestFixes error={result.error} steps={result.steps} onFix={props.onFix} />
          {(result.error.code === 'smtp.authRejected' || result.error.code === 'smtp.passwordRejected') &&
            provider &&
            provider.authHint !== 'password' && (
              <p className="notice" data-testid="app-password-hint">
                {t(`test.authHints.${provider.authHint}`, { provider: provider.displayName })}
              </p>
            )}
        </>
      )}
      <ol className="steps" aria-label={t('test.stepsLabel')}>
        {result.steps.map((step) => (
          <li key={step.step} data-status={step.status} data-step={step.step}>
            <span className="step-name">{t(`test.steps.${step.step}`)}</span>: {t(`test.status.${step.status}`)}
            {step.status !== 'skipped' && <span className="hint"> ({t('test.ms', { ms: step.ms })})</span>}
            <StepFacts step={step} />
          </li>
        ))}
      </ol>
      {spf && <SpfNotice spf={spf} />}
    </>
  );
}

function StepFacts(props: { readonly step: ConnectionTestStep }) {
  const { t } = useI18n();
  const entries = shownFacts.flatMap((key) => {
    const value = props.step.facts[key];
    if (value === undefined || value === '') return [];
    if (key === 'reason' && typeof value === 'string')
      return [[key, t(`test.skipReasons.${value as 'notUsedInThisMode'}`)] as const];
    return [[key, String(value)] as const];
  });
  if (entries.length === 0) return null;
  return (
    <dl className="facts">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{t(`test.facts.${key as 'addresses'}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function SpfNotice(props: { readonly spf: SpfCheck }) {
  const { t } = useI18n();
  const { spf } = props;
  const { verdict } = spf;
  const params = { domain: spf.domain, host: spf.serverHost };
  if (verdict.kind === 'allowed')
    return (
      <p className="notice notice-success" data-testid="spf" data-verdict="allowed">
        {t('spf.allowed', { ...params, mechanism: verdict.mechanism })}
      </p>
    );
  if (verdict.kind === 'notAllowed')
    return (
      <div className="notice notice-warning" role="alert" data-testid="spf" data-verdict="notAllowed">
        <p className="notice-title">{t('spf.notAllowed', params)}</p>
        <p>{t('spf.notAllowedWhy', { record: verdict.record })}</p>
        <p className="notice-fix">{t('spf.notAllowedFix', params)}</p>
      </div>
    );
  if (verdict.kind === 'noRecord')
    return (
      <p className="notice" data-testid="spf" data-verdict="noRecord">
        {t('spf.noRecord', params)}
      </p>
    );
  return (
    <p className="hint" data-testid="spf" data-verdict="unknown">
      {t('spf.unknown', params)}
    </p>
  );
}
