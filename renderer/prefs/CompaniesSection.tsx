import { useCallback, useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import type { CompanyProfileInput, CompanyProfileView } from '../../shared/company-profile';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import { CompanyPicker } from '../components/CompanyPicker';
import { CompanyLogoField } from './CompanyLogoField';
import { ErrorNotice } from '../components/ErrorNotice';
import { TextField } from '../components/TextField';
import { fieldProblems } from '../field-problems';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';

type Field = keyof CompanyProfileInput;

/** The form's fields in the order shown, with the hint each has. */
const fields: readonly (readonly [Field, 'email' | 'text', MessageKey | undefined])[] = [
  ['name', 'text', undefined],
  ['street', 'text', undefined],
  ['city', 'text', undefined],
  ['postalCode', 'text', undefined],
  ['country', 'text', undefined],
  ['registrationNumber', 'text', 'companyProfile.registrationNumberHint'],
  ['taxId', 'text', 'companyProfile.taxIdHint'],
  ['email', 'email', undefined],
  ['phone', 'text', undefined],
  ['bankAccount', 'text', undefined],
  ['iban', 'text', undefined],
  ['senderName', 'text', 'companyProfile.senderNameHint'],
  ['replyTo', 'email', 'companyProfile.replyToHint'],
];

const empty: CompanyProfileInput = {
  name: '',
  street: '',
  city: '',
  postalCode: '',
  country: 'CZ',
  registrationNumber: '',
  taxId: '',
  email: '',
  phone: '',
  bankAccount: '',
  iban: '',
  senderName: '',
  replyTo: '',
};

function profileOf(view: CompanyProfileView): CompanyProfileInput {
  return Object.fromEntries(fields.map(([field]) => [field, view[field]])) as CompanyProfileInput;
}

/**
 * The office's client companies (issue 15): pick one and change what its documents print as the issuer
 * and the sender name and reply-to its e-mails go out with, or add one by hand. Main checks every value
 * (IČO, NIP, IBAN check digits, addresses); a refused save marks each field, says why in the field's
 * description, and puts the focus on the first one.
 */
export function CompaniesSection() {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  const [chosen, setChosen] = useState<number | 'new' | null>(null);
  const [form, setForm] = useState<CompanyProfileInput>(empty);
  const [current, setCurrent] = useState<CompanyProfileView | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const open = useCallback(
    async (id: number) => {
      const result = await kurier.companies.profile({ companyId: id });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setChosen(id);
      setCurrent(result.value);
      setForm(profileOf(result.value));
      setError(null);
    },
    [kurier],
  );

  const reload = useCallback(
    async (select: number | null) => {
      const result = await kurier.companies.list();
      if (!result.ok) return;
      setCompanies(result.value);
      const id = select ?? result.value[0]?.id;
      if (id !== undefined) await open(id);
    },
    [kurier, open],
  );

  useEffect(() => {
    let current = true;
    void kurier.companies.list().then(async (result) => {
      if (!current || !result.ok) return;
      setCompanies(result.value);
      const first = result.value[0];
      if (first) await open(first.id);
    });
    return () => {
      current = false;
    };
  }, [kurier, open]);

  // A company added, renamed or imported in another window (or by an import) joins the list at once; the
  // form keeps what is typed, unless its company was removed.
  useKurierEvent('companies:changed', () => {
    void kurier.companies.list().then(async (result) => {
      if (!result.ok) return;
      setCompanies(result.value);
      if (typeof chosen === 'number' && !result.value.some((company) => company.id === chosen)) {
        const first = result.value[0];
        if (first) await open(first.id);
      }
    });
  });

  // A refused save: the first marked field takes the focus, so the user lands where the fix is.
  useEffect(() => {
    if (error?.code !== 'input.invalid') return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (chosen === null) return;
    setBusy(true);
    setStatus('');
    const result =
      chosen === 'new'
        ? await kurier.companies.add({ profile: form })
        : await kurier.companies.update({ companyId: chosen, profile: form });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    await reload(result.value.id);
    setStatus(t(chosen === 'new' ? 'companyProfile.created' : 'companyProfile.saved', { company: result.value.name }));
  };

  const startNew = () => {
    setChosen('new');
    setForm(empty);
    setError(null);
    setStatus('');
  };

  // The new, empty form: its first field takes the focus.
  useEffect(() => {
    if (chosen === 'new') formRef.current?.querySelector<HTMLElement>('input')?.focus();
  }, [chosen]);

  const problems = fieldProblems(error);
  const problem = problems.of;
  const fieldLabel = (field: Field): MessageKey => `companyProfile.${field}`;
  return (
    <section aria-labelledby={headingId} className="company-profiles" data-testid="company-profiles">
      <h2 id={headingId}>{t('companyProfile.title')}</h2>
      <p className="hint">{t('companyProfile.intro')}</p>
      <form ref={formRef} onSubmit={(event) => void save(event)} noValidate aria-busy={busy}>
        {chosen === 'new' ? (
          <p className="source">{t('companyProfile.newCompany')}</p>
        ) : (
          <CompanyPicker
            label={t('companyProfile.company')}
            name="profileCompany"
            companies={companies}
            value={chosen ?? ''}
            onChange={(picked) => {
              setStatus('');
              void open(Number(picked));
            }}
          />
        )}
        {fields.map(([field, type, hint]) => (
          <TextField
            key={field}
            name={`company-${field}`}
            type={type}
            label={t(fieldLabel(field))}
            hint={hint && t(hint)}
            value={form[field]}
            required={field === 'name'}
            onChange={(value) => {
              setForm((current) => ({ ...current, [field]: value }));
            }}
            problem={problem(`profile.${field}`)}
          />
        ))}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {chosen === 'new' ? t('companyProfile.create') : t('companyProfile.save')}
          </button>
          {chosen === 'new' ? (
            <button type="button" onClick={() => void reload(null)}>
              {t('companyProfile.cancel')}
            </button>
          ) : (
            <button type="button" onClick={startNew}>
              {t('companyProfile.add')}
            </button>
          )}
        </div>
      </form>
      {chosen !== 'new' && current && <CompanyLogoField company={current} onChanged={setCurrent} />}
      <div aria-live="polite" className="status-area">
        {status !== '' && <p className="notice notice-success">{status}</p>}
      </div>
      {error && (
        <ErrorNotice error={error} {...(problems.count > 0 ? { title: t('prefs.fixFields', { count: problems.count }) } : {})} />
      )}
    </section>
  );
}
