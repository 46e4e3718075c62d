import { useId, useState, type ChangeEvent } from 'react';
import { typedKsefNumber } from '../../shared/imports';
import type { KurierErrorShape } from '../../shared/errors';
import type { DryRunItem } from '../../shared/outbox';
import { ErrorNotice } from '../components/ErrorNotice';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

/**
 * The check before sending asks for the KSeF numbers of Polish invoices that have none yet: typed, or
 * read from the UPO file KSeF issued (the numbers found are filled in to be checked, then saved).
 * Without a number the invoice still goes, its KSeF code carrying OFFLINE — as the law allows for an
 * invoice issued offline.
 */
export function KsefNumbersPrompt(props: { readonly items: readonly DryRunItem[]; readonly onSaved: () => void }) {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const fileId = useId();
  const [numbers, setNumbers] = useState<Readonly<Record<number, string>>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = props.items
    .map((item) => ({ documentId: item.documentId, ksefNumber: typedKsefNumber(numbers[item.documentId] ?? '').value }))
    .filter((entry) => entry.ksefNumber !== '');
  const invalid = (documentId: number): boolean => typedKsefNumber(numbers[documentId] ?? '').invalid;

  const readUpo = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    const result = await kurier.ksef.readUpo({ documentIds: props.items.map((item) => item.documentId), xml: await file.text() });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    if (result.value.status === 'notUpo') {
      setStatus(t('ksefNumbers.notUpo'));
      return;
    }
    const next = { ...numbers };
    for (const match of result.value.matches) next[match.documentId] = match.ksefNumber;
    setNumbers(next);
    setStatus(t('ksefNumbers.upoFound', { confirmed: result.value.confirmed, count: result.value.matches.length }));
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    const result = await kurier.ksef.storeNumbers({ numbers: typed });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setStatus(t('ksefNumbers.saved', { count: result.value.stored }));
    props.onSaved();
  };

  return (
    <section className="notice notice-warning" aria-labelledby={headingId} data-testid="ksef-numbers">
      <h3 id={headingId} className="notice-title">
        {t('ksefNumbers.title', { count: props.items.length })}
      </h3>
      <p>{t('ksefNumbers.explain')}</p>
      {props.items.map((item) => (
        <TextField
          key={item.documentId}
          name={`ksef-${String(item.documentId)}`}
          label={t('ksefNumbers.numberFor', { number: item.documentNumber, partner: item.partnerName })}
          hint={t('ksefNumbers.hint')}
          value={numbers[item.documentId] ?? ''}
          onChange={(value) => {
            setNumbers({ ...numbers, [item.documentId]: value });
          }}
          problem={typedKsefNumber(numbers[item.documentId] ?? '').problem}
        />
      ))}
      <div className="field">
        <label htmlFor={fileId}>{t('ksefNumbers.readUpo')}</label>
        <input id={fileId} type="file" accept=".xml,application/xml,text/xml" onChange={(event) => void readUpo(event)} />
      </div>
      {status !== null && (
        <p role="status" data-testid="ksef-numbers-status">
          {status}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button
          type="button"
          disabled={busy || typed.length === 0 || props.items.some((item) => invalid(item.documentId))}
          onClick={() => void save()}
        >
          {t('ksefNumbers.save')}
        </button>
      </div>
    </section>
  );
}
