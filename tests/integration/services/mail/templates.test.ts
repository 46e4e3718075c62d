/**
 * E-mail templates on the demo company's real documents: every shipped template renders for every
 * message type and language with nothing left unfilled and amounts and dates formatted for the language;
 * misspelt placeholders are refused by name; values cannot break a header or add markup.
 */
import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, placeholderValues, templateKindOf } from '../../../../electron/services/mail/message-draft';
import { computeTotals, languages, type AccountingDocument } from '../../../../shared/domain';
import {
  closestPlaceholder,
  defaultTemplates,
  placeholders,
  renderTemplate,
  templateKinds,
  templateSchema,
  templatesSchema,
  textToHtml,
  unknownPlaceholders,
  type PlaceholderValues,
} from '../../../../shared/templates';
import { createAppFixture } from '../../../support/app-fixture';

describe('shipped templates', () => {
  it('every type and language renders on a real document with nothing unfilled, formatted for the language', async () => {
    const app = await createAppFixture();
    const { documents } = app.services;
    const all = documents
      .listDocuments()
      .map((summary) => documents.getDocument(summary.id))
      .filter((doc): doc is AccountingDocument => doc !== undefined);
    const byKind = new Map(all.map((doc) => [templateKindOf(doc, documents.reminderLevel(doc)), doc]));
    // The demo data has a first, second and final reminder for one invoice.
    expect([...byKind.keys()].sort()).toEqual(templateKinds.filter((kind) => kind !== 'generic').sort());

    for (const language of languages) {
      for (const kind of templateKinds) {
        const document = byKind.get(kind) ?? all[0];
        if (!document) throw new Error('no documents');
        const { partner, company } = app.services.exporter.load(document.id);
        const values = placeholderValues({ document, partner, company, senderName: 'Jana Bílá', language });
        const { subject, body } = renderTemplate(defaultTemplates[language][kind], values);
        const where = `${kind}.${language}`;
        expect(`${subject}\n${body}`, where).not.toMatch(/\{\{|\}\}/);
        expect(subject.trim(), where).not.toBe('');
        const usesAmount = defaultTemplates[language][kind].body.includes('{{amount}}');
        // A credit note says what is refunded: the absolute amount, never "-786,50 Kč".
        const total = computeTotals(document.lines).totalMinor;
        if (usesAmount)
          expect(body, where).toContain(
            formatMoney(kind === 'creditNote' ? Math.abs(total) : total, document.currency, language),
          );
        if (defaultTemplates[language][kind].body.includes('{{dueDate}}'))
          expect(body, where).toContain(formatDate(document.dueDate, language));
        expect(body, where).toContain('Jana Bílá');
      }
    }
  });

  it('formats the same amount and date the Czech, Polish and English way', () => {
    expect(formatMoney(1_234_550, 'CZK', 'cs')).toBe('12\u00a0345,50\u00a0Kč');
    expect(formatMoney(1_234_550, 'PLN', 'pl')).toBe('12\u00a0345,50\u00a0zł');
    expect(formatMoney(1_234_550, 'EUR', 'en')).toBe('€12,345.50');
    expect(formatDate('2026-12-01', 'cs')).toBe('1. prosince 2026');
    expect(formatDate('2026-12-01', 'pl')).toBe('1 grudnia 2026');
    expect(formatDate('2026-12-01', 'en')).toBe('1 December 2026');
  });
});

describe('checking a template', () => {
  it('names every unknown placeholder and suggests the one meant', () => {
    expect(unknownPlaceholders('Faktura {{numbr}} z {{ dueDate }} pro {{partnerName}} {{IBAN}} {{numbr}}')).toEqual([
      'numbr',
      'IBAN',
    ]);
    expect(closestPlaceholder('numbr')).toBe('number');
    expect(closestPlaceholder('IBAN')).toBe('iban');
    expect(closestPlaceholder('xyzzy')).toBeNull();
  });

  it('flags braces that do not make a placeholder, so nothing half-typed reaches a recipient', () => {
    expect(unknownPlaceholders('Faktura {{number} ze dne {{issueDate}}')).toEqual(['number']);
    expect(unknownPlaceholders('Splatnost {{due Date}}')).toEqual(['due Date']);
    expect(unknownPlaceholders('{{num{{number}}ber}}')).not.toEqual([]);
    expect(unknownPlaceholders('Faktura {{number}} – {{ amount }}')).toEqual([]);
  });

  it('refuses a template with an unknown placeholder or a line break in the subject', () => {
    const bad = templateSchema.safeParse({ subject: 'Faktura {{numbr}}', body: 'Dobrý den {{partnerNme}}' });
    expect(bad.success ? [] : bad.error.issues.map((issue) => `${issue.path.join('.')}:${issue.message}`)).toEqual([
      'subject:unknownPlaceholder',
      'body:unknownPlaceholder',
    ]);
    const broken = templateSchema.safeParse({ subject: 'Faktura\r\nBcc: all@example.com', body: '' });
    expect(broken.success).toBe(false);
    expect(templatesSchema.safeParse({ 'invoice.de': { subject: 'x', body: 'y' } }).success).toBe(false);
  });
});

describe('values that try to escape', () => {
  const hostile: PlaceholderValues = Object.fromEntries(
    placeholders.map((name) => [name, `</p><script>alert("${name}")</script>\r\nBcc: everyone@example.com`]),
  ) as unknown as PlaceholderValues;

  it('cannot break the subject into headers', () => {
    const { subject } = renderTemplate({ subject: 'Faktura {{number}} od {{companyName}}', body: '' }, hostile);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('cannot add markup to the HTML part', () => {
    const { body } = renderTemplate({ subject: '', body: 'Dobrý den {{partnerName}},\n\nčástka {{amount}}' }, hostile);
    const html = textToHtml(body, 'cs');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;partnerName&quot;)&lt;/script&gt;');
    expect(html.match(/<p>/g)).toHaveLength(2);
  });
});
