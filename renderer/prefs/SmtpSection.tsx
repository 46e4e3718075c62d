import { isValidEmailAddress } from '../../shared/mail-address';
import {
  oauthProviderForHost,
  type AccountScope,
  type PasswordState,
  type SignInState,
  type SmtpAccount,
} from '../../shared/prefs';
import { cipherStrengths, connectionSecurities, defaultPortFor } from '../../shared/smtp-security';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { useSmtpDetection, type FoundSettings } from '../hooks/use-smtp-detection';
import { ConnectionTestPanel } from './ConnectionTestPanel';
import { accountOf, type SmtpDraft } from './draft';
import { passwordChangeOf, PasswordSection, type PasswordMode } from './PasswordSection';
import { SignInPanel } from './SignInPanel';
import { SmtpDetectionPanel } from './SmtpDetectionPanel';

/** The SMTP account: detection from the address, every setting, the password and the connection test. */
export function SmtpSection(props: {
  readonly scope: AccountScope;
  /** False in the user window while the office account is followed: shown, tested, not edited. */
  readonly editable: boolean;
  readonly value: SmtpDraft;
  readonly onChange: (value: SmtpDraft) => void;
  /** Detection found settings: merged into the form as it is when the answer arrives. */
  readonly onDetected: (found: FoundSettings) => void;
  readonly passwordState: PasswordState;
  readonly signInState: SignInState;
  readonly passwordMode: PasswordMode;
  readonly setPasswordMode: (mode: PasswordMode) => void;
  readonly password: string;
  readonly setPassword: (value: string) => void;
  readonly acceptPlainText: boolean;
  readonly setAcceptPlainText: (value: boolean) => void;
  readonly problem: (field: string) => string | undefined;
  readonly passwordProblem: string | undefined;
  /**
   * A client company's own account: no on/off switch (the company section chooses) and password logins
   * only (a sign-in with a provider is the office's and the user's).
   */
  readonly companyAccount?: boolean;
  /** The connection test's heading, when it is not the window's only one. */
  readonly testTitle?: string;
}) {
  const { t } = useI18n();
  const { value, editable } = props;
  const detection = useSmtpDetection(props.onDetected);
  const { account } = value;
  const disabled = !editable;
  const setAccount = (change: Partial<SmtpAccount>, portText = value.portText) => {
    props.onChange({ ...value, account: { ...account, ...change }, portText });
  };

  const changeSecurity = (security: SmtpAccount['security']) => {
    // Switching mode moves the port along when it still holds the previous mode's usual port.
    const portText =
      value.portText === String(defaultPortFor[account.security]) ? String(defaultPortFor[security]) : value.portText;
    setAccount({ security }, portText);
  };

  if (!value.enabled && !editable) return <p data-testid="smtp-none">{t('prefs.smtpNoneInOffice')}</p>;

  return (
    <>
      {editable && props.companyAccount !== true && (
        <label className="checkbox">
          <input
            type="checkbox"
            name="smtpEnabled"
            checked={value.enabled}
            onChange={(event) => {
              props.onChange({ ...value, enabled: event.target.checked });
            }}
          />
          {t('prefs.smtpEnabled')}
        </label>
      )}
      {value.enabled && (
        <>
          <TextField
            name="senderName"
            label={t('prefs.senderName')}
            value={account.senderName}
            disabled={disabled}
            onChange={(senderName) => {
              setAccount({ senderName });
            }}
            problem={props.problem('senderName')}
            autoComplete="name"
          />
          <div className="field-row">
            <TextField
              name="senderAddress"
              type="email"
              label={t('prefs.senderAddress')}
              hint={editable ? t('detect.hint') : undefined}
              value={account.senderAddress}
              disabled={disabled}
              onChange={(senderAddress) => {
                setAccount({ senderAddress });
              }}
              onBlur={() => {
                // Leaving the address with no server filled in yet looks the server up, as mail clients do.
                if (account.host.trim() === '' && isValidEmailAddress(account.senderAddress.trim()))
                  void detection.run(account.senderAddress.trim());
              }}
              problem={props.problem('senderAddress')}
              autoComplete="email"
              required
            />
          </div>
          {editable && <SmtpDetectionPanel address={account.senderAddress} state={detection} />}
          <TextField
            name="replyTo"
            type="email"
            label={t('prefs.replyTo')}
            value={account.replyTo}
            disabled={disabled}
            onChange={(replyTo) => {
              setAccount({ replyTo });
            }}
            problem={props.problem('replyTo')}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              name="bccSelf"
              checked={account.bccSelf}
              disabled={disabled}
              onChange={(event) => {
                setAccount({ bccSelf: event.target.checked });
              }}
            />
            {t('prefs.bccSelf')}
          </label>
          <TextField
            name="host"
            label={t('prefs.host')}
            value={account.host}
            disabled={disabled}
            onChange={(host) => {
              setAccount({ host });
            }}
            problem={props.problem('host')}
            required
          />
          <div className="field-row">
            <SelectField
              label={t('prefs.security')}
              name="security"
              value={account.security}
              disabled={disabled}
              onChange={(picked) => {
                changeSecurity(picked as SmtpAccount['security']);
              }}
            >
              {connectionSecurities.map((security) => (
                <option key={security} value={security}>
                  {t(`prefs.securityOptions.${security}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              name="port"
              type="number"
              label={t('prefs.port')}
              value={value.portText}
              disabled={disabled}
              onChange={(portText) => {
                props.onChange({ ...value, portText });
              }}
              problem={props.problem('port')}
              required
            />
          </div>
          {account.security === 'none' && <p className="warning">{t('prefs.securityNoneWarning')}</p>}
          <SelectField
            label={t('prefs.cipherStrength')}
            name="cipherStrength"
            value={account.cipherStrength}
            disabled={disabled}
            onChange={(picked) => {
              setAccount({ cipherStrength: picked as SmtpAccount['cipherStrength'] });
            }}
            after={account.cipherStrength === 'weak' && <p className="warning">{t('prefs.cipherWeakWarning')}</p>}
          >
            {cipherStrengths.map((strength) => (
              <option key={strength} value={strength}>
                {t(`prefs.cipherStrengthOptions.${strength}`)}
              </option>
            ))}
          </SelectField>
          {props.companyAccount === true ? (
            <p className="hint">{t('companySmtp.passwordOnly')}</p>
          ) : (
            <SelectField
              label={t('oauth.authMethod')}
              name="auth"
              value={account.auth}
              disabled={disabled}
              onChange={(picked) => {
                setAccount({ auth: picked as SmtpAccount['auth'] });
              }}
              after={
                account.auth !== 'password' &&
                oauthProviderForHost(account.host) === account.auth && (
                  <p className="hint">{t('oauth.suggested', { provider: t(`oauth.providerNames.${account.auth}`) })}</p>
                )
              }
            >
              {(['password', 'microsoft', 'google'] as const).map((auth) => (
                <option key={auth} value={auth}>
                  {t(`oauth.authOptions.${auth}`)}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            name="username"
            label={t('prefs.username')}
            value={account.username}
            disabled={disabled}
            onChange={(username) => {
              setAccount({ username });
            }}
            problem={props.problem('username')}
            autoComplete="username"
          />
          {account.auth !== 'password' && (props.scope === 'user' || props.scope === 'global') ? (
            <SignInPanel
              key={`${props.scope}-${account.auth}`}
              scope={props.scope}
              provider={account.auth}
              loginHint={isValidEmailAddress(account.senderAddress.trim()) ? account.senderAddress.trim() : ''}
              state={props.signInState}
              editable={editable || props.scope === 'global'}
              onSignedIn={(address) => {
                if (editable) setAccount({ username: address });
              }}
            />
          ) : editable ? (
            <PasswordSection
              state={props.passwordState}
              mode={props.passwordMode}
              setMode={props.setPasswordMode}
              password={props.password}
              setPassword={props.setPassword}
              problem={props.passwordProblem}
              security={account.security}
              acceptPlainText={props.acceptPlainText}
              setAcceptPlainText={props.setAcceptPlainText}
            />
          ) : (
            <p role="status" data-testid="password-state">
              {props.passwordState.saved ? t('prefs.officePasswordSaved') : t('prefs.officePasswordNotSaved')}
            </p>
          )}
          <TextField
            name="trustedCertificate"
            label={t('prefs.trustedCertificate')}
            hint={t('prefs.trustedCertificateHint')}
            value={account.trustedCertificate}
            disabled={disabled}
            onChange={(trustedCertificate) => {
              setAccount({ trustedCertificate });
            }}
            problem={props.problem('trustedCertificate')}
            multiline
          />
          <ConnectionTestPanel
            {...(props.testTitle ? { title: props.testTitle } : {})}
            scope={props.scope}
            account={accountOf(value)}
            password={editable ? passwordChangeOf(props.passwordMode, props.password, props.acceptPlainText) : { action: 'keep' }}
            onFix={
              editable
                ? (change) => {
                    setAccount(change, change.port === undefined ? value.portText : String(change.port));
                  }
                : null
            }
          />
        </>
      )}
    </>
  );
}
