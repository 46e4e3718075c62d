import { useEffect, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { Templates } from '../../shared/templates';
import { ErrorNotice } from '../components/ErrorNotice';
import { SaveStatus } from '../components/SaveStatus';
import { fieldProblems } from '../field-problems';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { TemplateEditor } from './TemplateEditor';

/**
 * One company's own e-mail templates over the office's (`office`, as the window shows them): a message
 * the company has no text for shows the office's; a changed one is the company's. Saved at once with
 * the company in the database, not with the preferences file.
 */
export function CompanyTemplates(props: { readonly company: CompanySummary; readonly office: Templates }) {
  const kurier = useKurier();
  const { t } = useI18n();
  const [own, setOwn] = useState<Templates | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [status, setStatus] = useState('');
  const { company } = props;

  useEffect(() => {
    let current = true;
    void kurier.companies.templates({ companyId: company.id }).then((result) => {
      if (!current) return;
      if (result.ok) setOwn(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [kurier, company.id]);

  const save = async () => {
    if (!own) return;
    setStatus('');
    const result = await kurier.companies.updateTemplates({ companyId: company.id, templates: own });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setOwn(result.value);
    setStatus(t('templates.companySaved', { company: company.name }));
  };

  if (!own) return error ? <ErrorNotice error={error} /> : null;
  const problem = fieldProblems(error).of;
  return (
    <div data-testid="company-templates">
      <p className="hint">{t('templates.companyHint')}</p>
      <TemplateEditor
        value={own}
        fallback={props.office}
        editable
        onChange={(templates) => {
          setStatus('');
          setOwn(templates);
        }}
        problem={(field) => problem(`templates.${field}`)}
        states={{
          changed: t('templates.companyOwn'),
          inherited: t('templates.companyInherited'),
          reset: t('templates.companyReset'),
        }}
      />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void save()}>
          {t('templates.companySave', { company: company.name })}
        </button>
      </div>
      <SaveStatus status={status} error={error} />
    </div>
  );
}
