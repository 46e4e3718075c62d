import { useState } from 'react';
import type { ConnectionTestStep } from '../../shared/diagnostics';
import type { KurierErrorShape } from '../../shared/errors';
import type { CipherStrength, ConnectionSecurity, SmtpAccount } from '../../shared/prefs';
import { cipherStrengths, connectionSecurities } from '../../shared/smtp-security';
import { useI18n } from '../hooks/use-i18n';

/** One button per fix the failure suggests. */
export function ConnectionTestFixes(props: {
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

function isSecurity(value: unknown): value is ConnectionSecurity {
  return typeof value === 'string' && (connectionSecurities as readonly string[]).includes(value);
}

function isStrength(value: unknown): value is CipherStrength {
  return typeof value === 'string' && (cipherStrengths as readonly string[]).includes(value);
}
