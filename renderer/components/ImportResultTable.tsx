import type { ImportResult } from '../../shared/imports';
import { useI18n } from '../hooks/use-i18n';
import { ImportOutcome } from './ImportOutcome';

/** The import result: one row per file with what was imported, or why not. */
export function ImportResultTable(props: { readonly result: ImportResult }) {
  const { t } = useI18n();
  return (
    <table className="import-result">
      <thead>
        <tr>
          <th scope="col">{t('imports.file')}</th>
          <th scope="col">{t('imports.document')}</th>
          <th scope="col">{t('imports.company')}</th>
          <th scope="col">{t('imports.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.result.items.map((item, index) => (
          <tr key={`${String(index)}-${item.fileName}`} data-status={item.status}>
            <th scope="row">{item.fileName}</th>
            <td>{item.number}</td>
            <td>{item.companyName}</td>
            <td>
              <ImportOutcome status={item.status} reason={item.reason} warnings={item.warnings} currency="" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
