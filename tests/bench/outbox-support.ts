/**
 * Shared by the outbox benchmarks and their child process (no vitest imports here): one ~60 KB PDF-like
 * attachment written once, an app whose SMTP account points at a server on 127.0.0.1, a batch of N
 * messages queued straight into the outbox (OutboxStore.createBatch — no PDF is rendered per message,
 * every row points at the same file), and a wait for the batch to finish driven by the worker's own
 * progress events (no polling on the timed path).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchProgress, OutboxCounts } from '../../shared/outbox';
import type { SmtpAccount } from '../../shared/prefs';
import { createAppServices, type AppServices, type AppServicesOptions } from '../../electron/services/app-services';
import { nullSink } from '../../electron/services/logging/logger';
import { newMessageId } from '../../electron/services/mail/composed-mail';
import type { NewMessage } from '../../electron/services/outbox/outbox-store';
import { MemorySecretStore } from '../support/memory-secret-store';

/** The repository's font folder (only the exporter uses it; nothing is rendered here). */
const fontDir = path.resolve(import.meta.dirname, '..', '..', 'build', 'fonts');

/** Size of the attachment: the demo PDFs are 20–60 KB, this is the large end. */
export const attachmentBytes = 60 * 1024;

/** A file that starts like a PDF and is random after that (base64 of it is as large as of a real PDF). */
export function writeAttachment(dir: string): string {
  const file = path.join(dir, 'Faktura-2026-0001.pdf');
  const header = Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1');
  writeFileSync(file, Buffer.concat([header, randomBytes(attachmentBytes - header.length)]));
  return file;
}

/** The sender the benchmarks use; its domain is no known provider, so no provider limit applies. */
export const benchSender = { name: 'Účetní kancelář Bílá', address: 'ucetni@kancelar.example' } as const;

/** An account on 127.0.0.1:`port`: plain SMTP without login (smtp-sink), or STARTTLS with a login. */
export function benchAccount(
  port: number,
  secure?: { readonly username: string; readonly trustedCertificate: string },
): SmtpAccount {
  return {
    senderName: benchSender.name,
    senderAddress: benchSender.address,
    replyTo: '',
    bccSelf: false,
    host: '127.0.0.1',
    port,
    security: secure ? 'starttls' : 'none',
    cipherStrength: 'default',
    auth: 'password',
    username: secure?.username ?? '',
    trustedCertificate: secure?.trustedCertificate ?? '',
  };
}

/** `count` messages, each to its own recipient, all attaching `attachment`. */
export function benchMessages(count: number, attachment: string, now: number): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    documentId: null,
    recipient: `klient${String(i + 1)}@example.test`,
    recipientName: `Klient ${String(i + 1)} s.r.o.`,
    cc: '',
    bcc: '',
    subject: `Faktura 2026-${String(i + 1).padStart(5, '0')}`,
    language: 'cs' as const,
    body: `Dobrý den,\n\nv příloze zasíláme fakturu č. 2026-${String(i + 1).padStart(5, '0')}.\n\nS pozdravem\nÚčetní kancelář Bílá\n`,
    attachmentPath: attachment,
    attachmentName: 'Faktura-2026-0001.pdf',
    attachmentSize: attachmentBytes,
    messageId: newMessageId(benchSender.address),
    notBefore: now,
  }));
}

/** A Kurier app for one benchmark run, on its own temporary folders. */
export interface BenchApp {
  readonly services: AppServices;
  /** Queues `count` messages as one batch (the worker is woken) and returns its id. */
  queue(count: number, attachment: string): number;
  /** Resolves with the final counts when the batch is done; rejects when it stops, or after `timeoutMs`. */
  finished(batchId: number, timeoutMs: number): Promise<OutboxCounts>;
  /** Calls `listener` with every progress event of the outbox (cheap: the worker emits them anyway). */
  onProgress(listener: (progress: BatchProgress) => void): void;
  /** Stops the worker, closes the database and removes the folders. */
  close(): Promise<void>;
}

/** Opens the services with the outbox tuned by `outbox`, the account set, the worker running. */
export async function openBenchApp(options: {
  readonly account: SmtpAccount;
  readonly password?: string;
  readonly outbox: NonNullable<AppServicesOptions['outbox']>;
}): Promise<BenchApp> {
  const root = mkdtempSync(path.join(tmpdir(), 'kurier-bench-app-'));
  const listeners: ((progress: BatchProgress) => void)[] = [];
  const services = createAppServices({
    dataDir: path.join(root, 'data'),
    fontDir,
    defaultExportFolder: path.join(root, 'export'),
    secrets: new MemorySecretStore(),
    logSink: nullSink,
    machinePrefsDir: path.join(root, 'machine'),
    env: {},
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 30_000 },
    outbox: options.outbox,
    emit: (event, payload) => {
      if (event !== 'outbox:progressed') return;
      for (const listener of listeners) listener(payload as BatchProgress);
    },
  });
  await services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      // The preferences' own maxima; the benchmark's outbox.perMinute/perDay override them where given.
      overrides: { smtp: options.account, bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 } },
    },
    options.password !== undefined ? { action: 'set', value: options.password } : { action: 'keep' },
  );
  return {
    services,
    queue: (count, attachment) => {
      const now = Date.now();
      const batchId = services.outbox.createBatch(
        { kind: 'send', accountScope: 'user', now },
        benchMessages(count, attachment, now),
      );
      services.worker.wake();
      return batchId;
    },
    finished: (batchId, timeoutMs) =>
      new Promise<OutboxCounts>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `batch ${String(batchId)} not done after ${String(timeoutMs)} ms: ${JSON.stringify(services.outbox.counts(batchId))}`,
            ),
          );
        }, timeoutMs);
        listeners.push((progress) => {
          if (progress.batchId !== batchId) return;
          if (progress.status === 'done') {
            clearTimeout(timer);
            resolve(progress.counts);
          } else if (progress.status === 'stopped' || progress.status === 'cancelled') {
            clearTimeout(timer);
            reject(new Error(`batch ${String(batchId)} ${progress.status}: ${JSON.stringify(progress)}`));
          }
        });
      }),
    onProgress: (listener) => {
      listeners.push(listener);
    },
    close: async () => {
      await services.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
