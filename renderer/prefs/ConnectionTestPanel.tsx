import { useEffect, useId, useState } from 'react';
import type { ConnectionCheckReport } from '../../shared/diagnostics';
import type { KurierErrorShape } from '../../shared/errors';
import type { AccountScope, PasswordChange, SmtpAccount } from '../../shared/prefs';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { ConnectionTestReport } from './ConnectionTestReport';

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
  /** The heading when the window shows more than one test (a company's account beside the office's). */
  readonly title?: string;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  // The office window may show two tests (the office account and a company's own): ids stay unique.
  const titleId = useId();
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
    <section className="connection-test" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title ?? t('test.title')}</h2>
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
        {report && <ConnectionTestReport key={reportKey} report={report} onFix={props.onFix} />}
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
