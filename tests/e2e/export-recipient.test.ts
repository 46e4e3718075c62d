/**
 * The export dialog never preselects, nor offers, another client's address: a partner without e-mail
 * starts with the copy off and says why, and an address the user typed for that partner is offered
 * (for that partner only) next time. Reproduces "two clicks sent Pekařství U Růžičků's invoice to
 * Dvořák & synové, with the office in CC" and "with an office address set, the invoice quietly went
 * to the office".
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { documentOf, startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';

const smtpServers = faultyServers();
const bakery = 'Pekařství U Růžičků s.r.o.';
const office = 'kancelar@ucetni-bila.example';

describe.skipIf(!keyringAvailable)('the export dialog’s recipient', () => {
  test(
    'a partner without e-mail: no one preselected, no other client offered, the copy off and why',
    { timeout: 60_000 },
    async () => {
      const smtp = await smtpServers.start();
      const run = await startExportDialogApp(smtp, smtpServers, { officeEmail: office });
      const invoice = documentOf(run.app, bakery);
      const otherClients = run.app.services.documents
        .listPartners()
        .filter((partner) => partner.name !== bakery && partner.email !== '');
      expect(otherClients.length).toBeGreaterThan(3);

      const dialog = await run.openExport(invoice);
      const sendCopy = dialog.getByLabel('Send a copy to e-mail', { exact: true });
      expect(await sendCopy.isChecked()).toBe(false);
      await dialog
        .getByTestId('no-partner-address')
        .filter({ hasText: `${bakery} has no e-mail address` })
        .waitFor();

      // Two clicks: nothing goes anywhere, least of all to another client or to the office.
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('export-saved').waitFor();
      expect(smtp.received).toEqual([]);
      expect(run.outboxRows(invoice)).toEqual([]);

      await dialog.reload();
      await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
      const offered = await dialog.getByLabel('Recipient', { exact: true }).locator('option').allTextContents();
      for (const client of otherClients) expect(offered.join('\n')).not.toContain(client.email);
      // The office's address is a choice the user can make, never the one chosen for them.
      expect(await dialog.getByLabel('Recipient', { exact: true }).inputValue()).toBe('__other__');
      expect(await dialog.getByLabel('E-mail address', { exact: true }).inputValue()).toBe('');

      // The user types the bakery's address: it goes there, and only there.
      await dialog.getByLabel('E-mail address', { exact: true }).fill('objednavky@ruzicka-pekarstvi.example');
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();
      expect(smtp.received.map((message) => message.envelopeTo)).toEqual([['objednavky@ruzicka-pekarstvi.example']]);

      // Next time that address is preselected for the bakery — and offered to no one else.
      await dialog.reload();
      expect(await dialog.getByLabel('Send a copy to e-mail', { exact: true }).isChecked()).toBe(true);
      expect(await dialog.getByLabel('Recipient', { exact: true }).inputValue()).toBe('objednavky@ruzicka-pekarstvi.example');
      expect(await dialog.getByTestId('no-partner-address').count()).toBe(0);
      const dvorak = await run.openExport(documentOf(run.app, 'Dvořák & synové s.r.o.'));
      await dvorak.getByLabel('Recipient', { exact: true }).waitFor();
      expect(await dvorak.getByLabel('Recipient', { exact: true }).inputValue()).toBe('jana.dvorakova@dvorak-stavby.example');
      const dvorakOffered = await dvorak.getByLabel('Recipient', { exact: true }).locator('option').allTextContents();
      expect(dvorakOffered.join('\n')).not.toContain('ruzicka-pekarstvi');
    },
  );
});
