import { useId, type ReactNode } from 'react';
import type { CompanySummary, DocumentKind } from '../../shared/domain';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import type { DocumentQuery } from './document-filters';

/** A label above its control, tied by id (a select nested in its label would add its value to the name). */
function Filter(props: { readonly label: string; readonly children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
    </div>
  );
}

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
  const { query, onChange } = props;
  return (
    <div role="search" className="filters">
      <Filter label={t('documents.search')}>
        {(id) => (
          <input
            id={id}
            type="search"
            value={query.text}
            placeholder={t('documents.searchHint')}
            onChange={(event) => {
              onChange({ text: event.target.value });
            }}
          />
        )}
      </Filter>
      <Filter label={t('imports.companyFilter')}>
        {(id) => (
          <select
            id={id}
            value={query.companyId}
            onChange={(event) => {
              onChange({ companyId: event.target.value === 'all' ? 'all' : Number(event.target.value) });
            }}
          >
            <option value="all">{t('imports.allCompanies')}</option>
            {props.companies.map((company) => (
              <option key={company.id} value={company.id}>
                {company.name}
              </option>
            ))}
          </select>
        )}
      </Filter>
      <Filter label={t('documents.kind')}>
        {(id) => (
          <select
            id={id}
            value={query.kind}
            onChange={(event) => {
              onChange({ kind: event.target.value as DocumentKind | 'all' });
            }}
          >
            <option value="all">{t('documents.allKinds')}</option>
            {props.kinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kinds.${kind}`)}
              </option>
            ))}
          </select>
        )}
      </Filter>
      <Filter label={t('documents.period')}>
        {(id) => (
          <select
            id={id}
            value={query.period}
            onChange={(event) => {
              onChange({ period: event.target.value });
            }}
          >
            <option value="all">{t('documents.allPeriods')}</option>
            {props.periods.map((period) => (
              <option key={period} value={period}>
                {format.month(period)}
              </option>
            ))}
          </select>
        )}
      </Filter>
      <Filter label={t('documents.sentFilter')}>
        {(id) => (
          <select
            id={id}
            value={query.sent}
            onChange={(event) => {
              onChange({ sent: event.target.value as DocumentQuery['sent'] });
            }}
          >
            <option value="all">{t('documents.sentAny')}</option>
            <option value="sent">{t('documents.sentYes')}</option>
            <option value="notSent">{t('documents.sentNo')}</option>
          </select>
        )}
      </Filter>
    </div>
  );
}
