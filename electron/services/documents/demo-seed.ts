import type { DatabaseSync } from 'node:sqlite';
import { computeTotals } from '../../../shared/domain';
import type { AccountingDocument, Company, DocumentLine, Language } from '../../../shared/domain';
import { demoCompany, demoCompanyOf, demoLocales, demoPartners, demoPolishCompany } from './demo-data';
import type { DemoPartner } from './demo-data';
import { czechPayslipLines, polishPayslipLines } from './demo-payslips';

type NewDocument = Omit<AccountingDocument, 'id' | 'partnerId' | 'companyId' | 'origin'> & {
  readonly partnerKey: string;
};

/** Invoices: which client, issued how many days before "today". Old ones are overdue. */
const invoicePlan: readonly (readonly [partnerKey: string, daysAgo: number])[] = [
  ['dvorak', 118],
  ['gesla', 112],
  ['stastny', 104],
  ['harbour', 97],
  ['zolkiewski', 90],
  ['ruzicka', 84],
  ['cermak', 77],
  ['mlyny', 71],
  ['buleczka', 66],
  ['dvorak', 60],
  ['gesla', 54],
  ['stastny', 49],
  ['cermak', 43],
  ['zolkiewski', 38],
  ['harbour', 33],
  ['ruzicka', 28],
  ['mlyny', 21],
  ['dvorak', 16],
  ['buleczka', 12],
  ['gesla', 8],
  ['cermak', 5],
  ['stastny', 2],
];
/** Indexes into {@link invoicePlan} of invoices corrected by a credit note. */
const creditedInvoices = [0, 1, 6];
/** Indexes into {@link invoicePlan} of overdue invoices that got a payment reminder. */
const remindedInvoices = [2, 3, 4, 5];
/** Monthly gross wage per employee, in minor units of the employee's currency. */
const grossWages: readonly (readonly [partnerKey: string, grossMinor: number])[] = [
  ['novackova', 4_200_000],
  ['ruzicka-jiri', 3_650_000],
  ['wojcik', 800_000],
  ['slezak', 675_000],
];
const paymentTermDays = 14;

/**
 * Fills an empty database with two demo client companies — a Czech one (Czech and Irish clients, Czech
 * employees) and a Polish one (Polish clients, PLN invoices, Polish employees) — with documents of every
 * kind dated relative to `clock()`. Both are marked demo so the user can remove them. Deterministic for a
 * given clock.
 *
 * @returns `true` when it seeded; `false` (and no change) when companies, partners or documents already
 *   exist, or the user removed the demo before.
 */
export function seedDemoCompany(db: DatabaseSync, clock: () => Date): boolean {
  const today = isoDate(clock());
  db.exec('BEGIN IMMEDIATE');
  try {
    const seeded = isEmpty(db);
    if (seeded) insertAll(db, today);
    db.exec('COMMIT');
    return seeded;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function isEmpty(db: DatabaseSync): boolean {
  const row = db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM partners) + (SELECT COUNT(*) FROM companies)
         + (SELECT COUNT(*) FROM kurier_meta WHERE key = 'demoRemoved') AS n`,
    )
    .get();
  return row?.['n'] === 0;
}

function insertCompany(db: DatabaseSync, c: Company): number {
  const result = db
    .prepare(
      `INSERT INTO companies (name, street, city, postal_code, country, registration_number, tax_id, email, phone,
       bank_account, iban, is_demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    )
    .run(
      c.name,
      c.address.street,
      c.address.city,
      c.address.postalCode,
      c.address.country,
      c.registrationNumber,
      c.taxId,
      c.email,
      c.phone,
      c.bankAccount,
      c.iban,
    );
  return Number(result.lastInsertRowid);
}

function insertAll(db: DatabaseSync, today: string): void {
  const companyIds = { cz: insertCompany(db, demoCompany), pl: insertCompany(db, demoPolishCompany) };

  const insertPartner = db.prepare(
    `INSERT INTO partners (company_id, kind, name, contact_person, email, phone, street, city, postal_code, country,
       registration_number, tax_id, language, personal_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const partnerIds = new Map<string, readonly [partnerId: number, companyId: number]>();
  for (const p of demoPartners) {
    const companyId = companyIds[demoCompanyOf(p)];
    const result = insertPartner.run(
      companyId,
      p.kind,
      p.name,
      p.contactPerson,
      p.email,
      p.phone,
      p.address.street,
      p.address.city,
      p.address.postalCode,
      p.address.country,
      p.registrationNumber,
      p.taxId,
      p.language,
      // A demo employee's "registration number" is its payroll personal number.
      p.kind === 'employee' ? p.registrationNumber : '',
    );
    partnerIds.set(p.key, [Number(result.lastInsertRowid), companyId]);
  }

  const insertDocument = db.prepare(
    `INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date,
       currency, variable_symbol, period, related_number, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO document_lines (document_id, position, description, quantity_milli, unit,
       unit_price_minor, vat_rate_percent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const documents = buildDocuments(today).sort((a, b) => a.issueDate.localeCompare(b.issueDate));
  for (const d of documents) {
    const ids = partnerIds.get(d.partnerKey);
    if (ids === undefined) throw new Error(`demo partner ${d.partnerKey} missing`);
    const [partnerId, companyId] = ids;
    const { lastInsertRowid } = insertDocument.run(
      companyId,
      d.kind,
      d.number,
      partnerId,
      d.issueDate,
      d.dueDate,
      d.taxableSupplyDate,
      d.currency,
      d.variableSymbol,
      d.period,
      d.relatedNumber,
      d.note,
    );
    d.lines.forEach((line, position) => {
      insertLine.run(
        lastInsertRowid,
        position,
        line.description,
        line.quantityMilli,
        line.unit,
        line.unitPriceMinor,
        line.vatRatePercent,
      );
    });
  }
}

function buildDocuments(today: string): NewDocument[] {
  const numbers = new NumberSequence();
  const invoices = invoicePlan.map(([key, daysAgo], index) =>
    buildInvoice(partner(key), addDays(today, -daysAgo), index, numbers),
  );
  const credits = creditedInvoices.map((index) => buildCreditNote(at(invoices, index), numbers));
  const reminders = remindedInvoices.map((index) => buildReminder(at(invoices, index), today, numbers));
  // The first reminded invoice escalates: a second reminder two weeks later, a final notice after four.
  const escalated = at(invoices, at(remindedInvoices, 0));
  reminders.push(buildReminder(escalated, today, numbers, 14), buildReminder(escalated, today, numbers, 28));
  return [...invoices, ...credits, ...reminders, ...buildPayslips(today)];
}

function buildInvoice(p: DemoPartner, issueDate: string, index: number, numbers: NumberSequence): NewDocument {
  const locale = demoLocales[p.language];
  const count = 2 + (index % 3);
  const lines: DocumentLine[] = [];
  for (let k = 0; k < Math.min(count, locale.catalog.length); k += 1) {
    const item = at(locale.catalog, (index + k * 2) % locale.catalog.length);
    if (lines.some((line) => line.description === item.description)) continue;
    lines.push({
      description: item.description,
      quantityMilli: at(item.quantitiesMilli, (index + k) % item.quantitiesMilli.length),
      unit: item.unit,
      unitPriceMinor: item.unitPriceMinor,
      vatRatePercent: item.vatRatePercent,
    });
  }
  const number = numbers.next('FV', issueDate);
  return {
    kind: 'invoice',
    number,
    partnerKey: p.key,
    issueDate,
    dueDate: addDays(issueDate, paymentTermDays),
    taxableSupplyDate: addDays(issueDate, -(index % 4)),
    currency: locale.currency,
    variableSymbol: paymentReference(number, p.language),
    period: '',
    relatedNumber: '',
    lines,
    note: index % 2 === 0 || p.language === 'en' ? locale.invoiceNote : '',
  };
}

function buildCreditNote(invoice: NewDocument, numbers: NumberSequence): NewDocument {
  const p = partner(invoice.partnerKey);
  const locale = demoLocales[p.language];
  const first = at(invoice.lines, 0);
  const issueDate = addDays(invoice.issueDate, 9);
  const number = numbers.next('DB', issueDate);
  return {
    ...invoice,
    kind: 'creditNote',
    number,
    issueDate,
    taxableSupplyDate: issueDate,
    dueDate: addDays(issueDate, paymentTermDays),
    variableSymbol: paymentReference(number, p.language),
    relatedNumber: invoice.number,
    note: locale.creditReason,
    // A 10 % discount on the first line, as a negative quantity so the credit note's total is negative.
    lines: [
      {
        ...first,
        description: `${locale.creditLinePrefix}${first.description}`,
        quantityMilli: -first.quantityMilli,
        unitPriceMinor: Math.round(first.unitPriceMinor / 10),
      },
    ],
  };
}

function buildReminder(invoice: NewDocument, today: string, numbers: NumberSequence, laterDays = 0): NewDocument {
  const p = partner(invoice.partnerKey);
  const locale = demoLocales[p.language];
  const overdueDays = 12;
  const candidate = addDays(invoice.dueDate, overdueDays + laterDays);
  const issueDate = candidate < today ? candidate : today;
  const number = numbers.next('UP', issueDate);
  const lines: DocumentLine[] = [
    {
      description: `${locale.reminderDebt} ${invoice.number}`,
      quantityMilli: 1000,
      unit: locale.pieceUnit,
      unitPriceMinor: computeTotals(invoice.lines).totalMinor,
      vatRatePercent: 0,
    },
    {
      description: locale.reminderFee.description,
      quantityMilli: 1000,
      unit: locale.pieceUnit,
      unitPriceMinor: locale.reminderFee.amountMinor,
      vatRatePercent: 0,
    },
  ];
  return {
    ...invoice,
    kind: 'paymentReminder',
    number,
    issueDate,
    taxableSupplyDate: issueDate,
    dueDate: addDays(issueDate, 7),
    relatedNumber: invoice.number,
    lines,
    note: locale.reminderNote,
  };
}

function buildPayslips(today: string): NewDocument[] {
  const documents: NewDocument[] = [];
  for (const monthsBack of [2, 1]) {
    const period = addMonths(today.slice(0, 7), -monthsBack);
    const lastDay = addDays(`${addMonths(period, 1)}-01`, -1);
    grossWages.forEach(([key, grossMinor], index) => {
      const p = partner(key);
      const isPolish = p.language === 'pl';
      documents.push({
        kind: 'payslip',
        number: `VL-${period}-${String(index + 1).padStart(3, '0')}`,
        partnerKey: key,
        issueDate: lastDay,
        dueDate: `${addMonths(period, 1)}-12`,
        taxableSupplyDate: lastDay,
        currency: isPolish ? 'PLN' : 'CZK',
        variableSymbol: '',
        period,
        relatedNumber: '',
        lines: isPolish ? polishPayslipLines(grossMinor) : czechPayslipLines(grossMinor),
        note: isPolish ? 'Wynagrodzenie zostanie przelane na rachunek pracownika.' : 'Mzda bude poukázána na účet zaměstnance.',
      });
    });
  }
  return documents;
}

/** Czech variable symbols are digits only (kind digit, year, sequence); Polish titles quote the number. */
function paymentReference(number: string, language: Language): string {
  if (language !== 'cs') return number;
  const kindDigit = number.startsWith('DB') ? '2' : '1';
  return kindDigit + number.replace(/\D/g, '');
}

/** Per prefix and year: FV-2026-0001, FV-2026-0002, … */
class NumberSequence {
  readonly #last = new Map<string, number>();
  next(prefix: string, issueDate: string): string {
    const key = `${prefix}-${issueDate.slice(0, 4)}`;
    const value = (this.#last.get(key) ?? 0) + 1;
    this.#last.set(key, value);
    return `${key}-${String(value).padStart(4, '0')}`;
  }
}

function partner(key: string): DemoPartner {
  const found = demoPartners.find((p) => p.key === key);
  if (!found) throw new Error(`unknown demo partner ${key}`);
  return found;
}

function at<T>(list: readonly T[], index: number): T {
  const value = list[index];
  if (value === undefined) throw new Error(`index ${index} out of range`);
  return value;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDate(date);
}

/** `YYYY-MM` plus `months`. */
function addMonths(yearMonth: string, months: number): string {
  const date = new Date(`${yearMonth}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return isoDate(date).slice(0, 7);
}
