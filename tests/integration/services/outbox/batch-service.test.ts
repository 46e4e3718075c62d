/**
 * The dry run and the choices made before a batch starts, against a real SMTP server (for its SIZE):
 * documents without a usable address are listed (never skipped silently), the daily cap is checked,
 * spreading schedules the rest for the next days, "to me first" sends everything to the user, and the
 * history exports as CSV that Czech and Polish Excel opens, filtered by client company and naming it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { outboxApp, settle } from '../../../support/outbox-fixture';

const smtpServers = faultyServers();

const server = (sizeLimit: number) => smtpServers.start({ sizeLimit });

const day = 24 * 60 * 60_000;

describe.skipIf(!keyringAvailable)('before a batch starts', () => {
  it('lists every recipient and every document without a usable address, with size, duration and the daily cap', async () => {
    const smtp = await server(25 * 1024 * 1024);
    const { app } = await outboxApp(smtp, smtpServers.certificate, { perMinute: 20, perDay: 10 });
    const all = app.services.documents.listDocuments().map((doc) => doc.id);
    const logins = smtp.stats().authAttempts;

    const dryRun = await app.services.batches.dryRun(all, { kind: 'partner' });

    const missing = dryRun.items.filter((item) => item.problem !== 'ok');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((item) => item.problem === 'noAddress' && item.recipient === '')).toBe(true);
    expect(dryRun.sendable).toBe(all.length - missing.length);
    expect(dryRun.items.filter((item) => item.problem === 'ok').every((item) => item.recipient.endsWith('.example'))).toBe(true);
    expect(dryRun).toMatchObject({
      sizeLimitBytes: 25 * 1024 * 1024,
      oversized: [],
      perMinute: 20,
      dailyCap: 10,
      overDailyCap: true,
      serverCheck: null,
    });
    expect(dryRun.daysNeeded).toBe(Math.ceil(dryRun.sendable / 10));
    expect(dryRun.projectedMs).toBe(Math.round(((dryRun.sendable - 1) / 20) * 60_000));
    // The dry run asks the server for its SIZE without logging in.
    expect(smtp.stats().authAttempts).toBe(logins);
  });

  it('flags messages larger than the server takes', async () => {
    const smtp = await server(50_000);
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const [first = 0] = app.services.documents.listDocuments().map((doc) => doc.id);
    const dryRun = await app.services.batches.dryRun([first], { kind: 'partner' });
    expect(dryRun.oversized).toEqual([first]);
  });

  it('spreads a batch over the days the cap needs, and sends "to me first" only to me', async () => {
    const smtp = await server(25 * 1024 * 1024);
    const { app } = await outboxApp(smtp, smtpServers.certificate, { perDay: 3 });
    await app.services.prefs.updateUser(
      {
        ...app.services.prefs.userPrefs(),
        overrides: { ...app.services.prefs.userPrefs().overrides, personalEmail: 'ja@kancelar.example' },
      },
      { action: 'keep' },
    );
    const ids = app.services.documents
      .listDocuments()
      .filter((doc) => app.services.exporter.load(doc.id).partner.email !== '')
      .slice(0, 7)
      .map((doc) => doc.id);

    const spread = await app.services.batches.start({
      documentIds: ids,
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: true,
      spreadOverDays: true,
    });
    const rows = await app.services.batches.history({ status: 'all', text: '', batchId: spread.batchId, limit: 100 });
    const days = rows.map((row) =>
      Math.round(
        ((app.services.outbox.message(row.id)?.notBefore ?? 0) -
          Math.min(...rows.map((r) => app.services.outbox.message(r.id)?.notBefore ?? 0))) /
          day,
      ),
    );
    expect(days.sort()).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(new Set(rows.map((row) => row.recipient))).toEqual(new Set(['ja@kancelar.example']));
    expect(app.services.outbox.batch(spread.batchId)?.kind).toBe('testToMe');

    await settle(app, spread.batchId);
    // Today's three went out; the rest waits for its day (the daily cap holds too).
    expect(smtp.received.map((message) => message.envelopeTo)).toEqual([
      ['ja@kancelar.example'],
      ['ja@kancelar.example'],
      ['ja@kancelar.example'],
    ]);
  });

  it('refuses a batch in which nothing has an address, saying why', async () => {
    const smtp = await server(25 * 1024 * 1024);
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const orphan = app.services.documents.listDocuments().find((doc) => app.services.exporter.load(doc.id).partner.email === '');
    await expect(
      app.services.batches.start({
        documentIds: [orphan?.id ?? 0],
        target: { kind: 'partner' },
        folder: app.exportDir,
        testToMe: false,
        spreadOverDays: false,
      }),
    ).rejects.toMatchObject({ code: 'outbox.nothingToSend' });
  });

  it('exports the history as CSV with a BOM and semicolons, cells that look like formulas defused', async () => {
    const smtp = await server(25 * 1024 * 1024);
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const [id = 0] = app.services.documents
      .listDocuments()
      .filter((doc) => app.services.exporter.load(doc.id).partner.email !== '')
      .map((doc) => doc.id);
    await app.services.sender.run({
      documentId: id,
      format: 'pdf',
      folder: app.exportDir,
      copy: {
        to: 'jana@firma.example',
        subject: '=HYPERLINK("http://evil.example";"klikni"); faktura',
        body: 'Dobrý den',
        cc: '',
        bcc: '',
        route: 'smtp',
      },
      smtpPassword: null,
    });
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
    const file = await app.services.batches.exportCsv({ status: 'all', text: '', batchId: null, limit: 100 }, app.exportDir, {
      header,
      status: { sent: 'odesláno' },
    });
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFFČas;Doklad;Jméno;')).toBe(true);
    const [, line = ''] = text.split('\r\n');
    expect(line).toContain(';jana@firma.example;"\'=HYPERLINK(""http://evil.example"";""klikni""); faktura";smtp;odesláno;1;');
  });

  it('filters the history and its CSV by client company, and names the company in each row', async () => {
    const smtp = await server(25 * 1024 * 1024);
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const withAddress = app.services.documents
      .listDocuments()
      .filter((doc) => app.services.exporter.load(doc.id).partner.email !== '');
    const companies = [...new Map(withAddress.map((doc) => [doc.companyId, doc.companyName])).entries()];
    // The demo data is two client companies, a Czech and a Polish one, each with documents to send.
    expect(companies).toHaveLength(2);
    const [[first, firstName] = [0, ''], [second, secondName] = [0, '']] = companies;
    const chosen = [
      ...withAddress.filter((doc) => doc.companyId === first).slice(0, 2),
      ...withAddress.filter((doc) => doc.companyId === second).slice(0, 2),
    ];
    const batch = await app.services.batches.start({
      documentIds: chosen.map((doc) => doc.id),
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });
    await settle(app, batch.batchId);

    const everything = await app.services.batches.history({ status: 'all', text: '', batchId: null, limit: 100 });
    expect(everything.map((row) => row.companyName).sort()).toEqual([firstName, firstName, secondName, secondName].sort());
    const onlySecond = await app.services.batches.history({
      status: 'all',
      text: '',
      batchId: null,
      companyId: second,
      limit: 100,
    });
    expect(onlySecond.map((row) => row.documentNumber).sort()).toEqual(
      chosen
        .filter((doc) => doc.companyId === second)
        .map((doc) => doc.number)
        .sort(),
    );
    expect(new Set(onlySecond.map((row) => [row.companyId, row.companyName].join(' ')))).toEqual(
      new Set([`${String(second)} ${secondName}`]),
    );

    const header = ['Čas', 'Doklad', 'Firma', 'Jméno', 'Příjemce', 'Předmět', 'Cesta', 'Stav', 'Pokusy', 'Chyba'];
    const file = await app.services.batches.exportCsv(
      { status: 'all', text: '', batchId: null, companyId: first, limit: 100 },
      app.exportDir,
      { header, status: { sent: 'odesláno' } },
    );
    const [head, ...lines] = (await readFile(file, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(head).toBe(header.join(';'));
    const firstNumbers = chosen.filter((doc) => doc.companyId === first).map((doc) => doc.number);
    // Document and company side by side; the company's name is quoted only if it needs it (it has no ';').
    expect(lines.map((line) => line.split(';').slice(1, 3)).sort()).toEqual(
      firstNumbers.map((number) => [number, firstName]).sort(),
    );
  });
});
