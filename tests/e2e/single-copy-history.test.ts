/**
 * A single copy from the export dialog is one message of the send history, not a batch: "Send many…"
 * lists no batch for it and the history shows the message itself without a batch panel. (Before, nine
 * sends pushed the bulk form 1,450 px down.)
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { openTab } from '../support/browser';
import { startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';

const smtpServers = faultyServers();
const dvorak = 'Dvořák & synové s.r.o.';

describe.skipIf(!keyringAvailable)('single copies in the history, not as batches', () => {
  test(
    'two copies sent from the export dialog: no batch in Send many…, two rows in the history',
    { timeout: 60_000 },
    async () => {
      const smtp = await smtpServers.start();
      const run = await startExportDialogApp(smtp, smtpServers);
      const [invoice, second] = run.app.services.documents
        .listDocuments()
        .filter((doc) => doc.partnerName === dvorak)
        .map((doc) => doc.number);
      if (invoice === undefined || second === undefined)
        throw new Error(`the demo data has fewer than two documents for ${dvorak}`);
      for (const number of [invoice, second]) {
        const dialog = await run.openExport(number);
        await dialog.getByRole('button', { name: 'Export', exact: true }).click();
        await dialog.getByTestId('mail-sent').waitFor();
      }
      expect(smtp.received).toHaveLength(2);

      const bulk = await openTab(run.context, () =>
        run.documents.getByRole('button', { name: 'Send many…', exact: true }).click(),
      );
      await bulk.getByRole('heading', { name: 'Export and send many documents', level: 1 }).waitFor();
      await bulk.getByLabel('Select all shown').waitFor();
      expect(await bulk.getByTestId('batch-progress').count()).toBe(0);

      const history = await openTab(run.context, () =>
        run.documents.getByRole('button', { name: 'Send history', exact: true }).click(),
      );
      const rows = history.getByTestId('history').locator('tbody tr');
      await rows.first().waitFor();
      const text = (await rows.allTextContents()).join('\n');
      expect(text).toContain(invoice);
      expect(text).toContain(second);
      expect(await history.getByTestId('batch-progress').count()).toBe(0);
    },
  );
});
