import type { PayrollPreview } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** The first pages of the payroll and who the rule finds on each. */
export function PayrollSampleTable(props: { readonly preview: PayrollPreview }) {
  const { t } = useI18n();
  return (
    <table className="import-plan" data-testid="payroll-samples">
      <caption>{t('imports.payroll.samplesCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.payroll.file')}</th>
          <th scope="col">{t('imports.payroll.page')}</th>
          <th scope="col">{t('imports.payroll.found')}</th>
          <th scope="col">{t('imports.payroll.excerpt')}</th>
        </tr>
      </thead>
      <tbody>
        {props.preview.samplePages.map((page) => (
          <tr key={`${page.file}-${String(page.page)}`}>
            <td>{page.file}</td>
            <th scope="row">{page.page + 1}</th>
            <td>{page.key ?? t('imports.payroll.continuation')}</td>
            <td className="excerpt">{page.excerpt.replace(/\s+/g, ' ').slice(0, 140)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
