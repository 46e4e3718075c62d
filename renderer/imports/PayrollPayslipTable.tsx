import type { PayrollPreview } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** The payslips the rule cuts, matched to employees or not, with employees left without one and unreadable files. */
export function PayrollPayslipTable(props: { readonly preview: PayrollPreview; readonly company: string }) {
  const { t } = useI18n();
  const { preview } = props;
  const matched = preview.payslips.filter((item) => item.employeeName !== '').length;
  return (
    <>
      <p role="status">{t('imports.payroll.matched', { matched, unmatched: preview.payslips.length - matched })}</p>
      <table className="import-plan" data-testid="payroll-payslips">
        <caption>{t('imports.payroll.payslipsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.payroll.employee')}</th>
            <th scope="col">{t('imports.payroll.pages')}</th>
            <th scope="col">{t('imports.payroll.number')}</th>
            <th scope="col">{t('imports.payroll.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.payslips.map((item) => (
            <tr key={`${item.file}-${String(item.firstPage)}`} data-action={item.action}>
              <th scope="row">{item.employeeName !== '' ? item.employeeName : (item.key ?? '')}</th>
              <td>
                {item.file} {t('imports.payroll.pageRange', { from: item.firstPage + 1, to: item.firstPage + item.pageCount })}
              </td>
              <td>{item.number}</td>
              <td>{t(`imports.payroll.actions.${item.action}`, { key: item.key ?? '' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.employeesWithout.length > 0 && (
        <p className="hint">
          {t('imports.payroll.without', { company: props.company, names: preview.employeesWithout.join(', ') })}
        </p>
      )}
      {preview.unreadable.map((file) => (
        <p key={file.file} className="problem">
          {t('imports.payroll.unreadable', { file: file.file, problem: file.problem })}
        </p>
      ))}
    </>
  );
}
