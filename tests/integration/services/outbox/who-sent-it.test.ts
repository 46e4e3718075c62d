/**
 * Who sent it, and not twice (issue 20): every message records the user and desk that queued it and the
 * desk that delivered it; the history filters by user and its CSV carries the three columns; starting
 * a batch whose documents already went to the same addresses asks first — also when two starts of the
 * same documents race — and "skip" leaves exactly those out. Against this desk's SQLite file and an
 * office PostgreSQL (where two desks are two Kuriers, each with its own file, on one database); real SMTP
 * server.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { DocumentSends } from '../../../../electron/services/outbox/document-sends';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { deliveries, documentsWithAddress, outboxApp, settle } from '../../../support/outbox-fixture';
import { outboxStores } from '../../../support/outbox-stores';
import { tempDir } from '../../../support/temp-dir';

const smtpServers = faultyServers();
const stores = outboxStores();
const jana = { user: 'jana.novakova', desk: 'RECEPCE-PC' };
const petr = { user: 'petr.svoboda', desk: 'MZDY-NB' };

const request = (documentIds: readonly number[], folder: string) => ({
  documentIds,
  target: { kind: 'partner' as const },
  folder,
  testToMe: false,
  spreadOverDays: false,
});

const csvHeader = [
  'Čas',
  'Doklad',
  'Firma',
  'Jméno',
  'Příjemce',
  'Předmět',
  'Cesta',
  'Stav',
  'Pokusy',
  'Chyba',
  'Odpověď serveru',
  'Message-ID',
  'Uživatel',
  'Zařazeno na počítači',
  'Doručeno z počítače',
];

describe.skipIf(!keyringAvailable).each(stores)('who sent it ($name)', (store) => {
  test('the history names the user and desk, filters by user, and the CSV has the columns', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const postgres = await store.database();
    // SQLite: both Kuriers open the same file; PostgreSQL: each desk has its own file, one office database.
    const dataDir = await tempDir('kurier-office-');
    const atJana = await outboxApp(smtp, smtpServers.certificate, { dataDir, identity: jana, postgres });
    const [first, second] = documentsWithAddress(atJana.app, 2);
    const janas = await atJana.app.services.batches.start(request([first ?? 0], atJana.app.exportDir));
    await settle(atJana.app, janas.batchId);
    // Jana's desk stops sending; Petr's Kurier opens the same database and sends his own document.
    await atJana.app.services.worker.stop();
    const atPetr = await outboxApp(smtp, smtpServers.certificate, {
      ...(postgres === null ? { dataDir } : {}),
      identity: petr,
      postgres,
    });
    const petrs = await atPetr.app.services.batches.start(request([second ?? 0], atPetr.app.exportDir));
    await settle(atPetr.app, petrs.batchId);

    const history = atPetr.app.services.batches;
    expect(await history.historyUsers()).toEqual([jana.user, petr.user]);
    const all = await history.history({ status: 'all', text: '', batchId: null, limit: 10 });
    expect(all.map((row) => [row.queuedByUser, row.queuedByDesk, row.deliveredByDesk, row.status])).toEqual([
      [petr.user, petr.desk, petr.desk, 'sent'],
      [jana.user, jana.desk, jana.desk, 'sent'],
    ]);
    const onlyJana = await history.history({ status: 'all', text: '', batchId: null, limit: 10, user: jana.user });
    expect(onlyJana.map((row) => row.batchId)).toEqual([janas.batchId]);

    const file = await history.exportCsv(
      { status: 'all', text: '', batchId: null, limit: 10, user: petr.user },
      atPetr.app.exportDir,
      {
        header: csvHeader,
        status: { sent: 'odesláno' },
      },
    );
    const lines = (await readFile(file, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(csvHeader.join(';'));
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith(`;${petr.user};${petr.desk};${petr.desk}`)).toBe(true);
    // Nothing secret goes into the history: the password appears in no cell.
    expect(lines.join('\n')).not.toContain('správné-heslo');
  });
});

describe.skipIf(!keyringAvailable).each(stores)('the double-send guard ($name)', (store) => {
  test('a second start of the same documents asks, naming who; skip leaves exactly those out', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana, postgres: await store.database() });
    const ids = documentsWithAddress(app, 4);
    const month = ids.slice(0, 3);
    const first = await app.services.batches.start(request(month, app.exportDir));
    await settle(app, first.batchId);
    expect(smtp.received).toHaveLength(3);

    const asked = await app.services.batches.begin(request(ids, app.exportDir));
    expect(asked.batchId).toBeNull();
    expect(asked.earlier.map((copy) => [copy.documentId, copy.status, copy.route, copy.queuedByUser, copy.queuedByDesk])).toEqual(
      month.map((id) => [id, 'sent', 'smtp', jana.user, jana.desk]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    await expect(app.services.batches.start(request(ids, app.exportDir))).rejects.toMatchObject({ code: 'outbox.alreadySent' });

    const skipped = await app.services.batches.begin({ ...request(ids, app.exportDir), duplicates: 'skip' });
    expect(skipped.batchId).not.toBeNull();
    expect(skipped.earlier).toHaveLength(3);
    await settle(app, skipped.batchId ?? 0);
    expect(smtp.received).toHaveLength(4);
    expect([...deliveries(smtp).values()].every((count) => count === 1)).toBe(true);
  });

  test('a copy handed to Outlook at another desk counts too, named with its route', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana, postgres: await store.database() });
    const [id] = documentsWithAddress(app, 1);
    const address = app.services.exporter.load(id ?? 0).partner.email;
    new DocumentSends(app.services.db, () => app.services.outboxRepository, petr).recordHandoff(
      id ?? 0,
      'outlook',
      address.toUpperCase(),
      Date.now(),
    );
    const asked = await app.services.batches.begin(request([id ?? 0], app.exportDir));
    expect(asked.batchId).toBeNull();
    expect(asked.earlier.map((copy) => [copy.route, copy.status, copy.queuedByUser, copy.queuedByDesk])).toEqual([
      ['outlook', 'sent', petr.user, petr.desk],
    ]);
    expect(smtp.received).toHaveLength(0);
  });

  test('two starts of the same documents at once: one batch, the other is asked', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana, postgres: await store.database() });
    const ids = documentsWithAddress(app, 3);
    // Two desks, each exporting into its own folder (two writers of the same file name in one folder
    // collide in writeNewFile, which is not what this test is about).
    const outcomes = await Promise.all([
      app.services.batches.begin(request(ids, await tempDir('kurier-desk-a-'))),
      app.services.batches.begin(request(ids, await tempDir('kurier-desk-b-'))),
    ]);
    const started = outcomes.filter((outcome) => outcome.batchId !== null);
    expect(started).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.batchId === null);
    expect(refused?.earlier.map((copy) => copy.documentId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    await settle(app, started[0]?.batchId ?? 0);
    expect(smtp.received).toHaveLength(3);
  });

  test('a copy outside the preference’s days is not asked about; one still queued always is', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app, advance } = await outboxApp(smtp, smtpServers.certificate, { identity: jana, postgres: await store.database() });
    const ids = documentsWithAddress(app, 1);
    const first = await app.services.batches.start(request(ids, app.exportDir));
    await settle(app, first.batchId);
    advance(31 * 24 * 60 * 60_000);
    const again = await app.services.batches.begin(request(ids, app.exportDir));
    expect(again.earlier).toEqual([]);
    expect(again.batchId).not.toBeNull();
  });

  test.skipIf(store.name !== 'PostgreSQL')(
    'two desks on one office database start the same payslips at once: queued once, the other desk is asked',
    { timeout: 90_000 },
    async () => {
      const smtp = await smtpServers.start();
      const postgres = await store.database();
      const atJana = await outboxApp(smtp, smtpServers.certificate, { identity: jana, postgres });
      const atPetr = await outboxApp(smtp, smtpServers.certificate, { identity: petr, postgres });
      const ids = documentsWithAddress(atJana.app, 3);
      // The same documents at both desks (each its own file): known in the office by their numbers.
      const numbers = ids.map((id) => atJana.app.services.documents.getDocument(id)?.number);
      expect(ids.map((id) => atPetr.app.services.documents.getDocument(id)?.number)).toEqual(numbers);
      const outcomes = await Promise.all([
        atJana.app.services.batches.begin(request(ids, atJana.app.exportDir)),
        atPetr.app.services.batches.begin(request(ids, atPetr.app.exportDir)),
      ]);
      const started = outcomes.filter((outcome) => outcome.batchId !== null);
      expect(started).toHaveLength(1);
      const startedAt = outcomes[0].batchId !== null ? jana : petr;
      const refused = outcomes.find((outcome) => outcome.batchId === null);
      expect(refused?.earlier.map((copy) => [copy.documentNumber, copy.queuedByUser, copy.queuedByDesk])).toEqual(
        [...numbers].sort().map((number) => [number, startedAt.user, startedAt.desk]),
      );
      const starter = startedAt === jana ? atJana : atPetr;
      await settle(starter.app, started[0]?.batchId ?? 0);
      // Both desks deliver from the office database, yet each document went out once.
      expect(smtp.received).toHaveLength(3);
      expect([...deliveries(smtp).values()].every((count) => count === 1)).toBe(true);
      // The other desk, asked again, still says who sent them.
      const other = startedAt === jana ? atPetr : atJana;
      const again = await other.app.services.batches.begin(request(ids, other.app.exportDir));
      expect(again.batchId).toBeNull();
      expect(again.earlier.map((copy) => copy.status)).toEqual(['sent', 'sent', 'sent']);
    },
  );
});
