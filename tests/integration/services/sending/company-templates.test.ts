/**
 * A company's own templates (issue 15, stored with the company) are what the export dialog proposes for
 * that company's documents; another company's documents keep the office's, and a damaged stored value
 * falls back to the office's instead of stopping the send.
 */
import { describe, expect, it } from 'vitest';
import type { AccountingDocument } from '../../../../shared/domain';
import { createAppFixture } from '../../../support/app-fixture';

describe("a company's own templates", () => {
  it('replace the office templates for its documents only, key by key', async () => {
    const app = await createAppFixture();
    const { documents, sender, db } = app.services;
    const invoices = documents
      .listDocuments()
      .map((summary) => documents.getDocument(summary.id))
      .filter((doc): doc is AccountingDocument => doc?.kind === 'invoice');
    const first = invoices[0];
    if (!first) throw new Error('no invoice in the demo data');
    const { partner } = app.services.exporter.load(first.id);
    const key = `invoice.${partner.language}`;
    const before = await sender.prepare(first.id);

    const own = { [key]: { subject: 'Vlastní předmět {{number}}', body: 'Dobrý den, posíláme {{number}}.' } };
    db.prepare('UPDATE companies SET templates_json = ? WHERE id = ?').run(JSON.stringify(own), first.companyId);
    const draft = await sender.prepare(first.id);
    expect(draft.subject).toBe(`Vlastní předmět ${first.number}`);
    expect(draft.body).toBe(`Dobrý den, posíláme ${first.number}.`);

    // Another company's invoice keeps what the office says.
    const other = invoices.find((doc) => doc.companyId !== first.companyId);
    if (other) expect((await sender.prepare(other.id)).subject).not.toContain('Vlastní předmět');

    // A damaged stored value: the office's templates, and the send goes on.
    db.prepare('UPDATE companies SET templates_json = ? WHERE id = ?').run('{"invoice.cs": {"subject": 7', first.companyId);
    expect((await sender.prepare(first.id)).subject).toBe(before.subject);
  });
});
