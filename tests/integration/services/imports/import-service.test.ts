/**
 * Importing the fixtures written from the ISDOC 6.0.2 and KSeF FA(3)/FA(2) specifications into a real
 * SQLite database seeded with the two demo companies: what the preview says, what lands in the database,
 * and that the originals come back byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { computeTotals } from '../../../../shared/domain';
import { createTranslator } from '../../../../shared/i18n';
import { withKsefChecksum } from '../../../support/ksef-number';

/** KSeF numbers a user types (their check parts right): for a file whose name carries none. */
const typedKsef = withKsefChecksum('6772244113-20260916-0A1B2C3D4E60');
const retyped = withKsefChecksum('6772244113-20260917-0A1B2C3D4E61');

export const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');
const clock = () => new Date('2026-12-01T10:00:00Z');

let dir: string;
let db: DatabaseSync;
let documents: DocumentRepository;
let imports: ImportService;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kurier-import-'));
  db = openDatabase(path.join(dir, 'kurier.sqlite'));
  seedDemoCompany(db, clock);
  documents = new DocumentRepository(db);
  imports = new ImportService({ db, documents, clock });
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const fixture = (name: string) => path.join(fixtures, name);
const czech = () => documents.companies.list().find((c) => c.country === 'CZ')!;
const polish = () => documents.companies.list().find((c) => c.country === 'PL')!;
const byNumber = (companyId: number, number: string) => {
  const summary = documents.listDocuments({ companyId }).find((d) => d.number === number);
  return summary && documents.getDocument(summary.id);
};

describe('ISDOC import', () => {
  it('imports all seven document types with their kinds, totals, payment details and the original XML', async () => {
    const names = [1, 2, 3, 4, 5, 6, 7].map((n) => n);
    const files = [
      'isdoc-1-invoice.isdoc',
      'isdoc-2-credit-note.isdoc',
      'isdoc-3-debit-note.isdoc',
      'isdoc-4-proforma.isdoc',
      'isdoc-5-advance-tax-document.isdoc',
      'isdoc-6-advance-credit-note.isdoc',
      'isdoc-7-simplified.isdoc',
    ];
    expect(names).toHaveLength(files.length);
    const plan = await imports.planPaths(files.map(fixture));
    expect(plan.items.map((item) => [item.status, item.document?.kind, item.company?.action, item.partner?.action])).toEqual([
      ['ready', 'invoice', 'existing', 'create'],
      ['ready', 'creditNote', 'existing', 'create'],
      ['ready', 'debitNote', 'existing', 'create'],
      ['ready', 'proformaInvoice', 'existing', 'create'],
      ['ready', 'advanceInvoice', 'existing', 'create'],
      ['ready', 'advanceCorrection', 'existing', 'create'],
      ['ready', 'simplifiedInvoice', 'existing', 'create'],
    ]);
    const result = imports.commit(plan.planId, true);
    expect([result.imported, result.rejected]).toEqual([7, 0]);

    const invoice = byNumber(czech().id, 'FV-2026-0901')!;
    // 6500 + 7 × 450 = 9650 at 21 %, 9 × 180.50 = 1624.50 at 12 %, 2 × 490 = 980 at 0 %.
    expect(invoice.origin.declaredTotals).toEqual({ baseMinor: 1_225_450, vatMinor: 222_144, totalMinor: 1_447_594 });
    expect(computeTotals(invoice.lines).baseMinor).toBe(1_225_450);
    expect(invoice.lines.map((l) => l.vatRatePercent)).toEqual([21, 21, 12, 0]);
    expect(invoice.lines[2]).toMatchObject({ quantityMilli: 9000, unit: 'os.', unitPriceMinor: 18_050 });
    expect(invoice).toMatchObject({
      issueDate: '2026-09-15',
      taxableSupplyDate: '2026-09-14',
      dueDate: '2026-09-29',
      currency: 'CZK',
      variableSymbol: '20260901',
    });
    expect(invoice.origin).toMatchObject({
      source: 'isdoc',
      sourceFile: 'isdoc-1-invoice.isdoc',
      isdocUuid: '6F0B1C2D-3E4F-4A5B-8C6D-7E8F90A1B201',
      totalsMismatch: null,
      payment: { iban: 'CZ0520100000002801234578', bic: 'FIOBCZPPXXX', account: '2801234578', bankCode: '2010' },
    });
    const original = await readFile(fixture('isdoc-1-invoice.isdoc'));
    const kept = documents.getOriginal(invoice.id, 'xml')!;
    expect(Buffer.from(kept.bytes).equals(original)).toBe(true);
    expect(kept.sha256).toBe(createHash('sha256').update(original).digest('hex'));

    const credit = byNumber(czech().id, 'DB-2026-0901')!;
    expect(credit.relatedNumber).toBe('FV-2026-0901');
    expect(credit.origin.declaredTotals?.totalMinor).toBe(-78_650);
    expect(computeTotals(credit.lines).totalMinor).toBe(-78_650);

    const partner = documents.getPartner(invoice.partnerId)!;
    expect(partner).toMatchObject({
      name: 'Pivovar Ježkův Důl a.s.',
      registrationNumber: '46123458',
      taxId: 'CZ46123458',
      email: 'ucetni@jezkuv-dul.example',
      language: 'cs',
      companyId: czech().id,
    });
    // One buyer, seven documents: matched by IČO/DIČ after the first created it.
    expect(documents.listPartners(czech().id).filter((p) => p.taxId === 'CZ46123458')).toHaveLength(1);
  });

  it('keeps a foreign-currency invoice in its currency with the local currency and rate', async () => {
    const plan = await imports.planPaths([fixture('isdoc-eur-foreign-currency.isdoc')]);
    imports.commit(plan.planId, true);
    const invoice = byNumber(czech().id, 'FV-2026-0902')!;
    expect(invoice.currency).toBe('EUR');
    expect(invoice.origin).toMatchObject({ localCurrency: 'CZK', exchangeRate: '25.125' });
    // 950 + 8 × 25 = 1150 EUR net, 241.50 VAT.
    expect(invoice.origin.declaredTotals).toEqual({ baseMinor: 115_000, vatMinor: 24_150, totalMinor: 139_150 });
  });

  it('reads an .isdocx (its PDF becomes the document PDF) and a PDF with an embedded ISDOC (the PDF itself)', async () => {
    const plan = await imports.planPaths([fixture('isdocx-FV-2026-0906.isdocx'), fixture('isdoc-pdf-embedded-FV-2026-0905.pdf')]);
    expect(plan.items.map((i) => [i.format, i.status, i.document?.hasOwnPdf])).toEqual([
      ['isdocx', 'ready', true],
      ['isdocPdf', 'ready', true],
    ]);
    imports.commit(plan.planId, true);
    const fromZip = byNumber(czech().id, 'FV-2026-0906')!;
    expect(
      Buffer.from(documents.getOriginal(fromZip.id, 'pdf')!.bytes).equals(
        await readFile(fixture('parts/isdocx-inner-FV-2026-0906.pdf')),
      ),
    ).toBe(true);
    expect(
      Buffer.from(documents.getOriginal(fromZip.id, 'isdocx')!.bytes).equals(
        await readFile(fixture('isdocx-FV-2026-0906.isdocx')),
      ),
    ).toBe(true);
    const fromPdf = byNumber(czech().id, 'FV-2026-0905')!;
    expect(fromPdf.origin.source).toBe('isdocPdf');
    expect(
      Buffer.from(documents.getOriginal(fromPdf.id, 'pdf')!.bytes).equals(
        await readFile(fixture('isdoc-pdf-embedded-FV-2026-0905.pdf')),
      ),
    ).toBe(true);
  });

  it('offers to create an unknown issuing company, and creates it only when asked', async () => {
    const plan = await imports.planPaths([fixture('isdoc-unknown-company.isdoc')]);
    expect(plan.items[0]?.company).toEqual({ action: 'create', name: 'Truhlářství Šťastný s.r.o.', identifier: 'CZ25596641' });
    const refused = imports.commit(plan.planId, false);
    expect(refused.items[0]?.reason?.code).toBe('unknownCompany');
    expect(documents.companies.findByIdentifier('25596641')).toBeUndefined();

    const again = await imports.planPaths([fixture('isdoc-unknown-company.isdoc')]);
    expect(imports.commit(again.planId, true).imported).toBe(1);
    const created = documents.companies.findByIdentifier('CZ25596641')!;
    expect(created).toMatchObject({
      name: 'Truhlářství Šťastný s.r.o.',
      registrationNumber: '25596641',
      isDemo: false,
      iban: 'CZ0520100000002801234578',
    });
    expect(documents.listDocuments({ companyId: created.id }).map((d) => d.number)).toEqual(['2026-0417']);
  });

  it('skips a duplicate — same UUID or same number in the company — with its reason, never a second copy', async () => {
    const first = await imports.planPaths([fixture('isdoc-1-invoice.isdoc'), fixture('isdoc-1-invoice.isdoc')]);
    expect(first.items.map((i) => i.reason?.code ?? i.status)).toEqual(['ready', 'duplicateUuid']);
    imports.commit(first.planId, true);
    const second = await imports.planPaths([fixture('isdoc-1-invoice.isdoc')]);
    expect(second.items[0]?.reason).toEqual({
      code: 'duplicateUuid',
      details: { uuid: '6F0B1C2D-3E4F-4A5B-8C6D-7E8F90A1B201', number: 'FV-2026-0901' },
    });
    expect(documents.listDocuments({ companyId: czech().id }).filter((d) => d.number === 'FV-2026-0901')).toHaveLength(1);
    // A demo invoice number already in the company (another UUID): duplicate by number.
    const text = (await readFile(fixture('isdoc-1-invoice.isdoc'), 'utf8'))
      .replaceAll('FV-2026-0901', 'FV-2026-0001')
      .replace('7E8F90A1B201', '7E8F90A1B299');
    const byNumberPlan = await imports.planBytes([{ name: 'FV-2026-0001.isdoc', bytes: Buffer.from(text) }]);
    expect(byNumberPlan.items[0]?.reason?.code).toBe('duplicateNumber');
  });
});

describe('KSeF import', () => {
  it('imports FA(3) VAT with the KSeF number from its file name and keeps the XML byte for byte', async () => {
    const name = '6772244113-20260915-0A1B2C3D4E5F-7C.xml';
    const plan = await imports.planPaths([fixture(name)]);
    expect(plan.items[0]).toMatchObject({
      format: 'ksef',
      status: 'ready',
      company: { action: 'existing', name: 'Biuro Rachunkowe Żuraw i Wspólnicy sp. z o.o.' },
      partner: { action: 'create', name: 'Przędzalnia Łódzka Źdźbło sp. z o.o.' },
    });
    imports.commit(plan.planId, true);
    const invoice = byNumber(polish().id, 'FV/2026/09/001')!;
    expect(invoice.kind).toBe('invoice');
    expect(invoice.currency).toBe('PLN');
    expect(invoice.origin.ksefNumber).toBe('6772244113-20260915-0A1B2C3D4E5F-7C');
    // 1800 + 11 × 90 = 2790 at 23 %, 14 × 45.15 = 632.10 at 8 %, 3 × 89.90 = 269.70 at 5 %.
    expect(invoice.origin.declaredTotals).toEqual({ baseMinor: 369_180, vatMinor: 70_576, totalMinor: 439_756 });
    expect(invoice.lines.map((l) => l.vatRatePercent)).toEqual([23, 23, 8, 5]);
    expect(invoice.origin.payment.iban).toBe('PL51105014451000009031234567');
    expect(invoice.dueDate).toBe('2026-09-29');
    const xml = await readFile(fixture(name));
    const kept = documents.getOriginal(invoice.id, 'xml')!;
    expect(Buffer.from(kept.bytes).equals(xml)).toBe(true);
    expect(kept.sha256).toBe(createHash('sha256').update(xml).digest('hex'));
    expect(documents.getPartner(invoice.partnerId)).toMatchObject({
      taxId: '5260259950',
      email: 'ksiegowosc@przedzalnia-zdzblo.example',
      language: 'pl',
      address: { city: 'Łódź', postalCode: '91-065' },
    });
  });

  it('imports FA(3) KOR and ZAL and FA(2), with a KSeF number the user typed', async () => {
    const plan = await imports.planPaths([fixture('fa3-kor-correction.xml')], {
      ksefNumber: typedKsef,
    });
    imports.commit(plan.planId, true);
    const rest = await imports.planPaths([fixture('fa3-zal-advance.xml'), fixture('fa2-vat-archive.xml')]);
    expect(rest.items.map((i) => [i.status, i.document?.kind])).toEqual([
      ['ready', 'advanceInvoice'],
      ['ready', 'invoice'],
    ]);
    imports.commit(rest.planId, true);
    const correction = byNumber(polish().id, 'FK/2026/09/001')!;
    expect(correction).toMatchObject({ kind: 'creditNote', relatedNumber: 'FV/2026/09/001' });
    expect(correction.origin.ksefNumber).toBe(typedKsef);
    expect(correction.origin.declaredTotals?.totalMinor).toBe(-22_140);
    expect(computeTotals(correction.lines).baseMinor).toBe(-18_000);
    const advance = byNumber(polish().id, 'FZ/2026/09/001')!;
    expect(advance.origin.declaredTotals).toEqual({ baseMinor: 500_000, vatMinor: 115_000, totalMinor: 615_000 });
    expect(advance.origin.ksefNumber).toBeNull();
    expect(byNumber(polish().id, 'FV/2025/12/017')?.origin.declaredTotals?.totalMinor).toBe(215_250);
  });

  it('plans the same file again with the KSeF number typed in the preview; the earlier plan is gone', async () => {
    const first = await imports.planPaths([fixture('fa3-zal-advance.xml')]);
    expect(first.items[0]?.document?.ksefNumber).toBeNull();
    const again = await imports.replan(first.planId, retyped);
    expect(again.items.map((i) => [i.status, i.document?.ksefNumber])).toEqual([['ready', retyped]]);
    expect(() => imports.commit(first.planId, true)).toThrow();
    await expect(imports.replan(first.planId, retyped)).rejects.toThrow();
    imports.commit(again.planId, true);
    expect(byNumber(polish().id, 'FZ/2026/09/001')?.origin.ksefNumber).toBe(retyped);
  });

  it('refuses a KSeF number that is not one, and one with a typo (its check part does not match)', async () => {
    const plan = await imports.planPaths([fixture('fa3-zal-advance.xml')], { ksefNumber: '12345' });
    expect(plan.items[0]?.reason).toEqual({ code: 'ksefNumberInvalid', details: { value: '12345' } });
    const typo = typedKsef.replace('0A1B', '0A1C');
    const typed = await imports.planPaths([fixture('fa3-zal-advance.xml')], { ksefNumber: typo.toLowerCase() });
    expect(typed.items[0]?.reason).toEqual({ code: 'ksefNumberChecksum', details: { value: typo } });
  });

  it("reads the Ministry of Finance's own ROZ sample: the whole order in its rows, the remainder in P_13/P_14/P_15, no flag", async () => {
    // Fa_3_Przykład_14.xml, unmodified (see tests/fixtures/documents/README.md): rows 307 500.00 at 8 % and
    // 4 500.00 at 23 % (the order, 337 635.00 gross); P_15 307 635.00 is what is left after the 30 000.00
    // advance, split over the rates in proportion to the order's gross.
    const plan = await imports.planPaths([fixture('mf-fa3-przyklad-14-roz.xml')]);
    expect(plan.items.map((i) => [i.status, i.document?.kind, i.company?.action, i.warnings])).toEqual([
      ['ready', 'settlementInvoice', 'create', []],
    ]);
    expect(imports.commit(plan.planId, true).imported).toBe(1);
    const company = documents.companies.findByIdentifier('9999999999')!;
    const settlement = byNumber(company.id, 'FV2026/08/12')!;
    expect(settlement.origin).toMatchObject({
      declaredTotals: { baseMinor: 28_427_775, vatMinor: 2_335_725, totalMinor: 30_763_500 },
      totalsMismatch: null,
      paymentMethod: 'transfer',
      amountDueMinor: 30_763_500,
    });
    expect(
      settlement.lines.map((line) => [line.description, line.quantityMilli, line.unitPriceMinor, line.vatRatePercent]),
    ).toEqual([
      ['mieszkanie 50m^2', 1_000, 30_750_000, 8],
      ['usługi dodatkowe', 1_000, 450_000, 23],
    ]);
    expect(settlement.dueDate).toBe('2026-09-15');
  });

  it('imports FA(3) ROZ, UPR, KOR_ZAL and KOR_ROZ with their kinds, totals and corrected numbers', async () => {
    const files = ['fa3-roz-settlement.xml', 'fa3-upr-simplified.xml', 'fa3-kor-zal.xml', 'fa3-kor-roz.xml'];
    const plan = await imports.planPaths(files.map(fixture));
    expect(plan.items.map((i) => [i.status, i.document?.kind, i.warnings])).toEqual([
      // A settlement lists the whole order while its totals are what is left after the advance: no flag.
      ['ready', 'settlementInvoice', []],
      ['ready', 'simplifiedInvoice', []],
      ['ready', 'advanceCorrection', []],
      ['ready', 'settlementCorrection', []],
    ]);
    expect(imports.commit(plan.planId, true).imported).toBe(4);
    const settlement = byNumber(polish().id, 'FR/2026/10/001')!;
    expect(settlement.origin.declaredTotals).toEqual({ baseMinor: 1_500_000, vatMinor: 345_000, totalMinor: 1_845_000 });
    expect(settlement.origin.totalsMismatch).toBeNull();
    expect(settlement.lines).toHaveLength(1);
    const simplified = byNumber(polish().id, 'FU/2026/09/001')!;
    expect(simplified.origin).toMatchObject({ declaredTotals: { totalMinor: 12_300 }, paymentMethod: 'card', amountDueMinor: 0 });
    const advanceCorrection = byNumber(polish().id, 'FKZ/2026/09/001')!;
    expect(advanceCorrection).toMatchObject({
      relatedNumber: 'FZ/2026/09/001',
      note: 'Zmniejszenie zaliczki po zmianie zamówienia',
    });
    expect(advanceCorrection.origin.declaredTotals).toEqual({ baseMinor: -100_000, vatMinor: -23_000, totalMinor: -123_000 });
    // No rows: one line per rate, the advance's net.
    expect(computeTotals(advanceCorrection.lines).baseMinor).toBe(-100_000);
    const settlementCorrection = byNumber(polish().id, 'FKR/2026/10/001')!;
    expect(settlementCorrection.relatedNumber).toBe('FR/2026/10/001');
    expect(settlementCorrection.origin.declaredTotals?.totalMinor).toBe(-61_500);
    // The row before (StanPrzed) counts against the row after: 19 500 − 20 000.
    expect(computeTotals(settlementCorrection.lines).baseMinor).toBe(-50_000);
  });

  it('imports an FA(3) invoice in euro with its exchange rate to złoty', async () => {
    const plan = await imports.planPaths([fixture('fa3-eur-foreign-currency.xml')]);
    expect(plan.items[0]?.document).toMatchObject({ currency: 'EUR', totalMinor: 123_000 });
    imports.commit(plan.planId, true);
    const invoice = byNumber(polish().id, 'FV/2026/09/050')!;
    expect(invoice.currency).toBe('EUR');
    expect(invoice.origin).toMatchObject({ localCurrency: 'PLN', exchangeRate: '4.2617' });
    expect(invoice.origin.declaredTotals).toEqual({ baseMinor: 100_000, vatMinor: 23_000, totalMinor: 123_000 });
  });

  it('refuses an FA file of another version or system code, and an unknown currency, with a translated reason', async () => {
    const hostile = (name: string) => path.join(fixtures, 'hostile', name);
    const plan = await imports.planPaths([
      hostile('fa1-old-version.xml'),
      hostile('fa3-unknown-system-code.xml'),
      hostile('fa3-unknown-currency.xml'),
    ]);
    expect(plan.items.map((i) => i.reason)).toEqual([
      { code: 'wrongSchema', details: { found: 'FA (1) (http://crd.gov.pl/wzor/2021/11/29/11089/)' } },
      { code: 'wrongSchema', details: { found: 'FA (9) (http://crd.gov.pl/wzor/2025/06/25/13775/)' } },
      { code: 'unknownCurrency', details: { currency: 'XYZ' } },
    ]);
    const [oldVersion] = plan.items;
    const sentence = (language: 'cs' | 'pl' | 'en') =>
      createTranslator(language)(`imports.reasons.${oldVersion!.reason!.code}`, oldVersion!.reason!.details);
    expect(sentence('cs')).toBe(
      'Nepodporovaný formát nebo verze: FA (1) (http://crd.gov.pl/wzor/2021/11/29/11089/). Kurier čte ISDOC 6.0–6.0.2 a KSeF FA(2)/FA(3).',
    );
    expect(sentence('pl')).toContain('Nieobsługiwany format lub wersja: FA (1)');
    expect(sentence('en')).toContain('Unsupported format or version: FA (1)');
    const result = imports.commit(plan.planId, true);
    expect([result.imported, result.rejected]).toEqual([0, 3]);
  });
});

describe('how a document is paid', () => {
  it('reads the ISDOC payment means and what is still payable after paid deposits', async () => {
    const files = ['isdoc-cash-FV-2026-0911.isdoc', 'isdoc-partly-paid-FV-2026-0912.isdoc', 'isdoc-paid-FV-2026-0913.isdoc'];
    const plan = await imports.planPaths(files.map(fixture));
    expect(imports.commit(plan.planId, true).imported).toBe(3);
    const origin = (number: string) => {
      const { paymentMethod, amountDueMinor, paidOn, declaredTotals } = byNumber(czech().id, number)!.origin;
      return { paymentMethod, amountDueMinor, paidOn, totalMinor: declaredTotals?.totalMinor };
    };
    expect(origin('FV-2026-0911')).toEqual({
      paymentMethod: 'cash',
      amountDueMinor: 1_447_594,
      paidOn: '',
      totalMinor: 1_447_594,
    });
    // 14 475.94 less the deposit of 4 475.94; the document's total stays the gross.
    expect(origin('FV-2026-0912')).toEqual({
      paymentMethod: 'transfer',
      amountDueMinor: 1_000_000,
      paidOn: '',
      totalMinor: 1_447_594,
    });
    expect(origin('FV-2026-0913')).toEqual({ paymentMethod: 'transfer', amountDueMinor: 0, paidOn: '', totalMinor: 1_447_594 });
  });

  it('reads FA(3) FormaPlatnosci, Zaplacono with DataZaplaty and partial payments; the due date is Termin, never DataZaplaty', async () => {
    const plan = await imports.planPaths([fixture('fa3-paid-cash.xml'), fixture('fa3-partly-paid.xml')]);
    expect(imports.commit(plan.planId, true).imported).toBe(2);
    const cash = byNumber(polish().id, 'FV/2026/09/011')!;
    expect(cash.dueDate).toBe('2026-09-30');
    expect(cash.origin).toMatchObject({ paymentMethod: 'cash', amountDueMinor: 0, paidOn: '2026-10-02' });
    const partly = byNumber(polish().id, 'FV/2026/09/012')!;
    expect(partly.dueDate).toBe('2026-10-14');
    // 2 214.00 less 714.00 paid in cash on 30 September.
    expect(partly.origin).toMatchObject({ paymentMethod: 'transfer', amountDueMinor: 150_000, paidOn: '' });
  });
});
