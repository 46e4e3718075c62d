/**
 * One press of Export, one copy. After a send the dialog shows the outcome with Close (and the
 * document's send history) instead of a live Export button; the same document to the same address
 * again is asked about first, naming when and how the earlier copy went; after "will retry", pressing
 * Export reuses the queued message (same row, same Message-ID) instead of queueing a second one.
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { documentOf, startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';

const smtpServers = faultyServers();
const dvorak = 'Dvořák & synové s.r.o.';
const dvorakAddress = 'jana.dvorakova@dvorak-stavby.example';
const bare = (messageId: string) => messageId.replace(/^<|>$/g, '');

describe.skipIf(!keyringAvailable)('sending a document twice from the export dialog', () => {
  test(
    'after a send: outcome, history and Close; sending again is asked first, Esc keeps it unsent',
    { timeout: 60_000 },
    async () => {
      const smtp = await smtpServers.start();
      const run = await startExportDialogApp(smtp, smtpServers);
      const invoice = documentOf(run.app, dvorak);
      const dialog = await run.openExport(invoice);
      expect(await dialog.getByLabel('Recipient', { exact: true }).inputValue()).toBe(dvorakAddress);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();

      // Nothing left that sends again by a second press: Close, focused, and the history.
      expect(await dialog.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);
      const close = dialog.getByRole('button', { name: 'Close', exact: true });
      expect(await close.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await dialog.getByTestId('document-sends').locator('li').allTextContents()).toEqual([
        expect.stringContaining(`${dvorakAddress}: sent`),
      ]);
      expect(smtp.received).toHaveLength(1);

      // The user insists: the question names when and how it went; Esc answers no and sends nothing.
      await dialog.getByRole('button', { name: 'Export again…' }).click();
      const exportButton = dialog.getByRole('button', { name: 'Export', exact: true });
      await exportButton.click();
      const question = dialog.getByRole('dialog', { name: `Send ${invoice} to ${dvorakAddress} again?` });
      await question.waitFor();
      expect(await question.textContent()).toContain(`${dvorakAddress} was sent this document on `);
      expect(
        await question.getByRole('button', { name: 'Don’t send' }).evaluate((element) => element === document.activeElement),
      ).toBe(true);
      // Modal (ModalDialog): announced as such, and Tab never leaves it for the form behind.
      expect(await question.getAttribute('aria-modal')).toBe('true');
      for (let press = 0; press < 4; press++) {
        await dialog.keyboard.press('Tab');
        expect(await question.evaluate((element) => element.contains(document.activeElement))).toBe(true);
      }
      await dialog.keyboard.press('Escape');
      await question.waitFor({ state: 'hidden' });
      expect(await exportButton.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(smtp.received).toHaveLength(1);
      expect(run.outboxRows(invoice)).toHaveLength(1);

      // Confirmed: a deliberate second copy, a message of its own.
      await exportButton.click();
      await question.getByRole('button', { name: 'Send it again' }).click();
      await dialog.getByTestId('mail-sent').waitFor();
      expect(smtp.received.map((message) => message.envelopeTo)).toEqual([[dvorakAddress], [dvorakAddress]]);
      expect(new Set(smtp.received.map((message) => message.messageId)).size).toBe(2);

      // Esc closes the dialog window (the key press itself may report the page it closed).
      const closed = dialog.waitForEvent('close');
      await dialog.keyboard.press('Escape').catch((error: unknown) => {
        if (!dialog.isClosed()) throw error;
      });
      await closed;
    },
  );

  test('after "will retry", Export again reuses the queued message: one row, one Message-ID', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start({ atMailFrom: (n) => (n === 1 ? '451 4.3.0 Try again later' : null) });
    // Retries far off: only the user's second press can bring the copy forward.
    const run = await startExportDialogApp(smtp, smtpServers, {
      outbox: { retry: { baseMs: 600_000, maxMs: 600_000, maxAttempts: 8 } },
    });
    const invoice = documentOf(run.app, dvorak);
    const dialog = await run.openExport(invoice);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(`the e-mail to ${dvorakAddress} is not sent yet`).waitFor();
    expect(await dialog.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);
    const [queued, ...others] = run.outboxRows(invoice);
    expect(others).toEqual([]);
    expect(queued?.status).toBe('retry');

    await dialog.getByRole('button', { name: 'Export again…' }).click();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const question = dialog.getByRole('dialog', { name: `Send ${invoice} to ${dvorakAddress} again?` });
    expect(await question.textContent()).toContain(`The copy to ${dvorakAddress} has been waiting in the outbox since `);
    await question.getByRole('button', { name: 'Try it now' }).click();
    await dialog.getByTestId('mail-sent').waitFor();

    expect(smtp.received.map((message) => bare(message.messageId))).toEqual([bare(queued?.messageId ?? '')]);
    expect(run.outboxRows(invoice).map((row) => [row.status, row.messageId])).toEqual([['sent', queued?.messageId]]);
  });
});
