import { partnerCsvFields, type PartnerCsvField, type PartnerRowView } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** What each row of a partner CSV will do (preview) or did (result), with its problems. */
export function PartnerRowTable(props: { readonly rows: readonly PartnerRowView[]; readonly done: boolean }) {
  const { t } = useI18n();
  const fields = (row: PartnerRowView) =>
    row.changes
      .map((field) =>
        field === 'registrationNumber'
          ? t('imports.partners.fields.identifier')
          : (partnerCsvFields as readonly string[]).includes(field)
            ? t(`imports.partners.fields.${field as PartnerCsvField}`)
            : field,
      )
      .join(', ');
  return (
    <table className="import-plan" data-testid={props.done ? 'partner-result' : 'partner-rows'}>
      <caption>{t('imports.partners.rowsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.partners.line')}</th>
          <th scope="col">{t('imports.partners.partner')}</th>
          <th scope="col">{t('imports.partners.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.line} data-action={row.action}>
            <td>{row.line}</td>
            <th scope="row">{row.name}</th>
            <td>
              <strong>{t(`imports.partners.${props.done ? 'done' : 'actions'}.${row.action}`, { fields: fields(row) })}</strong>
              {row.problems.map((problem) => (
                <span key={`${problem.code}-${problem.value}`} className="problem">
                  {' '}
                  {t(`inbox.partnerProblems.${problem.code}`, { line: row.line, value: problem.value })}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
