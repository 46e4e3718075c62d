import { useEffect, useId, useRef, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import {
  partnerCsvFields,
  type PartnerCsvField,
  type PartnerCsvMapping,
  type PartnerOutcome,
  type PartnerPreview,
  type StagedFile,
} from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';
import { useModalDialog } from '../hooks/use-modal-dialog';
import { useKurier } from '../hooks/use-kurier';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';
import { ImportCompanySelect } from './ImportCompanySelect';
import { PartnerColumnTable } from '../imports/PartnerColumnTable';
import { PartnerRowTable } from '../imports/PartnerRowTable';

/**
 * The partner CSV preview: the detected encoding and delimiter, each column of the file mapped to a
 * partner field or ignored (a <select> per column, with its first values beside it), what each row will
 * do, then the commit and its result. Every change of company or mapping asks main for a fresh preview.
 */
export function PartnerImportDialog(props: {
  readonly file: StagedFile;
  readonly companies: readonly CompanySummary[];
  readonly companyId: number;
  readonly onClose: (imported: boolean) => void;
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const titleId = useId();
  const [companyId, setCompanyId] = useState(props.companyId);
  const [mapping, setMapping] = useState<PartnerCsvMapping | undefined>(undefined);
  const [preview, setPreview] = useState<PartnerPreview | null>(null);
  const [outcome, setOutcome] = useState<PartnerOutcome | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const imported = outcome !== null && outcome.counts.create + outcome.counts.update > 0;
  const ref = useModalDialog(props.onClose, imported, props.returnFocus);
  const request = useRef(0);

  useEffect(() => {
    const asked = ++request.current;
    void kurier.imports.planPartners({ companyId, sourceId: props.file.sourceId, mapping }).then((answer) => {
      if (asked !== request.current) return;
      if (answer.ok) {
        setPreview(answer.value);
        setError(null);
      } else setError(answer.error);
    });
  }, [kurier, companyId, mapping, props.file.sourceId]);

  const shown = preview?.mapping;
  const choose = (column: number, field: PartnerCsvField | 'ignore') => {
    if (!shown) return;
    const next: Record<PartnerCsvField, number | null> = { ...shown };
    for (const key of partnerCsvFields) if (next[key] === column) next[key] = null;
    if (field !== 'ignore') next[field] = column;
    setMapping(next);
  };
  const commit = async () => {
    if (!shown) return;
    setBusy(true);
    const answer = await kurier.imports.commitPartners({ companyId, sourceId: props.file.sourceId, mapping: shown });
    setBusy(false);
    if (answer.ok) setOutcome(answer.value);
    else setError(answer.error);
  };
  const writes = preview ? preview.counts.create + preview.counts.update : 0;

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="import-dialog" data-testid="partner-import-dialog">
      <h2 id={titleId}>{t(outcome ? 'imports.partners.resultTitle' : 'imports.partners.title', { file: props.file.name })}</h2>
      {error && <ErrorNotice error={error} />}
      {!outcome && (
        <ImportCompanySelect
          label={t('imports.partners.company')}
          companies={props.companies}
          value={companyId}
          onChange={setCompanyId}
        />
      )}
      {!preview && !error && <p role="status">{t('imports.reading')}</p>}
      {preview && !outcome && (
        <>
          <p className="hint">
            {t('imports.partners.facts', {
              encoding: preview.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1250',
              delimiter: preview.delimiter === ';' ? t('imports.partners.semicolon') : t('imports.partners.comma'),
              rows: preview.rows.length,
            })}
          </p>
          {preview.mappingRemembered && <p className="hint">{t('imports.partners.remembered')}</p>}
          <PartnerColumnTable preview={preview} onChoose={choose} />
          {preview.mapping.name === null && <p className="problem">{t('imports.partners.noName')}</p>}
          <PartnerRowTable rows={preview.rows} done={false} />
        </>
      )}
      {outcome && <PartnerRowTable rows={outcome.rows} done />}
      {(outcome ?? preview) && <p role="status">{t('imports.partners.summary', { ...(outcome ?? preview)?.counts })}</p>}
      {preview && !outcome && writes === 0 && <p className="hint">{t('imports.partners.nothing')}</p>}
      <ImportActions
        done={outcome !== null}
        onClose={() => {
          props.onClose(imported);
        }}
        commitLabel={preview && writes > 0 ? t('imports.partners.commit', { count: writes }) : null}
        commitDisabled={busy}
        onCommit={() => void commit()}
      />
    </dialog>
  );
}
