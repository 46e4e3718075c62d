import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { languages } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { PasswordChange, SmtpAccount, UiLanguage, UserPrefs, UserPrefsView } from '../../shared/prefs';
import { cipherStrengths, connectionSecurities, defaultPortFor } from '../../shared/smtp-security';
import { ErrorNotice } from '../components/ErrorNotice';
import { fieldProblems } from '../field-problems';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { kurier } from '../kurier';

const emptyAccount: SmtpAccount = {
  senderName: '',
  senderAddress: '',
  replyTo: '',
  host: '',
  port: defaultPortFor.starttls,
  security: 'starttls',
  cipherStrength: 'default',
  username: '',
  trustedCertificate: '',
};

type PasswordMode = 'keep' | 'change' | 'remove';

/** User preferences: general settings and the SMTP account. The password goes to the keychain. */
export function UserPreferencesWindow(props: { readonly onLanguageChanged: (language: UiLanguage) => void }) {
  const { t } = useI18n();
  const [view, setView] = useState<UserPrefsView | null>(null);
  const [prefs, setPrefs] = useState<UserPrefs | null>(null);
  const [smtpEnabled, setSmtpEnabled] = useState(false);
  const [account, setAccount] = useState<SmtpAccount>(emptyAccount);
  const [portText, setPortText] = useState(String(emptyAccount.port));
  const [password, setPassword] = useState('');
  const [passwordMode, setPasswordMode] = useState<PasswordMode>('keep');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const languageId = useId();
  const securityId = useId();
  const cipherId = useId();

  const load = (next: UserPrefsView) => {
    setView(next);
    setPrefs(next.prefs);
    setSmtpEnabled(next.prefs.smtp !== null);
    const nextAccount = next.prefs.smtp ?? emptyAccount;
    setAccount(nextAccount);
    setPortText(String(nextAccount.port));
    setPassword('');
    setPasswordMode(next.smtpHasPassword ? 'keep' : 'change');
  };

  useEffect(() => {
    void kurier.prefs.getUser().then((result) => {
      if (result.ok) load(result.value);
      else setError(result.error);
    });
  }, []);

  useEffect(() => {
    document.title = `${t('prefs.userTitle')} – Kurier`;
  }, [t]);

  if (!prefs || !view) return <main className="window">{error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}</main>;

  const { of: problem, count: problemCount } = fieldProblems(error);
  const setField = <K extends keyof SmtpAccount>(key: K) => (value: SmtpAccount[K]) => { setAccount((current) => ({ ...current, [key]: value })); };

  const changeSecurity = (security: SmtpAccount['security']) => {
    // Switching mode moves the port along when it still holds the previous mode's usual port.
    if (portText === String(defaultPortFor[account.security])) setPortText(String(defaultPortFor[security]));
    setField('security')(security);
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    const passwordChange: PasswordChange =
      passwordMode === 'remove' ? { action: 'clear' } : passwordMode === 'change' && password !== '' ? { action: 'set', value: password } : { action: 'keep' };
    const next: UserPrefs = { ...prefs, smtp: smtpEnabled ? { ...account, port: portText.trim() === '' ? Number.NaN : Number(portText) } : null };
    const result = await kurier.prefs.updateUser({ prefs: next, password: passwordChange });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    load(result.value);
    setSaved(true);
    props.onLanguageChanged(result.value.prefs.language);
  };

  return (
    <main className="window">
      <h1>{t('prefs.userTitle')}</h1>
      <form onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
        <fieldset>
          <legend>{t('prefs.general')}</legend>
          <div className="field">
            <label htmlFor={languageId}>{t('prefs.language')}</label>
            <select id={languageId} name="language" value={prefs.language} onChange={(event) => { setPrefs({ ...prefs, language: event.target.value as UiLanguage }); }}>
              <option value="system">{t('prefs.languageSystem')}</option>
              {languages.map((language) => (
                <option key={language} value={language} lang={language}>
                  {t(`prefs.languageNames.${language}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField name="personalEmail" type="email" autoComplete="email" label={t('prefs.personalEmail')} hint={t('prefs.personalEmailHint')} value={prefs.personalEmail} onChange={(value) => { setPrefs({ ...prefs, personalEmail: value }); }} problem={problem('prefs.personalEmail')} />
          <TextField name="exportFolder" label={t('prefs.exportFolder')} value={prefs.exportFolder} onChange={(value) => { setPrefs({ ...prefs, exportFolder: value }); }} problem={problem('prefs.exportFolder')} />
        </fieldset>
        <fieldset>
          <legend>{t('prefs.smtp')}</legend>
          <label className="checkbox">
            <input type="checkbox" name="smtpEnabled" checked={smtpEnabled} onChange={(event) => { setSmtpEnabled(event.target.checked); }} />
            {t('prefs.smtpEnabled')}
          </label>
          {smtpEnabled && (
            <>
              <TextField name="senderName" label={t('prefs.senderName')} value={account.senderName} onChange={setField('senderName')} problem={problem('prefs.smtp.senderName')} autoComplete="name" />
              <TextField name="senderAddress" type="email" label={t('prefs.senderAddress')} value={account.senderAddress} onChange={setField('senderAddress')} problem={problem('prefs.smtp.senderAddress')} autoComplete="email" required />
              <TextField name="replyTo" type="email" label={t('prefs.replyTo')} value={account.replyTo} onChange={setField('replyTo')} problem={problem('prefs.smtp.replyTo')} />
              <TextField name="host" label={t('prefs.host')} value={account.host} onChange={setField('host')} problem={problem('prefs.smtp.host')} required />
              <div className="field">
                <label htmlFor={securityId}>{t('prefs.security')}</label>
                <select id={securityId} name="security" value={account.security} onChange={(event) => { changeSecurity(event.target.value as SmtpAccount['security']); }}>
                  {connectionSecurities.map((security) => (
                    <option key={security} value={security}>
                      {t(`prefs.securityOptions.${security}`)}
                    </option>
                  ))}
                </select>
                {account.security === 'none' && <p className="warning">{t('prefs.securityNoneWarning')}</p>}
              </div>
              <div className="field">
                <label htmlFor={cipherId}>{t('prefs.cipherStrength')}</label>
                <select id={cipherId} name="cipherStrength" value={account.cipherStrength} onChange={(event) => { setField('cipherStrength')(event.target.value as SmtpAccount['cipherStrength']); }}>
                  {cipherStrengths.map((strength) => (
                    <option key={strength} value={strength}>
                      {t(`prefs.cipherStrengthOptions.${strength}`)}
                    </option>
                  ))}
                </select>
                {account.cipherStrength === 'weak' && <p className="warning">{t('prefs.cipherWeakWarning')}</p>}
              </div>
              <TextField name="port" type="number" label={t('prefs.port')} value={portText} onChange={setPortText} problem={problem('prefs.smtp.port')} required />
              <TextField name="username" label={t('prefs.username')} value={account.username} onChange={setField('username')} problem={problem('prefs.smtp.username')} autoComplete="username" />
              <PasswordSection hasPassword={view.smtpHasPassword} rejected={view.smtpPasswordRejected} mode={passwordMode} setMode={setPasswordMode} password={password} setPassword={setPassword} problem={problem('password.value')} />
              <TextField name="trustedCertificate" label={t('prefs.trustedCertificate')} hint={t('prefs.trustedCertificateHint')} value={account.trustedCertificate} onChange={setField('trustedCertificate')} problem={problem('prefs.smtp.trustedCertificate')} multiline />
            </>
          )}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('prefs.saving') : t('prefs.save')}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="status-area">
        {saved && <p className="notice notice-success">{t('prefs.saved')}</p>}
      </div>
      {error && <ErrorNotice error={error} {...(problemCount > 0 ? { title: t('prefs.fixFields', { count: problemCount }) } : {})} />}
      <p className="hint">{t('prefs.filePath', { path: view.filePath })}</p>
    </main>
  );
}

function PasswordSection(props: {
  readonly hasPassword: boolean;
  readonly rejected: boolean;
  readonly mode: PasswordMode;
  readonly setMode: (mode: PasswordMode) => void;
  readonly password: string;
  readonly setPassword: (value: string) => void;
  readonly problem: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <div className="password">
      <p role="status" data-testid="password-state">
        {props.hasPassword ? t('prefs.passwordSaved') : t('prefs.passwordNotSaved')}
      </p>
      {props.hasPassword && props.rejected && (
        <p className="warning" role="alert">
          {t('prefs.passwordRejected')}
        </p>
      )}
      {props.hasPassword && props.mode === 'keep' && (
        <div className="field-row">
          <button type="button" onClick={() => { props.setMode('change'); }}>
            {t('prefs.passwordChange')}
          </button>
          <button type="button" onClick={() => { props.setMode('remove'); }}>
            {t('prefs.passwordRemove')}
          </button>
        </div>
      )}
      {props.mode === 'remove' && (
        <div className="field-row">
          <p>{t('prefs.passwordRemovedOnSave')}</p>
          <button type="button" onClick={() => { props.setMode('keep'); }}>
            {t('prefs.passwordKeep')}
          </button>
        </div>
      )}
      {props.mode === 'change' && (
        <TextField name="password" type="password" autoComplete="new-password" label={t('prefs.password')} value={props.password} onChange={props.setPassword} problem={props.problem} />
      )}
    </div>
  );
}
