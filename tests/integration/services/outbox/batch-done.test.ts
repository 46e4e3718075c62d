/**
 * Issue 22: a batch is done the moment its last message settles — not when the account's connection
 * runs out of work. Before, a finished batch stayed "running, 0 left" (and its "batch finished" e-mail
 * unsent) while another batch of the same account was still going.
 */
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { documentsWithAddress, outboxApp, startBatch, waitUntil } from '../../../support/outbox-fixture';

const smtpServers = faultyServers();
const office = 'kancelar@kancelar.example';

describe.skipIf(!keyringAvailable)('a batch finishing while another of the account goes on', () => {
  it('is done, with its summary e-mailed, while the other batch is still sending', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start({});
    // One message a second: the second batch takes ten seconds after the first is over.
    const { app } = await outboxApp(smtp, smtpServers.certificate, { perMinute: 60 });
    await app.services.prefs.updateUser(
      {
        ...app.services.prefs.userPrefs(),
        overrides: { ...app.services.prefs.userPrefs().overrides, language: 'en', personalEmail: office },
      },
      { action: 'keep' },
    );
    const [a1 = 0, a2 = 0, ...rest] = documentsWithAddress(app, 12);
    const first = await startBatch(app, [a1, a2]);
    const second = await startBatch(app, rest);

    await waitUntil(
      () => app.services.outbox.batch(first)?.status === 'done',
      () => ({ first: app.services.outbox.counts(first), second: app.services.outbox.counts(second) }),
      30_000,
    );
    expect(app.services.outbox.counts(first)).toMatchObject({ sent: 2, total: 2 });
    expect(app.services.outbox.counts(second).sent).toBeLessThan(10);
    expect(await app.services.worker.progress(first)).toMatchObject({ status: 'done', waiting: null, estimatedFinish: null });
    expect(app.batchEvents.filter((event) => event.batchId === first).at(-1)).toMatchObject({ status: 'done' });

    // The summary goes out next, ahead of the other batch's messages.
    await waitUntil(
      () => smtp.received.some((message) => message.envelopeTo.includes(office)),
      () => app.services.outbox.counts(second),
      30_000,
    );
    const summary = smtp.received.find((message) => message.envelopeTo.includes(office));
    expect(summary?.subject).toBe(`Kurier: sending #${String(first)} finished (2 of 2 sent)`);
    expect(app.services.outbox.counts(second).sent).toBeLessThan(10);
    expect(app.services.outbox.batch(second)?.status).toBe('running');
  });
});
