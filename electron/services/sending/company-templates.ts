/**
 * A company's own e-mail templates (issue 15: stored with the company, `templates_json`) win over the
 * office's for that company's documents, key by key (`invoice.cs`, `paymentReminder1.pl`, …). A stored
 * value that is not valid templates is ignored as a whole — the office's are used — and logged, so a
 * damaged row never stops a send.
 */
import type { CompanyRecord } from '../../../shared/domain';
import { templatesSchema, type Templates } from '../../../shared/templates';
import type { Logger } from '../logging/logger';

/** The templates in force for documents of `company`: the office's, overridden by the company's own. */
export function companyTemplates(office: Templates, company: CompanyRecord, logger: Logger): Templates {
  const own = ownTemplates(company);
  if (own === 'damaged') logger.warn('companyTemplatesIgnored', { companyId: company.id });
  return own === 'damaged' ? office : { ...office, ...own };
}

/** The company's own templates as stored (`{}` when none), or `damaged` when the stored value is not templates. */
export function ownTemplates(company: CompanyRecord): Templates | 'damaged' {
  if (company.templatesJson.trim() === '' || company.templatesJson.trim() === '{}') return {};
  let stored: unknown;
  try {
    stored = JSON.parse(company.templatesJson);
  } catch {
    stored = null;
  }
  const parsed = templatesSchema.safeParse(stored);
  return parsed.success ? parsed.data : 'damaged';
}
