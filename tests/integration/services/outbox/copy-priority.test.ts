/**
 * Issue 22: the export dialog's single copy goes ahead of a batch's slow-down. After two rate answers
 * in a row the batch waits a doubled cooldown of the outbox's own; the copy waits only what the server's
 * answer asked for (one first cooldown), and arrives before the batch's message.
 */
import { describe, expect, it } from 'vitest';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { plainMessages, waitUntil } from '../../../support/outbox-fixture';
import { testSmtpAccount } from '../../../support/smtp-test-server';

const smtpServers = faultyServers();

describe.skipIf(!keyringAvailable)("the export dialog's single copy and a batch's cooldown", () => {
  it(
    'waits only the cooldown the server asked for, not the batch’s doubled one, and goes first',
    { timeout: 60_000 },
    async () => {
      const smtp = await smtpServers.start({ atMailFrom: (n) => (n <= 2 ? '450 4.7.0 Too many messages, slow down' : null) });
      const app = await createAppFixture({
        smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
        // First cooldown 2 s, doubled to 4 s by the second rate answer in a row; no jitter.
        outbox: {
          connections: 1,
          retry: { baseMs: 40, maxMs: 400, maxAttempts: 8 },
          pacer: { cooldownMs: 2_000, maxCooldownMs: 60_000, jitter: 0 },
          watchdogMs: 10_000,
        },
      });
      await app.services.prefs.updateUser(
        {
          exportFolder: '',
          globalPrefsFolder: '',
          overrides: {
            smtp: testSmtpAccount({ port: smtp.port, trustedCertificate: smtpServers.certificate.cert }),
            bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 },
          },
        },
        { action: 'set', value: 'správné-heslo' },
      );
      const [batchMessage, copyMessage] = plainMessages(2, 0);
      if (!batchMessage || !copyMessage) throw new Error('no messages');
      const batchId = app.services.outbox.createBatch({ kind: 'send', accountScope: 'user', now: Date.now() }, [
        { ...batchMessage, notBefore: Date.now() },
      ]);
      app.services.worker.wake();
      await waitUntil(
        async () =>
          smtp.stats().mailFromCount === 2 && (await app.services.worker.progress(batchId))?.waiting?.kind === 'serverLimit',
        async () => ({ mailFrom: smtp.stats().mailFromCount, progress: await app.services.worker.progress(batchId) }),
      );

      const copyId = app.services.outbox.createBatch({ kind: 'copy', accountScope: 'user', now: Date.now() }, [copyMessage]);
      app.services.worker.wake();
      const batchWait = (await app.services.worker.progress(batchId))?.waiting;
      const copyWait = (await app.services.worker.progress(copyId))?.waiting;
      const until = (waiting: typeof batchWait) => (waiting && 'until' in waiting ? waiting.until : 0);
      expect(batchWait?.kind).toBe('serverLimit');
      // The copy's wait ends a whole first cooldown (2 s) before the batch's.
      expect(until(batchWait) - until(copyWait)).toBeGreaterThanOrEqual(1_900);

      await waitUntil(
        () => smtp.received.length === 2,
        () => app.services.outbox.counts(batchId),
        20_000,
      );
      expect(smtp.received.map((message) => message.messageId)).toEqual([copyMessage.messageId, batchMessage.messageId]);
      // It went out while the batch was still cooling down.
      expect(smtp.received[0]?.acceptedAt).toBeLessThan(until(batchWait));
    },
  );
});
