/**
 * Bulk sending end to end in Chromium through the web shell, against a fault-injecting SMTP server:
 * choose a month of documents, read the dry run (including the documents nobody can receive), send,
 * follow the progress to the end, then in the send history mark the uncertain message as delivered,
 * send the failed one again, and export the history as CSV; both windows narrowed to one client company.
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { faultyServers } from '../support/faulty-smtp-server';
import { outboxApp } from '../support/outbox-fixture';
import { startTestWebShell } from '../support/web-shell-fixture';

const smtpServers = faultyServers();

async function openFromDocuments(context: BrowserContext, documents: Page, button: string, heading: string): Promise<Page> {
  const page = await openTab(context, () => documents.getByRole('button', { name: button }).click());
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  return page;
}

describe.skipIf(!keyringAvailable)('bulk sending in the browser', () => {
  test('dry run, send, progress to the end, then the history: delivered, retried, exported', { timeout: 90_000 }, async () => {
    const smtp = await smtpServers.start({
      dropAfterData: (n) => n === 2,
      atDataEnd: (n) => (n === 3 ? '552 5.3.4 Message size exceeds fixed maximum message size' : null),
    });
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const shell = await startTestWebShell(app);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('heading', { name: 'Documents' }).waitFor();

    const bulk = await openFromDocuments(context, documents, 'Send many…', 'Export and send many documents');
    // Narrowed to one client company, the list shows only its documents, each naming it.
    const [company] = app.services.documents.companies.list();
    if (!company) throw new Error('the demo data has no company');
    const ofCompany = app.services.documents.listDocuments().filter((doc) => doc.companyId === company.id);
    const bulkRows = bulk.getByTestId('bulk-documents').locator('tbody tr');
    await bulk.getByLabel('Company', { exact: true }).selectOption({ label: company.name });
    await expect.poll(() => bulkRows.count()).toBe(ofCompany.length);
    expect((await bulkRows.allTextContents()).every((text) => text.includes(company.name))).toBe(true);
    await bulk.getByLabel('Company', { exact: true }).selectOption({ label: 'All companies' });
    await bulk.getByLabel('Select all shown').check();
    const total = app.services.documents.listDocuments().length;
    await bulk.getByText(`${String(total)} documents selected.`).waitFor();
    await bulk.getByRole('button', { name: 'Check before sending' }).click();

    const dryRun = bulk.getByTestId('dry-run');
    await dryRun.waitFor();
    const orphans = app.services.documents
      .listDocuments()
      .filter((doc) => app.services.exporter.load(doc.id).partner.email === '');
    const sendable = total - orphans.length;
    expect(await bulk.getByTestId('dry-run-summary').textContent()).toContain(
      `${String(sendable)} messages will be sent, at most 600 a minute`,
    );
    const missing = (await bulk.getByTestId('dry-run-missing').textContent()) ?? '';
    expect(missing).toContain(`${String(orphans.length)} documents have no usable e-mail address and will not be sent`);
    for (const orphan of orphans) expect(missing).toContain(`${orphan.number} – ${orphan.partnerName} has no e-mail address`);
    expect(await bulk.getByTestId('dry-run-recipients').locator('tbody tr').count()).toBe(sendable);
    // The PDFs go to the default export folder unless another is typed.
    expect(await bulk.getByLabel('Target folder', { exact: true }).inputValue()).toBe(app.exportDir);
    await screenshot(bulk, 'bulk-dry-run.png');

    await bulk.getByRole('button', { name: `Send ${String(sendable)} messages` }).click();
    const progress = bulk.getByTestId('batch-progress');
    await progress.and(bulk.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    const counts = (await progress.getByTestId('batch-counts').textContent()) ?? '';
    expect(counts).toContain(`${String(sendable - 2)} sent`);
    expect(counts).toContain('1 failed');
    expect(counts).toContain('1 uncertain');
    await screenshot(bulk, 'bulk-progress.png');

    const history = await openTab(context, () => progress.getByRole('button', { name: 'Send history' }).click());
    await history.getByRole('heading', { name: 'Send history', level: 1 }).waitFor();
    const table = history.getByTestId('history');
    await table.waitFor();

    // The uncertain one: the user checked with the recipient, it did arrive.
    await history.getByLabel('State').selectOption('uncertain');
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').first().textContent()).toContain('The connection to 127.0.0.1 was lost.');
    await table.locator('tbody tr input[type="checkbox"]').first().check();
    await history.getByRole('button', { name: 'It did arrive' }).click();
    await history.getByText('1 message is marked as delivered.').waitFor();

    // The failed one: the server's answer in plain words, then sent again.
    await history.getByLabel('State').selectOption('failed');
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').first().textContent()).toContain('552 5.3.4');
    await table.locator('tbody tr input[type="checkbox"]').first().check();
    await history.getByRole('button', { name: 'Send again (1)' }).click();
    await history.getByText('1 message is queued again.').waitFor();
    await history.getByLabel('State').selectOption('sent');
    await expect.poll(() => app.services.outbox.counts(1).sent, { timeout: 20_000 }).toBe(sendable);
    await screenshot(history, 'send-history.png');

    await history.getByLabel('State').selectOption('all');
    await history.getByRole('button', { name: 'Export as CSV' }).click();
    const saved = history.getByText(/^Saved to /);
    await saved.waitFor();
    const csvPath = ((await saved.textContent()) ?? '').replace(/^Saved to /, '');
    const csv = await readFile(csvPath, 'utf8');
    expect(
      csv.startsWith(
        '\uFEFFTime;Document;Company;Name;Recipient;Subject;Route;State;Attempts;Error;Server’s answer;Message-ID;User;Queued at (computer);Delivered from (computer)\r\n',
      ),
    ).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(sendable + 1);

    // The history narrowed to one client company: only its messages, each naming it.
    const sentOfCompany = ofCompany.filter((doc) => !orphans.some((orphan) => orphan.id === doc.id));
    await history.getByLabel('Company', { exact: true }).selectOption({ label: company.name });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(sentOfCompany.length);
    expect((await table.locator('tbody tr').allTextContents()).every((text) => text.includes(company.name))).toBe(true);

    // Nothing went out twice except the one message the user chose to send again after its refusal.
    const perId = new Map<string, number>();
    for (const message of smtp.received) perId.set(message.messageId, (perId.get(message.messageId) ?? 0) + 1);
    expect([...perId.values()].every((count) => count === 1)).toBe(true);
  });
});
