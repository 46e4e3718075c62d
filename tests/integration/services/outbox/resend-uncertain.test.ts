/**
 * Issue 22: after "Send again" on an uncertain message, history said only "sent (2 attempts)" — yet
 * the recipient may have it twice. The row now carries that, in the history and its CSV export.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { deliveries, documentsWithAddress, outboxApp, settle, startBatch } from '../../../support/outbox-fixture';

const smtpServers = faultyServers();

describe.skipIf(!keyringAvailable)('a message sent again after an uncertain delivery', () => {
  it('is marked in the history and its CSV as possibly arrived twice; the others are not', async () => {
    const smtp = await smtpServers.start({ dropAfterData: (n) => n === 1 });
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const batchId = await startBatch(app, documentsWithAddress(app, 2));
    await settle(app, batchId);
    const [uncertain] = await app.services.batches.history({ status: 'uncertain', text: '', batchId, limit: 1 });
    expect(uncertain?.mayHaveArrivedTwice).toBe(false);

    expect(await app.services.batches.retry([uncertain?.id ?? 0])).toBe(1);
    await settle(app, batchId);

    const rows = await app.services.batches.history({ status: 'all', text: '', batchId, limit: 10 });
    const resent = rows.find((row) => row.id === uncertain?.id);
    const other = rows.find((row) => row.id !== uncertain?.id);
    expect(resent).toMatchObject({ status: 'sent', attempts: 2, mayHaveArrivedTwice: true });
    expect(other).toMatchObject({ status: 'sent', attempts: 1, mayHaveArrivedTwice: false });
    expect(deliveries(smtp).get(resent?.messageId ?? '')).toBe(2);

    const header = [
      'Čas',
      'Doklad',
      'Jméno',
      'Příjemce',
      'Předmět',
      'Cesta',
      'Stav',
      'Pokusy',
      'Chyba',
      'Odpověď serveru',
      'Message-ID',
    ];
    const file = await app.services.batches.exportCsv({ status: 'all', text: '', batchId, limit: 100 }, app.exportDir, {
      header,
      status: { sent: 'odesláno' },
      mayHaveArrivedTwice: 'mohla dorazit dvakrát',
    });
    const lines = (await readFile(file, 'utf8')).split('\r\n');
    expect(lines.find((line) => line.includes(resent?.messageId ?? '?'))).toContain(';odesláno (mohla dorazit dvakrát);2;');
    expect(lines.find((line) => line.includes(other?.messageId ?? '?'))).toContain(';odesláno;1;');
  });
});
