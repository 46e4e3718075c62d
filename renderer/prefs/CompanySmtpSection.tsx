import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import { companyKey } from '../../shared/company-identifiers';
import { companyScope, type PasswordState, type PrefsView } from '../../shared/prefs';
import { SaveStatus } from '../components/SaveStatus';
import { SelectField } from '../components/SelectField';
import { fieldProblems } from '../field-problems';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import type { FoundSettings } from '../hooks/use-smtp-detection';
import { accountOf, emptyAccount, type SmtpDraft } from './draft';
import { passwordChangeOf, type PasswordMode } from './PasswordSection';
import { SmtpSection } from './SmtpSection';

const noPassword: PasswordState = { saved: false, inSession: false, rejected: false, withheld: null };
const notSignedIn = { account: null, expired: false } as const;

/**
 * Each client company's SMTP account, in the office preferences: the office default (which a user's
 * own account may override), or the company's own account — the same fields as the office account,
 * password only, with its own connection test. Stored in the office file by the company's IČO/NIP; the
 * password goes to this user's keychain, bound to the account's server, and never comes back here.
 */
export function CompanySmtpSection(props: {
  readonly view: PrefsView;
  /** The window's view after a save here (the office file changed). */
  readonly onSaved: (view: PrefsView) => void;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  const [companyId, setCompanyId] = useState<number | null>(null);
  const [own, setOwn] = useState(false);
  const [draft, setDraft] = useState<SmtpDraft>({ enabled: true, account: emptyAccount, portText: String(emptyAccount.port) });
  const [passwordMode, setPasswordMode] = useState<PasswordMode>('keep');
  const [password, setPassword] = useState('');
  const [acceptPlainText, setAcceptPlainText] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (list: readonly CompanySummary[], id: number | null, view: PrefsView) => {
    const chosen = list.find((company) => company.id === id) ?? list[0];
    setCompanyId(chosen?.id ?? null);
    const key = chosen ? companyKey(chosen) : null;
    const account = key === null ? undefined : view.global.companySmtp?.[key];
    setOwn(account !== undefined);
    setDraft({ enabled: true, account: account ?? emptyAccount, portText: String((account ?? emptyAccount).port) });
    setPasswordMode(account ? 'keep' : 'change');
    setPassword('');
    setAcceptPlainText(false);
    setError(null);
  };

  useEffect(() => {
    void kurier.companies.list().then((result) => {
      if (!result.ok) return;
      setCompanies(result.value);
      show(result.value, null, props.view);
    });
    // The view is read when the list arrives; later views come with saves made here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kurier]);

  // A company added, renamed or removed anywhere joins the list at once; the account being typed stays.
  useKurierEvent('companies:changed', () => {
    void kurier.companies.list().then((result) => {
      if (!result.ok) return;
      setCompanies(result.value);
      if (!result.value.some((company) => company.id === companyId)) show(result.value, null, props.view);
    });
  });

  const chosen = companies.find((company) => company.id === companyId);
  const key = chosen ? companyKey(chosen) : null;
  const name = chosen?.name ?? '';
  const { of: problemOf } = fieldProblems(error);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    setStatus('');
    const result = await kurier.prefs.updateCompanySmtp({
      companyId: chosen.id,
      account: own ? { ...accountOf(draft), auth: 'password' } : null,
      password: own ? passwordChangeOf(passwordMode, password, acceptPlainText) : { action: 'keep' },
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    props.onSaved(result.value);
    show(companies, chosen.id, result.value);
    setStatus(t('companySmtp.saved', { company: name }));
  };

  if (companies.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="company-smtp" data-testid="company-smtp">
      <h2 id={headingId}>{t('companySmtp.title')}</h2>
      <p className="hint">{t('companySmtp.intro')}</p>
      <form onSubmit={(event) => void save(event)} noValidate>
        <SelectField
          label={t('companySmtp.company')}
          name="smtpCompany"
          value={companyId ?? ''}
          onChange={(picked) => {
            show(companies, Number(picked), props.view);
            setStatus('');
          }}
        >
          {companies.map((company) => (
            <option key={company.id} value={company.id}>
              {company.name}
            </option>
          ))}
        </SelectField>
        {key === null ? (
          <p className="hint" data-testid="company-smtp-no-key">
            {t('companySmtp.noKey', { company: name })}
          </p>
        ) : (
          <>
            <fieldset>
              <legend>{t('companySmtp.choice', { company: name })}</legend>
              <label className="checkbox">
                <input
                  type="radio"
                  name="companySmtpChoice"
                  value="office"
                  checked={!own}
                  onChange={() => {
                    setOwn(false);
                  }}
                />
                {t('companySmtp.officeDefault')}
              </label>
              <label className="checkbox">
                <input
                  type="radio"
                  name="companySmtpChoice"
                  value="own"
                  checked={own}
                  onChange={() => {
                    setOwn(true);
                  }}
                />
                {t('companySmtp.own')}
              </label>
            </fieldset>
            {own && (
              <SmtpSection
                key={key}
                scope={companyScope(key)}
                editable
                companyAccount
                testTitle={t('companySmtp.testTitle', { company: name })}
                value={draft}
                onChange={setDraft}
                onDetected={(found: FoundSettings) => {
                  setDraft((current) => ({
                    ...current,
                    account: { ...current.account, ...found, auth: 'password' },
                    portText: String(found.port),
                  }));
                }}
                passwordState={props.view.companyPasswords[key] ?? noPassword}
                signInState={notSignedIn}
                passwordMode={passwordMode}
                setPasswordMode={setPasswordMode}
                password={password}
                setPassword={setPassword}
                acceptPlainText={acceptPlainText}
                setAcceptPlainText={setAcceptPlainText}
                problem={(field) => problemOf(`account.${field}`)}
                passwordProblem={problemOf('password.value')}
              />
            )}
          </>
        )}
        {key !== null && (
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('companySmtp.save', { company: name })}
            </button>
          </div>
        )}
      </form>
      <SaveStatus status={status} error={error} />
    </section>
  );
}
