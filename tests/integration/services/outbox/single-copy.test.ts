/**
 * The export dialog's single copy against a real, fault-injecting SMTP server: the same document to the
 * same address again is refused unless confirmed, and a confirmed retry of a copy still waiting reuses
 * its outbox row (same Message-ID) instead of queueing a second message.
 */
import { describe, expect, it } from 'vitest';
import type { InputOf } from '../../../../shared/contract';
import { KurierError } from '../../../../shared/errors';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { documentsWithAddress, outboxApp } from '../../../support/outbox-fixture';

const smtpServers = faultyServers();
const copy = { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' } as const;

describe.skipIf(!keyringAvailable)('the export dialog’s single copy', () => {
  it('reuses the waiting copy on a confirmed retry: one row, one Message-ID, delivered once', async () => {
    const smtp = await smtpServers.start({ atMailFrom: (n) => (n === 1 ? '451 4.3.0 Try again later' : null) });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { retryBaseMs: 600_000 });
    const [documentId = 0] = documentsWithAddress(app, 1);
    const input = (again: boolean): InputOf<'export:run'> => ({
      documentId,
      format: 'pdf',
      folder: app.exportDir,
      copy: { ...copy, again },
      smtpPassword: null,
    });

    const first = await app.services.sender.run(input(false));
    expect(first.mail).toMatchObject({ ok: false, pending: {} });
    expect(first.sends).toMatchObject([{ recipient: copy.to, status: 'retry' }]);
    const messageId = first.sends[0]?.messageId ?? '';

    // Unconfirmed, nothing happens: no second file, no second message, and the error says when and how.
    const refused = await app.services.sender.run(input(false)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KurierError);
    expect(refused).toMatchObject({ code: 'export.alreadySent', details: { to: copy.to, status: 'retry' } });

    const second = await app.services.sender.run(input(true));
    expect(second.mail).toMatchObject({ ok: true, messageId });
    expect(second.sends).toMatchObject([{ status: 'sent', messageId }]);
    expect(smtp.received.map((message) => message.messageId)).toEqual([messageId]);
  });

  it('sends a confirmed copy to an address that already has it as a new message', async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const [documentId = 0] = documentsWithAddress(app, 1);
    const base = { documentId, format: 'pdf', folder: app.exportDir, smtpPassword: null } as const;
    await app.services.sender.run({ ...base, copy });
    await expect(app.services.sender.run({ ...base, copy: { ...copy, to: 'JANA@firma.example' } })).rejects.toMatchObject({
      code: 'export.alreadySent',
      details: { status: 'sent' },
    });
    // Another address is another recipient: not asked.
    await app.services.sender.run({ ...base, copy: { ...copy, to: 'ucetni@firma.example' } });
    await app.services.sender.run({ ...base, copy: { ...copy, again: true } });
    expect(smtp.received.map((message) => message.envelopeTo)).toEqual([[copy.to], ['ucetni@firma.example'], [copy.to]]);
    expect(new Set(smtp.received.map((message) => message.messageId)).size).toBe(3);
  });
});
