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
  if (company.templatesJson.trim() === '' || company.templatesJson.trim() === '{}') return office;
  let stored: unknown;
  try {
    stored = JSON.parse(company.templatesJson);
  } catch {
    stored = null;
  }
  const parsed = templatesSchema.safeParse(stored);
  if (!parsed.success) {
    logger.warn('companyTemplatesIgnored', { companyId: company.id });
    return office;
  }
  return { ...office, ...parsed.data };
}
