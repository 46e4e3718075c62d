/**
 * An app fixture whose SMTP account points at a fault-injecting server, with the outbox tuned for tests
 * (retries in tens of milliseconds, a controllable clock), and helpers to start a batch and wait for it.
 */
import { expect } from 'vitest';
import { newMessageId } from '../../electron/services/mail/composed-mail';
import type { NewMessage } from '../../electron/services/outbox/outbox-store';
import { officeDocuments } from '../../electron/services/outbox/office-documents';
import type { MessageStatus } from '../../shared/outbox';
import { createAppFixture, type AppFixture } from './app-fixture';
import type { TestCertificate } from './certificates';
import type { FaultySmtpServer } from './faulty-smtp-server';
import { officeOutbox } from './office-outbox';
import { testSmtpAccount } from './smtp-test-server';

/** A test app with a movable clock. */
export interface OutboxApp {
  readonly app: AppFixture;
  /** Moves the outbox's clock on (a quota pause ends without waiting a day). */
  readonly advance: (ms: number) => void;
}

/** Creates the app with its SMTP account on `server`, the password in the keychain. */
export async function outboxApp(
  server: FaultySmtpServer,
  certificate: TestCertificate,
  options: {
    connections?: number;
    perMinute?: number;
    perDay?: number;
    watchdogMs?: number;
    dataDir?: string;
    retryBaseMs?: number;
    /** No pace at all (the outbox's own ceiling lifted, as the benchmark runs it): each next message follows at once. */
    unpaced?: boolean;
    /** Who sits at this Kurier (user and desk); the OS's by default. */
    identity?: { user: string; desk: string };
    /** The office PostgreSQL to deliver from (a connection string); this desk's SQLite when null or absent. */
    postgres?: string | null;
    /** The office preferences folder and keychain of an earlier fixture (its saved database choice). */
    machinePrefsDir?: string;
    secrets?: AppFixture['secrets'];
  } = {},
): Promise<OutboxApp> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const late: { app?: AppFixture } = {};
  const repository = options.postgres
    ? await officeOutbox(options.postgres, options.identity?.desk ?? 'desk-test', {
        ...(options.identity ? { user: options.identity.user } : {}),
        ...officeDocuments(() => late.app?.services.documents),
        handoffs: (targets, since) => late.app?.services.sends.handoffsSince(targets, since) ?? [],
      })
    : undefined;
  const app = await createAppFixture({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.machinePrefsDir ? { machinePrefsDir: options.machinePrefsDir } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    // KURIER_TEST_LOG=1 prints the outbox's log lines, to see why a batch is where it is.
    ...(process.env.KURIER_TEST_LOG === '1'
      ? {
          logSink: (line: unknown) => {
            process.stderr.write(`${JSON.stringify(line)}\n`);
          },
        }
      : {}),
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    outbox: {
      connections: options.connections ?? 1,
      retry: { baseMs: options.retryBaseMs ?? 40, maxMs: Math.max(400, options.retryBaseMs ?? 0), maxAttempts: 8 },
      pacer: { cooldownMs: 100, maxCooldownMs: 800, recoveryMs: 2_000 },
      watchdogMs: options.watchdogMs ?? 10_000,
      now,
      ...(options.unpaced === true ? { perMinute: Infinity } : {}),
      ...(repository ? { repository } : {}),
    },
  });
  late.app = app;
  const account = testSmtpAccount({
    senderName: 'Účetní kancelář Bílá',
    port: server.port,
    trustedCertificate: certificate.cert,
  });
  await app.services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: {
        smtp: account,
        bulk: { messagesPerMinute: options.perMinute ?? 600, messagesPerDay: options.perDay ?? 100_000 },
      },
    },
    { action: 'set', value: 'správné-heslo' },
  );
  return {
    app,
    advance: (ms) => {
      offset += ms;
      app.services.worker.wake();
    },
  };
}

/** `count` small messages (no attachment), each to its own recipient. */
export function plainMessages(count: number, now: number): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    documentId: null,
    recipient: `klient${String(i + 1)}@example.test`,
    recipientName: `Klient ${String(i + 1)} s.r.o.`,
    cc: '',
    bcc: '',
    subject: `Faktura 2026-${String(i + 1).padStart(4, '0')}`,
    language: 'cs' as const,
    body: `Dobrý den,\n\nzasíláme fakturu č. 2026-${String(i + 1).padStart(4, '0')}.\n`,
    attachmentPath: '',
    attachmentName: '',
    attachmentSize: 0,
    messageId: newMessageId('ucetni@kancelar.example'),
    notBefore: now,
  }));
}

/** Documents of the demo company whose partner has an e-mail address, `count` of them. */
export function documentsWithAddress(app: AppFixture, count: number): number[] {
  const ids = app.services.documents
    .listDocuments()
    .filter((doc) => app.services.exporter.load(doc.id).partner.email !== '')
    .map((doc) => doc.id)
    .slice(0, count);
  expect(ids).toHaveLength(count);
  return ids;
}

/** Starts a batch sending each document to its partner. */
export async function startBatch(app: AppFixture, documentIds: readonly number[]): Promise<number> {
  const { batchId } = await app.services.batches.start({
    documentIds,
    target: { kind: 'partner' },
    folder: app.exportDir,
    testToMe: false,
    spreadOverDays: false,
  });
  return batchId;
}

/** Waits until `condition` holds (polling), or fails with what was last seen. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: () => unknown,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; last seen: ${JSON.stringify(await what())}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the batch is done, stopped or paused (no message is queued or being sent). */
export async function settle(app: AppFixture, batchId: number, timeoutMs?: number): Promise<void> {
  await waitUntil(
    async () => {
      const batch = await app.services.outboxRepository.batch(batchId);
      const counts = await app.services.outboxRepository.counts(batchId);
      return batch !== undefined && batch.status !== 'running' && counts.sending === 0;
    },
    async () => ({
      batch: await app.services.outboxRepository.batch(batchId),
      counts: await app.services.outboxRepository.counts(batchId),
    }),
    timeoutMs,
  );
}

/** Message-ID → status of every row of the batch (this desk's SQLite outbox). */
export function statuses(app: AppFixture, batchId: number): Map<string, MessageStatus> {
  return new Map(
    app.services.outbox.history({ status: 'all', text: '', batchId, limit: 10_000 }).map((row) => [row.messageId, row.status]),
  );
}

/** Message-ID → status of every row of the batch, in the outbox the worker delivers from (SQLite or PostgreSQL). */
export async function statusesOf(app: AppFixture, batchId: number): Promise<Map<string, MessageStatus>> {
  const rows = await app.services.batches.history({ status: 'all', text: '', batchId, limit: 10_000 });
  return new Map(rows.map((row) => [row.messageId, row.status]));
}

/** How many times the server received each Message-ID. */
export function deliveries(smtp: FaultySmtpServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of smtp.received) counts.set(message.messageId, (counts.get(message.messageId) ?? 0) + 1);
  return counts;
}

/** Every row sent exactly once; nothing received that the outbox does not know. */
export function expectExactlyOnce(rows: Map<string, string>, smtp: FaultySmtpServer): void {
  const received = deliveries(smtp);
  for (const [messageId, status] of rows) {
    if (status === 'sent') expect(received.get(messageId), `${messageId} (${status})`).toBe(1);
  }
  for (const messageId of received.keys()) expect(rows.has(messageId), `unknown message ${messageId}`).toBe(true);
  expect([...received.values()].every((count) => count === 1)).toBe(true);
}
