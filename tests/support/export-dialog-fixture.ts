/**
 * The export dialog in Chromium through the web shell, its SMTP account on a fault-injecting server
 * (every message it accepts is captured), "Send a copy" on by default as in the offices that reported
 * the defects, and the outbox tuned for tests. Helpers open a document's dialog and read the outbox.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { AppServicesOptions } from '../../electron/services/app-services';
import type { OutboxMessageView } from '../../shared/outbox';
import type { UserPrefs } from '../../shared/prefs';
import { createAppFixture, type AppFixture } from './app-fixture';
import { launchTestBrowser, openTab, type TestBrowserOptions } from './browser';
import type { FaultySmtpServer, FaultyServers } from './faulty-smtp-server';
import { testSmtpAccount } from './smtp-test-server';
import { startTestWebShell } from './web-shell-fixture';

/** A running dialog test. */
export interface ExportDialogApp {
  readonly app: AppFixture;
  readonly context: BrowserContext;
  readonly documents: Page;
  /** Opens the export dialog of the document numbered `number` from the documents window. */
  openExport(number: string): Promise<Page>;
  /** The user preferences the fixture saved (to change one section and save again). */
  readonly userPrefs: (port: number) => UserPrefs;
  /** Every outbox row of the document, newest first. */
  outboxRows(documentNumber: string): OutboxMessageView[];
}

/** Starts the app on `server` (password in the keychain), the web shell and a browser. */
export async function startExportDialogApp(
  server: FaultySmtpServer,
  servers: FaultyServers,
  options: {
    readonly outbox?: AppServicesOptions['outbox'];
    readonly officeEmail?: string;
    readonly colorScheme?: 'light' | 'dark';
    /** The browser context's options (viewport, scaling, CSP bypass for reading a PDF tab). */
    readonly browser?: TestBrowserOptions;
  } = {},
): Promise<ExportDialogApp> {
  const app = await createAppFixture({
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    outbox: {
      connections: 1,
      retry: { baseMs: 40, maxMs: 400, maxAttempts: 8 },
      pacer: { cooldownMs: 100, maxCooldownMs: 800, recoveryMs: 2_000 },
      watchdogMs: 10_000,
      ...options.outbox,
    },
  });
  const userPrefs = (port: number): UserPrefs => ({
    exportFolder: '',
    globalPrefsFolder: '',
    overrides: {
      smtp: testSmtpAccount({ senderName: 'Účetní kancelář Bílá', port, trustedCertificate: servers.certificate.cert }),
      bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 },
      sending: { route: 'smtp', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'display' },
    },
  });
  await app.services.prefs.updateUser(userPrefs(server.port), { action: 'set', value: 'správné-heslo' });
  if (options.officeEmail !== undefined)
    await app.services.prefs.updateGlobal({ personalEmail: options.officeEmail }, { action: 'keep' });
  const shell = await startTestWebShell(app);
  const { context } = await launchTestBrowser({
    ...options.browser,
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  });
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('heading', { name: 'Documents' }).waitFor();
  return {
    app,
    context,
    documents,
    userPrefs,
    async openExport(number) {
      const dialog = await openTab(context, () =>
        documents.getByRole('button', { name: `Export… ${number}`, exact: true }).click(),
      );
      await dialog.getByRole('heading', { name: `Export ${number}` }).waitFor();
      return dialog;
    },
    outboxRows: (documentNumber) =>
      app.services.outbox
        .history({ status: 'all', text: '', batchId: null, limit: 1000 })
        .filter((row) => row.documentNumber === documentNumber),
  };
}

/** The number of the first document of the partner named `partnerName` of the given kind. */
export function documentOf(app: AppFixture, partnerName: string, kind = 'invoice'): string {
  const found = app.services.documents.listDocuments().find((doc) => doc.partnerName === partnerName && doc.kind === kind);
  if (!found) throw new Error(`the demo data has no ${kind} for ${partnerName}`);
  return found.number;
}
