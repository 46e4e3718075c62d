import { useId } from 'react';
import type { CompanySummary, DocumentKind } from '../../shared/domain';
import { SelectField } from '../components/SelectField';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import type { DocumentQuery } from './document-filters';

/** The search box and the filters above the document list (company, type, period, sent state). */
export function DocumentFilters(props: {
  readonly query: DocumentQuery;
  readonly onChange: (change: Partial<DocumentQuery>) => void;
  readonly companies: readonly CompanySummary[];
  readonly kinds: readonly DocumentKind[];
  readonly periods: readonly string[];
}) {
  const { t } = useI18n();
  const format = useFormat();
  const searchId = useId();
  const { query, onChange } = props;
  return (
    <div role="search" className="filters">
      <div className="field">
        <label htmlFor={searchId}>{t('documents.search')}</label>
        <input
          id={searchId}
          type="search"
          value={query.text}
          placeholder={t('documents.searchHint')}
          onChange={(event) => {
            onChange({ text: event.target.value });
          }}
        />
      </div>
      <SelectField
        label={t('imports.companyFilter')}
        value={query.companyId}
        onChange={(value) => {
          onChange({ companyId: value === 'all' ? 'all' : Number(value) });
        }}
      >
        <option value="all">{t('imports.allCompanies')}</option>
        {props.companies.map((company) => (
          <option key={company.id} value={company.id}>
            {company.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('documents.kind')}
        value={query.kind}
        onChange={(value) => {
          onChange({ kind: value as DocumentKind | 'all' });
        }}
      >
        <option value="all">{t('documents.allKinds')}</option>
        {props.kinds.map((kind) => (
          <option key={kind} value={kind}>
            {t(`kinds.${kind}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('documents.period')}
        value={query.period}
        onChange={(value) => {
          onChange({ period: value });
        }}
      >
        <option value="all">{t('documents.allPeriods')}</option>
        {props.periods.map((period) => (
          <option key={period} value={period}>
            {format.month(period)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('documents.sentFilter')}
        value={query.sent}
        onChange={(value) => {
          onChange({ sent: value as DocumentQuery['sent'] });
        }}
      >
        <option value="all">{t('documents.sentAny')}</option>
        <option value="sent">{t('documents.sentYes')}</option>
        <option value="notSent">{t('documents.sentNo')}</option>
      </SelectField>
    </div>
  );
}
