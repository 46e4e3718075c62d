/**
 * Issue 22, end to end in Chromium through the web shell: the user sends an uncertain message again
 * (confirming the warning); once it is sent, the history says it may have arrived twice — not only
 * "sent (2 attempts)" — and the server indeed has it twice.
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { faultyServers } from '../support/faulty-smtp-server';
import { deliveries, outboxApp, plainMessages, settle } from '../support/outbox-fixture';
import { startTestWebShell } from '../support/web-shell-fixture';

const smtpServers = faultyServers();

describe.skipIf(!keyringAvailable)('sending an uncertain message again, in the browser', () => {
  test('the history says it may have arrived twice', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start({ dropAfterData: (n) => n === 1 });
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const [message] = plainMessages(1, Date.now());
    if (!message) throw new Error('no message');
    const batchId = app.services.outbox.createBatch({ kind: 'send', accountScope: 'user', now: Date.now() }, [message]);
    app.services.worker.wake();
    await settle(app, batchId);
    expect(app.services.outbox.counts(batchId)).toMatchObject({ uncertain: 1 });

    const shell = await startTestWebShell(app);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('heading', { name: 'Documents' }).waitFor();
    const history = await openTab(context, () => documents.getByRole('button', { name: 'Send history' }).click());
    await history.getByRole('heading', { name: 'Send history', level: 1 }).waitFor();
    const table = history.getByTestId('history');
    const row = table.locator('tbody tr').first();
    await row.waitFor();

    history.once('dialog', (dialog) => void dialog.accept());
    await row.locator('input[type="checkbox"]').check();
    await history.getByRole('button', { name: 'Send again (1)' }).click();
    await history.getByText('1 message is queued again.').waitFor();
    await expect.poll(() => app.services.outbox.counts(batchId).sent, { timeout: 20_000 }).toBe(1);

    await history.getByLabel('State').selectOption('sent');
    await table.locator('tbody tr[data-status="sent"]').first().waitFor();
    const text = (await table.locator('tbody tr').first().textContent()) ?? '';
    expect(text).toContain('2 attempts');
    expect(text).toContain('may have arrived twice');
    expect(deliveries(smtp).get(message.messageId)).toBe(2);
  });
});
