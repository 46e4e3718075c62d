/**
 * Step one of an import: each read file matched against the database — its issuing company (by IČO/NIP),
 * its buyer (a partner of that company, by IČO/NIP), duplicates (same ISDOC UUID, or the same number in
 * the same company) — without writing anything. The result is what the preview shows and what the commit
 * carries out.
 */
import type { DocumentRepository } from '../documents/document-repository';
import { bareIdentifier } from '../../../shared/company-identifiers';
import type { CompanyRecord } from '../../../shared/domain';
import type { ImportPlanItem, ImportReason, ImportWarningCode } from '../../../shared/imports';
import { ImportRejection } from './import-error';
import type { ParsedParty, ReadFile } from './parsed-document';

/** One planned file with what the commit needs. */
export interface PlannedFile {
  readonly view: ImportPlanItem;
  readonly read: ReadFile | null;
  /** The existing company, or `null` when the import creates it from the file's supplier. */
  readonly companyId: number | null;
  readonly partnerId: number | null;
}

/** What a file must match. */
export interface PlanContext {
  readonly documents: DocumentRepository;
  /** With `--company`: the documents must be issued by this company. */
  readonly company?: CompanyRecord | undefined;
}

/** The identifier a party is matched by: its tax id (DIČ/NIP), else its IČO/REGON. */
export function partyIdentifier(party: ParsedParty): string {
  return party.taxId !== '' ? party.taxId : party.registrationNumber;
}

/** A file that could not be read, as a plan row. */
export function rejectedFile(fileName: string, rejection: ImportRejection, format: ImportPlanItem['format'] = null): PlannedFile {
  return {
    view: {
      fileName,
      format,
      status: 'rejected',
      reason: { code: rejection.code, details: rejection.details },
      warnings: [],
      document: null,
      company: null,
      partner: null,
    },
    read: null,
    companyId: null,
    partnerId: null,
  };
}

/**
 * Plans one read file. `seen` collects `company|number` and `company|uuid` keys of files planned before in
 * the same plan, so two copies of one invoice in a folder give one document and one "duplicate".
 */
export function planFile(context: PlanContext, fileName: string, read: ReadFile, seen: Set<string>): PlannedFile {
  const { parsed } = read;
  const supplierId = partyIdentifier(parsed.supplier);
  const found =
    context.documents.companies.findByIdentifier(parsed.supplier.taxId) ??
    context.documents.companies.findByIdentifier(parsed.supplier.registrationNumber);
  try {
    if (context.company !== undefined && found?.id !== context.company.id) {
      throw new ImportRejection('unknownCompany', { identifier: supplierId, company: context.company.name });
    }
    const companyKey = found ? String(found.id) : `new:${bareIdentifier(supplierId)}`;
    const keys = [`${companyKey}|n|${parsed.number}`, ...(parsed.isdocUuid ? [`${companyKey}|u|${parsed.isdocUuid}`] : [])];
    if (
      parsed.isdocUuid !== null &&
      (seen.has(keys[1] ?? '') || (found && context.documents.hasIsdocUuid(found.id, parsed.isdocUuid)))
    ) {
      throw new ImportRejection('duplicateUuid', { uuid: parsed.isdocUuid, number: parsed.number });
    }
    if (seen.has(keys[0] ?? '') || (found && context.documents.hasNumber(found.id, parsed.number))) {
      throw new ImportRejection('duplicateNumber', { number: parsed.number, company: found?.name ?? parsed.supplier.name });
    }
    for (const key of keys) seen.add(key);
  } catch (error) {
    if (error instanceof ImportRejection) return rejectedFile(fileName, error, read.format);
    throw error;
  }
  const partner = found ? context.documents.findPartnerByIdentifier(found.id, parsed.customer) : undefined;
  const warnings: ImportReason<ImportWarningCode>[] = [];
  const mismatch = totalsMismatch(read);
  if (mismatch) warnings.push({ code: 'totalsMismatch', details: { ...mismatch, currency: parsed.currency } });
  const email = partner?.email ?? parsed.customer.email;
  if (email === '') warnings.push({ code: 'noEmail', details: { partner: parsed.customer.name } });
  return {
    view: {
      fileName,
      format: read.format,
      status: 'ready',
      reason: null,
      warnings,
      document: {
        kind: parsed.kind,
        number: parsed.number,
        issueDate: parsed.issueDate,
        dueDate: parsed.dueDate,
        currency: parsed.currency,
        totalMinor: parsed.declared.totalMinor,
        ksefNumber: parsed.ksefNumber,
        hasOwnPdf: read.originals.some((original) => original.kind === 'pdf'),
      },
      company: found
        ? { action: 'existing', name: found.name, identifier: supplierId }
        : { action: 'create', name: parsed.supplier.name, identifier: supplierId },
      partner: partner
        ? { action: 'existing', name: partner.name, email: partner.email }
        : { action: 'create', name: parsed.customer.name, email: parsed.customer.email },
    },
    read,
    companyId: found?.id ?? null,
    partnerId: partner?.id ?? null,
  };
}

/**
 * When the file's totals do not add up: its net total against its lines, or net + VAT against its gross.
 * `null` when they agree.
 */
export function totalsMismatch(read: ReadFile): { declaredMinor: number; linesMinor: number } | null {
  const { declared, linesBaseMinor } = read.parsed;
  if (linesBaseMinor !== null && linesBaseMinor !== declared.baseMinor) {
    return { declaredMinor: declared.baseMinor, linesMinor: linesBaseMinor };
  }
  if (declared.baseMinor + declared.vatMinor !== declared.grossMinor) {
    return { declaredMinor: declared.grossMinor, linesMinor: declared.baseMinor + declared.vatMinor };
  }
  return null;
}
