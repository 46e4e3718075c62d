import type { ImportPlanItem } from '../../shared/imports';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { ImportOutcome } from './ImportOutcome';

/** The import preview: one row per file with what will be created or updated, or why it is skipped. */
export function ImportPlanTable(props: { readonly items: readonly ImportPlanItem[] }) {
  const { t } = useI18n();
  const format = useFormat();
  return (
    <table className="import-plan">
      <thead>
        <tr>
          <th scope="col">{t('imports.file')}</th>
          <th scope="col">{t('imports.document')}</th>
          <th scope="col">{t('imports.company')}</th>
          <th scope="col">{t('imports.partner')}</th>
          <th scope="col">{t('imports.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item, index) => (
          <tr key={`${String(index)}-${item.fileName}`} data-status={item.status}>
            <th scope="row">{item.fileName}</th>
            <td>
              {item.document && (
                <>
                  {t(`kinds.${item.document.kind}`)} {item.document.number},{' '}
                  {format.money(item.document.totalMinor, item.document.currency)}
                  {item.document.hasOwnPdf && <>, {t('imports.ownPdf')}</>}
                  {item.document.ksefNumber !== null && <>, {t('imports.ksefNumberOf', { number: item.document.ksefNumber })}</>}
                </>
              )}
            </td>
            <td>
              {item.company &&
                (item.company.action === 'create'
                  ? t('imports.createCompany', { name: item.company.name, identifier: item.company.identifier })
                  : t('imports.existing', { name: item.company.name }))}
            </td>
            <td>
              {item.partner &&
                (item.partner.action === 'create'
                  ? t('imports.createPartner', { name: item.partner.name })
                  : t('imports.existing', { name: item.partner.name }))}
            </td>
            <td>
              <ImportOutcome
                status={item.status === 'ready' ? 'ready' : 'rejected'}
                reason={item.reason}
                warnings={item.warnings}
                currency={item.document?.currency ?? ''}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
