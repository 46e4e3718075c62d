import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import type { CompanyEinvoiceView } from '../../shared/company-einvoice';
import { isdocAttachmentModes, ksefEnvironments } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import { SaveStatus } from '../components/SaveStatus';
import { useI18n } from '../hooks/use-i18n';
import { SelectField } from '../components/SelectField';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { CompanyPicker } from '../components/CompanyPicker';

type Mode = CompanyEinvoiceView['isdocAttachment'];
type KsefEnvironment = CompanyEinvoiceView['ksefEnvironment'];

const isKsefEnvironment = (value: string): value is KsefEnvironment => (ksefEnvironments as readonly string[]).includes(value);

/**
 * Each client company's e-invoice settings (stored with the company): whether the ISDOC — or a Polish
 * invoice's FA(3) XML — travels beside the PDF, inside it or not at all; whether a Polish company's
 * invoices carry the Polish banks' transfer QR code; and which KSeF environment a Polish company issues in.
 */
export function EinvoiceSection() {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const [rows, setRows] = useState<readonly CompanyEinvoiceView[]>([]);
  const [companyId, setCompanyId] = useState<number | null>(null);
  const [mode, setMode] = useState<Mode>('separate');
  const [transferQr, setTransferQr] = useState(false);
  const [ksefEnvironment, setKsefEnvironment] = useState<KsefEnvironment>('production');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<KurierErrorShape | null>(null);

  const show = (list: readonly CompanyEinvoiceView[], id: number | null) => {
    setRows(list);
    const chosen = list.find((row) => row.companyId === id) ?? list[0];
    setCompanyId(chosen?.companyId ?? null);
    setMode(chosen?.isdocAttachment ?? 'separate');
    setTransferQr(chosen?.polishTransferQr ?? false);
    setKsefEnvironment(chosen?.ksefEnvironment ?? 'production');
  };

  useEffect(() => {
    void kurier.companies.einvoice().then((result) => {
      if (result.ok) show(result.value, null);
    });
  }, [kurier]);

  // A company added, renamed or removed anywhere joins the picker at once; what is typed here stays.
  useKurierEvent('companies:changed', () => {
    void kurier.companies.einvoice().then((result) => {
      if (!result.ok) return;
      if (result.value.some((row) => row.companyId === companyId)) setRows(result.value);
      else show(result.value, null);
    });
  });

  const chosen = rows.find((row) => row.companyId === companyId);
  const polish = chosen?.country === 'PL';

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setError(null);
    const result = await kurier.companies.updateEinvoice({
      companyId: chosen.companyId,
      isdocAttachment: mode,
      polishTransferQr: polish && transferQr,
      ksefEnvironment: polish ? ksefEnvironment : 'production',
    });
    if (!result.ok) {
      setStatus('');
      setError(result.error);
      return;
    }
    show(result.value, chosen.companyId);
    setStatus(t('companyEinvoice.saved', { company: chosen.companyName }));
  };

  if (rows.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="einvoice-settings" data-testid="einvoice-settings">
      <h2 id={headingId}>{t('companyEinvoice.title')}</h2>
      <p className="hint">{t('companyEinvoice.intro')}</p>
      <form onSubmit={(event) => void save(event)}>
        <CompanyPicker
          label={t('companyEinvoice.company')}
          name="einvoiceCompany"
          companies={rows.map((row) => ({ id: row.companyId, name: row.companyName }))}
          value={companyId ?? ''}
          onChange={(picked) => {
            show(rows, Number(picked));
            setStatus('');
          }}
        />
        <fieldset>
          <legend>{t('companyEinvoice.attachment')}</legend>
          {isdocAttachmentModes.map((option) => (
            <label key={option} className="checkbox">
              <input
                type="radio"
                name="isdocAttachment"
                value={option}
                checked={mode === option}
                onChange={() => {
                  setMode(option);
                }}
              />
              {t(`companyEinvoice.modes.${option}`)}
            </label>
          ))}
        </fieldset>
        {polish && (
          <label className="checkbox">
            <input
              type="checkbox"
              name="polishTransferQr"
              checked={transferQr}
              onChange={(event) => {
                setTransferQr(event.target.checked);
              }}
            />
            {t('companyEinvoice.polishTransferQr')}
          </label>
        )}
        {polish && <p className="hint">{t('companyEinvoice.polishTransferQrHint')}</p>}
        {polish && (
          <SelectField
            label={t('companyEinvoice.ksefEnvironment')}
            name="ksefEnvironment"
            value={ksefEnvironment}
            hint={t('companyEinvoice.ksefEnvironmentHint')}
            onChange={(picked) => {
              if (isKsefEnvironment(picked)) setKsefEnvironment(picked);
            }}
          >
            {ksefEnvironments.map((option) => (
              <option key={option} value={option}>
                {t(`companyEinvoice.ksefEnvironments.${option}`)}
              </option>
            ))}
          </SelectField>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            {t('companyEinvoice.save')}
          </button>
        </div>
      </form>
      <SaveStatus status={status} error={error} />
    </section>
  );
}
