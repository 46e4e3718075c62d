/**
 * Two desks on one office PostgreSQL (issue 20), desk 2 in Chromium through the web shell: a document
 * desk 1 sends shows as sent in desk 2's document list — the "Sent" column reads the office outbox, not
 * desk 2's own file — and desk 2's export dialog lists that copy.
 */
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createAppFixture, keyringAvailable, type AppFixture } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { faultyServers } from '../support/faulty-smtp-server';
import { documentsWithAddress, outboxApp, settle, startBatch, waitUntil } from '../support/outbox-fixture';
import { postgresAvailable } from '../support/outbox-stores';
import { startPostgres } from '../support/postgres-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const smtpServers = faultyServers();
const sentCell = (page: Page, number: string) => page.locator(`tr[data-document="${number}"] [data-testid="last-send"]`);

async function connected(app: AppFixture): Promise<void> {
  const state = () => app.services.officeDatabase() as { kind: string; state?: string };
  await waitUntil(() => state().state === 'connected' && app.services.worker.running, state);
}

describe.skipIf(!keyringAvailable || !postgresAvailable)('the document list on the office database', () => {
  test('a document sent at desk 1 shows as sent at desk 2', { timeout: 120_000 }, async () => {
    const server = await startPostgres();
    onTestFinished(() => server.stop());
    const smtp = await smtpServers.start();
    const { app: desk1 } = await outboxApp(smtp, smtpServers.certificate, { identity: { user: 'jana', desk: 'stul-1' } });
    await desk1.services.databaseSettings.save(
      {
        kind: 'postgres',
        host: '127.0.0.1',
        port: server.port,
        database: new URL(await server.createDatabase()).pathname.slice(1),
        user: server.user,
        tls: 'off',
        trustedCertificate: '',
      },
      { action: 'keep' },
    );
    await connected(desk1);
    const desk2 = await createAppFixture({
      machinePrefsDir: desk1.machinePrefsDir,
      secrets: desk1.secrets,
      identity: { user: 'petr', desk: 'stul-2' },
    });
    await connected(desk2);

    const [id = 0] = documentsWithAddress(desk1, 1);
    const number = desk1.services.documents.getDocument(id)?.number ?? '';
    const address = desk1.services.exporter.load(id).partner.email;
    const shell = await startTestWebShell(desk2);
    const { context } = await launchTestBrowser();
    const page = await context.newPage();
    await page.goto(shell.url);
    await sentCell(page, number).waitFor();
    expect(await sentCell(page, number).textContent()).toBe('Not sent');

    await settle(desk1, await startBatch(desk1, [id]));
    expect(smtp.received).toHaveLength(1);
    // Desk 2 hears of the office batch (its worker watches the office database) and reads the list again.
    await expect.poll(() => sentCell(page, number).textContent(), { timeout: 20_000 }).toContain(`sent to ${address}`);

    const dialog = await openTab(context, () => page.getByRole('button', { name: `Export… ${number}`, exact: true }).click());
    await dialog.getByRole('heading', { name: `Export ${number}` }).waitFor();
    await dialog.getByTestId('document-sends').waitFor();
    expect(await dialog.getByTestId('document-sends').textContent()).toContain(address);
  });
});
