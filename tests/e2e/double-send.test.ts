/**
 * The double-send guard end to end in Chromium through the web shell (issue 20): send a month's
 * payslips, then start the same month again with one more document — Kurier asks first, naming each
 * payslip, who sent it from which computer, when and how; "skip" sends only the new document. The SMTP
 * server counts what arrives.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { DocumentSummary } from '../../shared/domain';
import { keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { faultyServers } from '../support/faulty-smtp-server';
import { outboxApp } from '../support/outbox-fixture';
import { startTestWebShell } from '../support/web-shell-fixture';

const smtpServers = faultyServers();
const jana = { user: 'jana.novakova', desk: 'RECEPCE-PC' };

/** The month with the most payslips that have an address, and those payslips. */
function busiestPayslipMonth(payslips: readonly DocumentSummary[]): { month: string; documents: DocumentSummary[] } {
  const byMonth = new Map<string, DocumentSummary[]>();
  for (const doc of payslips) byMonth.set(doc.issueDate.slice(0, 7), [...(byMonth.get(doc.issueDate.slice(0, 7)) ?? []), doc]);
  const [month, documents] = [...byMonth.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  return { month, documents };
}

async function checkAndSend(bulk: Page, count: number): Promise<void> {
  await bulk.getByRole('button', { name: 'Check before sending' }).click();
  await bulk.getByTestId('dry-run').waitFor();
  await bulk.getByRole('button', { name: `Send ${String(count)} ${count === 1 ? 'message' : 'messages'}` }).click();
}

describe.skipIf(!keyringAvailable)('the double-send guard in the browser', () => {
  test('a month sent twice: asked first, naming who; skip sends only the rest', { timeout: 120_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
    const shell = await startTestWebShell(app);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('heading', { name: 'Documents' }).waitFor();

    const all = app.services.documents.listDocuments();
    const addressOf = (doc: DocumentSummary) => app.services.exporter.load(doc.id).partner.email;
    const { month, documents: payslips } = busiestPayslipMonth(
      all.filter((doc) => doc.kind === 'payslip' && addressOf(doc) !== ''),
    );
    const extra = all.find((doc) => doc.kind === 'invoice' && addressOf(doc) !== '' && !doc.issueDate.startsWith(month));
    expect(payslips.length).toBeGreaterThan(1);
    expect(extra).toBeDefined();
    if (!extra) return;

    const bulk = await openTab(context, () => documents.getByRole('button', { name: 'Send many…' }).click());
    await bulk.getByRole('heading', { name: 'Export and send many documents', level: 1 }).waitFor();
    await bulk.getByLabel('Type', { exact: true }).selectOption('payslip');
    await bulk.getByLabel('Issued in', { exact: true }).selectOption(month);
    await bulk.getByLabel('Select all shown').check();
    await checkAndSend(bulk, payslips.length);
    await bulk.getByTestId('batch-progress').and(bulk.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    expect(smtp.received).toHaveLength(payslips.length);

    // The same month again (the payslips are still chosen), and one invoice nobody has sent yet.
    await bulk.getByLabel('Type', { exact: true }).selectOption('all');
    await bulk.getByLabel('Issued in', { exact: true }).selectOption('all');
    await bulk.getByLabel(`Select ${extra.number}`, { exact: true }).check();
    await checkAndSend(bulk, payslips.length + 1);

    const question = bulk.getByTestId('earlier-copies-dialog');
    await question.waitFor();
    expect(await question.getByRole('heading').textContent()).toBe(
      `${String(payslips.length)} documents were already sent to the same address, or are on the way`,
    );
    const items = await question.getByRole('listitem').allTextContents();
    expect(items).toHaveLength(payslips.length);
    for (const payslip of payslips) {
      const item = items.find((text) => text.startsWith(`${payslip.number} to ${addressOf(payslip)}: sent on `));
      expect(item, payslip.number).toContain(`by ${jana.user} (${jana.desk}), Kurier directly (SMTP)`);
    }
    expect(items.join('\n')).not.toContain(extra.number);
    // Focus starts on the safe answer.
    expect(await bulk.evaluate(() => document.activeElement?.textContent)).toBe(
      `Skip these ${String(payslips.length)} documents, send the rest`,
    );
    await screenshot(bulk, 'bulk-already-sent.png');

    await question.getByRole('button', { name: `Skip these ${String(payslips.length)} documents, send the rest` }).click();
    await bulk
      .getByTestId('bulk-notice')
      .getByText(`${String(payslips.length)} documents were skipped: they already went to the same address.`)
      .waitFor();
    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBe(payslips.length + 1);
    await bulk.getByTestId('batch-progress').and(bulk.locator('[data-status="done"]')).nth(1).waitFor({ timeout: 30_000 });
    // Every payslip arrived once; the second batch held the invoice only.
    expect(smtp.received).toHaveLength(payslips.length + 1);
    expect(new Set(smtp.received.map((message) => message.messageId)).size).toBe(payslips.length + 1);
    expect(smtp.received.filter((message) => message.subject.includes(extra.number))).toHaveLength(1);
    // Each employee got the payslip once (one payslip per employee a month).
    for (const payslip of payslips)
      expect(smtp.received.filter((message) => message.envelopeTo.includes(addressOf(payslip)))).toHaveLength(1);

    // The send history names who sent each message and from which computer, and filters by that user.
    const history = await openTab(context, () => bulk.getByRole('button', { name: 'Send history' }).first().click());
    await history.getByRole('heading', { name: 'Send history', level: 1 }).waitFor();
    await history.getByLabel('Sent by', { exact: true }).selectOption(jana.user);
    const rows = history.getByTestId('history').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(payslips.length + 1);
    expect(new Set(await history.getByTestId('history-sender').allTextContents())).toEqual(
      new Set([`${jana.user} (${jana.desk})`]),
    );
  });
});
