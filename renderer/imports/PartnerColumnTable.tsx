import { partnerCsvFields, type PartnerCsvField, type PartnerPreview } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** Each column of a partner CSV with the partner field it fills (or ignored) and its first values. */
export function PartnerColumnTable(props: {
  readonly preview: PartnerPreview;
  readonly onChoose: (column: number, field: PartnerCsvField | 'ignore') => void;
}) {
  const { t } = useI18n();
  const { preview } = props;
  const fieldOf = (column: number) => partnerCsvFields.find((field) => preview.mapping[field] === column) ?? 'ignore';
  return (
    <table className="import-plan">
      <caption>{t('imports.partners.columnsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.partners.column')}</th>
          <th scope="col">{t('imports.partners.holds')}</th>
          <th scope="col">{t('imports.partners.samples')}</th>
        </tr>
      </thead>
      <tbody>
        {preview.header.map((column, index) => (
          <tr key={`${String(index)}-${column}`}>
            <th scope="row">{column}</th>
            <td>
              <select
                aria-label={t('imports.partners.fieldOf', { column })}
                value={fieldOf(index)}
                onChange={(event) => {
                  props.onChoose(index, event.target.value as PartnerCsvField | 'ignore');
                }}
              >
                <option value="ignore">{t('imports.partners.ignore')}</option>
                {partnerCsvFields.map((field) => (
                  <option key={field} value={field}>
                    {t(`imports.partners.fields.${field}`)}
                  </option>
                ))}
              </select>
            </td>
            <td>
              {preview.sampleRows
                .map((row) => row[index] ?? '')
                .filter((value) => value !== '')
                .slice(0, 3)
                .join(' · ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
