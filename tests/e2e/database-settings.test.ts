/**
 * The office preferences' "Database" section in Chromium through the web shell, against a private
 * PostgreSQL that asks for a password: a wrong password is said in words, the right one connects, saving
 * puts it in the keychain (not the office file) and switches the running Kurier to the office database at
 * once, and the move reports what it copied — in the live area.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, onTestFinished, test } from 'vitest';
import { databasePasswordKey } from '../../electron/services/data/office-database';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { postgresAvailable } from '../support/outbox-stores';
import { startPostgres } from '../support/postgres-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const password = 'kancelář-heslo-2026';

describe.skipIf(!keyringAvailable || !postgresAvailable)('the office database in the office preferences', () => {
  test('test the connection, save, and move this desk’s data', { timeout: 120_000 }, async () => {
    const server = await startPostgres({ password });
    onTestFinished(() => server.stop());
    const name = new URL(await server.createDatabase()).pathname.slice(1);
    const fixture = await createAppFixture();
    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const list = await context.newPage();
    await list.goto(shell.url);
    await list.getByRole('heading', { name: 'Documents' }).waitFor();
    const page = await openTab(context, () => list.getByRole('button', { name: 'Office preferences' }).click());
    const section = page.getByTestId('database-settings');
    await section.getByRole('heading', { name: 'Database', exact: true }).waitFor();
    await section.getByText('Kurier now keeps its outbox in this computer’s file.').waitFor();

    await section.getByLabel('Database', { exact: true }).selectOption({ label: 'Office PostgreSQL' });
    await section.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await section.getByLabel('Port', { exact: true }).fill(String(server.port));
    await section.getByLabel('Database name', { exact: true }).fill(name);
    await section.getByLabel('User', { exact: true }).fill('kurier');
    await section
      .getByLabel('Connection security', { exact: true })
      .selectOption({ label: 'None (only for a server on this computer)' });
    await section.getByLabel('Password', { exact: true }).fill('špatné-heslo');
    await section.getByRole('button', { name: 'Test connection' }).click();
    await section.getByText('The office database refused the user kurier or its password.').waitFor();

    await section.getByLabel('Password', { exact: true }).fill(password);
    await section.getByRole('button', { name: 'Test connection' }).click();
    await page
      .getByTestId('database-status')
      .getByText(/^Connected to PostgreSQL 15\./u)
      .waitFor();

    await section.getByRole('button', { name: 'Save database settings' }).click();
    await page
      .getByTestId('database-status')
      .getByText('Saved. Sending goes on in the chosen database as soon as it answers.')
      .waitFor();
    // The choice applies at once, and the section follows it without being opened again.
    await section.getByText('Kurier now sends from the office database.').waitFor();
    expect(fixture.services.outboxRepository.kind).toBe('postgres');
    expect(await fixture.secrets.get(databasePasswordKey)).toBe(password);
    const file = await readFile((await fixture.services.prefs.view()).globalLocation.filePath, 'utf8');
    expect(file).toContain(name);
    expect(file).not.toContain(password);

    await section.getByRole('button', { name: 'Move this desk’s data into PostgreSQL' }).click();
    await page
      .getByTestId('database-status')
      .getByText('Moved 0 batches and 0 messages; 0 messages were there already.')
      .waitFor();
  });
});
