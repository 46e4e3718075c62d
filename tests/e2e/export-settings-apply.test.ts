/**
 * Settings take effect, and no wait in the export dialog is open-ended. A server that keeps asking
 * Kurier to slow down puts the account into a long cooldown; saving the corrected account then sends
 * the messages queued before to the account now in force (same Message-IDs) and forgets the old
 * server's slow-down, so a new export goes out at once. While a copy cannot go out, the dialog shows
 * progress and a Cancel after 2 s, and stops waiting after a bounded time saying the copy stays queued.
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { documentOf, startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';
import { waitUntil } from '../support/outbox-fixture';

const smtpServers = faultyServers();
const slowDown = '421 4.7.0 Too many messages, slow down';
const bare = (messageId: string) => messageId.replace(/^<|>$/g, '');
// Ten minutes of cooldown after each "slow down": longer than any of these tests.
const outbox = { pacer: { cooldownMs: 600_000, maxCooldownMs: 600_000, jitter: 0 }, copyWaitMs: 4_000 };

describe.skipIf(!keyringAvailable)('export dialog: saved settings apply, waits are bounded', () => {
  test(
    'a saved account delivers the copies queued before and forgets the old server’s slow-down',
    { timeout: 60_000 },
    async () => {
      const old = await smtpServers.start({ atMailFrom: () => slowDown });
      const fixed = await smtpServers.start();
      const run = await startExportDialogApp(old, smtpServers, { outbox });
      const invoice = documentOf(run.app, 'Dvořák & synové s.r.o.');
      const dialog = await run.openExport(invoice);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByText('is not sent yet').waitFor();
      const [queued] = run.outboxRows(invoice);
      expect(queued?.status).toBe('retry');

      // The corrected port is saved with the password typed again: a saved password stays with the
      // server it was saved for.
      await run.app.services.prefs.updateUser(run.userPrefs(fixed.port), { action: 'set', value: 'správné-heslo' });
      await waitUntil(
        () => fixed.received.length === 1,
        () => run.outboxRows(invoice),
        15_000,
      );
      expect(fixed.received.map((message) => bare(message.messageId))).toEqual([bare(queued?.messageId ?? '')]);
      expect(old.received).toEqual([]);

      // A new export goes out now, not after the old server's cooldown.
      const next = await run.openExport(documentOf(run.app, 'Přemysl Šťastný'));
      await next.getByRole('button', { name: 'Export', exact: true }).click();
      await next.getByTestId('mail-sent').waitFor();
      expect(fixed.received.map((message) => message.envelopeTo)).toEqual([
        ['jana.dvorakova@dvorak-stavby.example'],
        ['premysl.stastny@stastny-truhlarstvi.example'],
      ]);
    },
  );

  test(
    'a copy that cannot go out: progress and Cancel after 2 s, and a bounded wait that leaves it queued',
    { timeout: 60_000 },
    async () => {
      const smtp = await smtpServers.start({ atMailFrom: (n) => (n === 1 ? slowDown : null) });
      const run = await startExportDialogApp(smtp, smtpServers, { outbox });
      const first = await run.openExport(documentOf(run.app, 'Dvořák & synové s.r.o.'));
      await first.getByRole('button', { name: 'Export', exact: true }).click();
      await first.getByText('is not sent yet').waitFor();

      // The account cools down: the next copy waits. After 2 s the dialog says so and offers Cancel (focused).
      const stastny = documentOf(run.app, 'Přemysl Šťastný');
      const second = await run.openExport(stastny);
      await second.getByRole('button', { name: 'Export', exact: true }).click();
      await second.getByTestId('export-waiting').waitFor();
      const cancel = second.getByRole('button', { name: 'Cancel sending' });
      expect(await cancel.evaluate((element) => element === document.activeElement)).toBe(true);
      await cancel.click();
      await second.getByText('was cancelled and will not be sent').waitFor();
      expect(run.outboxRows(stastny).map((row) => row.status)).toEqual(['cancelled']);

      // Not cancelled: the dialog stops waiting after its bound and says the copy stays queued — one copy.
      const cermak = documentOf(run.app, 'Kovárna Čermák & Ježek v.o.s.');
      const third = await run.openExport(cermak);
      await third.getByRole('button', { name: 'Export', exact: true }).click();
      await third.getByText('stays in the outbox and Kurier delivers it as soon as it can').waitFor();
      await third.getByRole('button', { name: 'Close', exact: true }).waitFor();
      expect(await third.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);
      expect(run.outboxRows(cermak).map((row) => row.status)).toEqual(['queued']);
      expect(smtp.received).toEqual([]);
    },
  );
});
