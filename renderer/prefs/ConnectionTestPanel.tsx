import { useEffect, useState } from 'react';
import type { ConnectionCheckReport, ConnectionTestStep, SpfCheck } from '../../shared/diagnostics';
import type { KurierErrorShape } from '../../shared/errors';
import type { AccountScope, CipherStrength, ConnectionSecurity, PasswordChange, SmtpAccount } from '../../shared/prefs';
import { cipherStrengths, connectionSecurities } from '../../shared/smtp-security';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

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

/**
 * "Test connection": runs the staged test of the account as the form holds it and shows each stage,
 * the failure in one sentence with its fix, a button that applies the fix where there is one (the
 * right security mode and port, trusting the server's certificate, a cipher strength that works), the
 * SPF verdict for the sender domain, and the cooldown after a failed login.
 */
export function ConnectionTestPanel(props: {
  readonly scope: AccountScope;
  readonly account: SmtpAccount;
  readonly password: PasswordChange;
  /** Applies a suggested fix to the form; null where the account is not editable here. */
  readonly onFix: ((change: Partial<SmtpAccount>) => void) | null;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const [sendMessage, setSendMessage] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ConnectionCheckReport | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [cooldown, setCooldown] = useState(0);
  // Each run's report is new: its fix buttons start fresh.
  const [reportKey, setReportKey] = useState(0);

  useEffect(() => {
    if (cooldown <= 0) return;
    const timer = setTimeout(() => {
      setCooldown((seconds) => Math.max(0, seconds - 1));
    }, 1000);
    return () => {
      clearTimeout(timer);
    };
  }, [cooldown]);

  const run = async () => {
    setBusy(true);
    setError(null);
    setReport(null);
    const result = await kurier.smtp.test({
      scope: props.scope,
      account: props.account,
      password: props.password,
      testMessage: sendMessage ? { subject: t('test.messageSubject'), text: t('test.messageText') } : null,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      if (result.error.code === 'smtp.testCooldown') setCooldown(Number(result.error.details.seconds ?? 0));
      return;
    }
    setReport(result.value);
    setReportKey((key) => key + 1);
    setCooldown(result.value.cooldownSeconds);
  };

  return (
    <section className="connection-test" aria-labelledby="connection-test-title">
      <h2 id="connection-test-title">{t('test.title')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          name="sendTestMessage"
          checked={sendMessage}
          onChange={(event) => {
            setSendMessage(event.target.checked);
          }}
        />
        {t('test.sendMessage', { address: props.account.senderAddress || '…' })}
      </label>
      <div className="field-row">
        <button type="button" name="testConnection" disabled={busy || cooldown > 0} onClick={() => void run()}>
          {busy ? t('test.running') : t('test.run')}
        </button>
        <p className="warning" role="status" data-testid="cooldown" hidden={cooldown <= 0}>
          {cooldown > 0 ? t('test.cooldown', { seconds: cooldown }) : ''}
        </p>
      </div>
      <div aria-live="polite" data-testid="connection-test">
        {busy && <p>{t('test.runningHint', { host: props.account.host })}</p>}
        {report && <Report key={reportKey} report={report} onFix={props.onFix} />}
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function Report(props: {
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
          <Fixes error={result.error} steps={result.steps} onFix={props.onFix} />
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

/** One button per fix the failure suggests. */
function Fixes(props: {
  readonly error: KurierErrorShape;
  readonly steps: readonly ConnectionTestStep[];
  readonly onFix: ((change: Partial<SmtpAccount>) => void) | null;
}) {
  const { t } = useI18n();
  const { error, onFix } = props;
  const [applied, setApplied] = useState<string | null>(null);
  if (!onFix) return null;
  const apply = (label: string, change: Partial<SmtpAccount>) => {
    onFix(change);
    setApplied(label);
  };
  const expected = error.details.expected;
  // The server on this very port spoke the other mode, so the fix is the mode, not another port.
  const port = Number(error.details.port);
  const suggestedStrength = error.details.suggestedStrength;
  const tls = props.steps.find((step) => step.step === 'tls');
  const pem = tls?.facts.certificatePem;
  const buttons: { label: string; change: Partial<SmtpAccount> }[] = [];
  if (error.code === 'smtp.tlsModeMismatch' && isSecurity(expected)) {
    buttons.push({
      label: t('test.fixes.security', { security: t(`security.${expected}`), port }),
      change: { security: expected },
    });
  }
  if (error.code === 'smtp.tlsFailed' && isStrength(suggestedStrength)) {
    buttons.push({
      label: t('test.fixes.strength', { strength: t(`prefs.cipherStrengthOptions.${suggestedStrength}`) }),
      change: { cipherStrength: suggestedStrength },
    });
  }
  // Trusting helps only a server's own (self-signed) certificate: a certificate for another name stays
  // wrong for this host, and an expired one stays expired.
  if (
    error.code === 'smtp.certificateUntrusted' &&
    typeof pem === 'string' &&
    (error.details.reason === 'selfSigned' || error.details.reason === 'selfSignedChain')
  ) {
    buttons.push({
      label: t('test.fixes.trust', { host: String(error.details.host ?? '') }),
      change: { trustedCertificate: pem },
    });
  }
  if (buttons.length === 0) return null;
  return (
    <div className="fixes">
      {error.code === 'smtp.certificateUntrusted' && (
        <p data-testid="certificate-fingerprint">
          {t('test.fingerprint', {
            fingerprint: String(tls?.facts.fingerprint256 ?? ''),
            subject: String(tls?.facts.subject ?? ''),
          })}
        </p>
      )}
      <div className="field-row">
        {buttons.map((button) => (
          <button
            key={button.label}
            type="button"
            onClick={() => {
              apply(button.label, button.change);
            }}
          >
            {button.label}
          </button>
        ))}
      </div>
      <div aria-live="polite">{applied !== null && <p className="hint">{t('test.fixApplied')}</p>}</div>
    </div>
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

function isSecurity(value: unknown): value is ConnectionSecurity {
  return typeof value === 'string' && (connectionSecurities as readonly string[]).includes(value);
}

function isStrength(value: unknown): value is CipherStrength {
  return typeof value === 'string' && (cipherStrengths as readonly string[]).includes(value);
}
