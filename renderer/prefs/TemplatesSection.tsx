import { useState } from 'react';
import type { Templates } from '../../shared/templates';
import { CompanyPicker } from '../components/CompanyPicker';
import { useCompanies } from '../hooks/use-companies';
import { useI18n } from '../hooks/use-i18n';
import { CompanyTemplates } from './CompanyTemplates';
import { TemplateEditor } from './TemplateEditor';

/**
 * The e-mail templates: the office's (saved with the preferences), or — in the office window — one
 * company's own, which replace the office's for that company's documents (issue 15; stored with the
 * company, saved with their own button).
 */
export function TemplatesSection(props: {
  readonly value: Templates;
  readonly editable: boolean;
  readonly onChange: (templates: Templates) => void;
  readonly problem: (field: string) => string | undefined;
  /** Offer the company picker (the office window; a user's own templates are not per company). */
  readonly perCompany?: boolean;
}) {
  const { t } = useI18n();
  const companies = useCompanies();
  const [scope, setScope] = useState<'office' | number>('office');
  const company = scope === 'office' ? undefined : companies.find((candidate) => candidate.id === scope);
  return (
    <>
      {props.perCompany === true && companies.length > 0 && (
        <CompanyPicker
          label={t('templates.scope')}
          name="templatesCompany"
          companies={companies}
          value={scope}
          onChange={(picked) => {
            setScope(picked === 'office' ? 'office' : Number(picked));
          }}
          before={<option value="office">{t('templates.officeDefault')}</option>}
        />
      )}
      {company ? (
        <CompanyTemplates key={company.id} company={company} office={props.value} />
      ) : (
        <TemplateEditor value={props.value} editable={props.editable} onChange={props.onChange} problem={props.problem} />
      )}
    </>
  );
}
