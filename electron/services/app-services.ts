/**
 * Builds every service from plain collaborators. Both composition roots (Electron's main.ts and the web
 * shell) call this, and so do integration tests: the same wiring runs everywhere.
 */
import { Resolver } from 'node:dns/promises';
import { mkdirSync } from 'node:fs';
import { availableParallelism, homedir, hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { EventName, PayloadOf } from '../../shared/contract';
import type { Language } from '../../shared/domain';
import { createTranslator } from '../../shared/i18n';
import type { SmtpDetection } from '../../shared/diagnostics';
import type { OfficeGroup } from '../../shared/office-review';
import { companyKeyOf, type AccountScope } from '../../shared/prefs';
import { detectSmtpSettings, type FetchLike, type ProbeTarget } from './autoconfig/detect-smtp';
import { openDatabase } from './data/database';
import { databasePasswordKey, OfficeDatabase, type OfficeDatabaseState } from './data/office-database';
import { seedDemoCompany } from './documents/demo-seed';
import { DocumentRepository } from './documents/document-repository';
import { ImportDesk } from './imports/import-desk';
import { ImportService } from './imports/import-service';
import { PartnerDesk } from './imports/partner-desk';
import { PayrollDesk } from './imports/payroll-desk';
import { ExportService, type ExportStage } from './export/export-service';
import { createLogger, type LogSink, type Logger } from './logging/logger';
import { ConnectionCheckService } from './mail/connection-check';
import type { HostResolver } from './mail/connection-test';
import type { SmtpTimeouts } from './mail/smtp-transport-options';
import { DocumentSends } from './outbox/document-sends';
import { PdfPreview } from './export/pdf-preview';
import { OutboxStore, type SenderIdentity } from './outbox/outbox-store';
import type { OutboxRepository } from './outbox/outbox-repository';
import { SqliteOutboxRepository } from './outbox/sqlite-outbox-repository';
import { officeDocuments } from './outbox/office-documents';
import { PgOutboxRepository } from './outbox/pg-outbox-repository';
import { OfficeDatabaseSettings, runningView } from './outbox/office-database-settings';
import { OutboxSwitch } from './outbox/outbox-switch';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox/outbox-worker';
import { Notifier } from './notifications/notifier';
import { HandoffService, type HandoffServiceOptions } from './handoff/handoff-service';
import type { MapiHelperRunner } from './handoff/mapi-runner';
import { nodeProgramProbe, type ProgramProbe } from './handoff/program-probe';
import { OAuthService, type OAuthServiceOptions } from './oauth/oauth-service';
import { SmtpLogins } from './mail/smtp-logins';
import { BatchService } from './sending/batch-service';
import { DocumentSender } from './sending/document-sender';
import { companyMessageLimit, ExtraAttachments } from './sending/extra-attachments';
import { UploadStore } from './files/upload-store';
import { HandoffCopy } from './sending/handoff-copy';
import { PartnerRecipients } from './sending/partner-recipients';
import { SendingAccounts } from './sending/sending-accounts';
import { SmtpCopy } from './sending/smtp-copy';
import { ImportSettingsRepository } from './imports/import-settings';
import { inboxDocuments } from './imports/inbox-documents';
import { InboxLedger } from './imports/inbox-ledger';
import { InboxService } from './imports/inbox-service';
import { PayslipPasswords } from './payslips/payslip-passwords';
import { InThreadRenderer } from './export/document-renderer';
import { RenderPool } from './export/render-pool';
import { KsefNumbers } from './imports/ksef-numbers';
import { AccountStateStore } from './prefs/account-state-store';
import { createWindowsOfficeFolder } from './prefs/office-permissions';
import type { OfficeStart } from './prefs/office-file';
import { PreferencesService } from './prefs/preferences-service';
import { systemRoot } from './data/windows-env';
import type { SecretStore } from './secrets/secret-store';

/** What the services need from the outside world. */
export interface AppServicesOptions {
  /** The user data directory: database, preferences, logs. */
  readonly dataDir: string;
  readonly fontDir: string;
  /**
   * The built render worker (`render-worker.js` beside main.js): PDFs are then rendered on one worker
   * thread per core. Without it (tests, the command line) they are rendered on the calling thread.
   */
  readonly renderWorkerUrl?: URL;
  readonly defaultExportFolder: string;
  readonly secrets: SecretStore;
  readonly logSink: LogSink;
  readonly clock?: () => Date;
  readonly smtpTimeouts?: SmtpTimeouts;
  /** The machine-wide folder of the global preferences (see prefs-files.ts); tests pass a temporary one. */
  readonly machinePrefsDir: string;
  /**
   * The office preferences file as read at start-up within a deadline ({@link readOfficeAtStart}): a
   * share that hangs then cannot freeze the start. Without it (tests) it is read synchronously.
   */
  readonly officeStart?: OfficeStart;
  /** The environment (for KURIER_GLOBAL_PREFS_DIR); process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where detection and diagnostics reach the network; tests point these at servers on 127.0.0.1. */
  readonly network?: NetworkOptions;
  /** The operating system's language: notifications use it when the user's language is "system". */
  readonly systemLanguage?: Language;
  /** Outbox tuning; tests shorten the waits, the benchmark lifts the limits. */
  readonly outbox?: Pick<
    OutboxWorkerOptions,
    'retry' | 'pacer' | 'watchdogMs' | 'quotaPauseMs' | 'now' | 'random' | 'rateWindowMs'
  > & {
    readonly connections?: number;
    /**
     * The outbox to deliver from instead of this desk's SQLite file: the office PostgreSQL
     * (outbox/pg-outbox-repository.ts). Tests and benchmarks pass it; otherwise the office preferences'
     * `database` chooses.
     */
    readonly repository?: OutboxRepository;
    /**
     * Test-only: messages per minute / per day instead of the user's bulk preferences (schema max
     * 600/min); Infinity for none. The benchmarks use this to measure the outbox unthrottled.
     */
    readonly perMinute?: number;
    readonly perDay?: number;
    /** How long the export dialog waits for its copy before saying it stays queued (tests shorten it). */
    readonly copyWaitMs?: number;
    /** Leave the worker stopped (a test drives it itself). */
    readonly manualStart?: boolean;
  };
  /** The user's documents folder (hand-off copies go to Documents/Kurier/Outbox); ~/Documents by default. */
  readonly documentsDir?: string;
  /** The user's downloads folder (a Flatpak Thunderbird's hand-off copies go there); ~/Downloads by default. */
  readonly downloadsDir?: string;
  /** Hand-off tuning: the environment and Thunderbird profile the mail programs get (tests run a private one). */
  readonly handoff?: {
    readonly launchEnv?: NodeJS.ProcessEnv;
    readonly thunderbirdProfile?: string;
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** How the routes look at the computer (a test gives a computer without mail programs). */
    readonly probe?: ProgramProbe;
    /** Windows' default mail client through Simple MAPI: the helper process, started by the shell. */
    readonly mapiRunner?: MapiHelperRunner;
    /** The system the routes are for, and how programs start: a test plays Windows on Linux. */
    readonly platform?: NodeJS.Platform;
    readonly launch?: HandoffServiceOptions['launch'];
  };
  /** Sign-in tuning; tests shorten the wait for the browser and control the clock. */
  readonly oauth?: {
    readonly fetch?: typeof fetch;
    readonly now?: () => number;
    readonly signInTimeoutMs?: number;
    /** Test-only: local identity servers instead of Microsoft's and Google's fixed endpoints. */
    readonly endpoints?: OAuthServiceOptions['endpoints'];
  };
  /**
   * Who sits at this Kurier, recorded on every message it queues or delivers: the OS user name and
   * the computer's host name by default; tests play several people at several desks.
   */
  readonly identity?: SenderIdentity;
  /** Receives events for the windows. */
  readonly emit: <E extends EventName>(event: E, payload: PayloadOf<E>) => void;
}

/** Network collaborators of detection and the connection test; each defaults to the system's. */
export interface NetworkOptions {
  /** DNS servers for SRV, MX and TXT questions (`127.0.0.1:5353`); the system's by default. */
  readonly dnsServers?: readonly string[];
  readonly fetch?: FetchLike;
  readonly probeTarget?: ProbeTarget;
  /** Extra PEM authorities the detection probe trusts (a test CA). */
  readonly trustedCertificates?: readonly string[];
  readonly resolveHost?: HostResolver;
  /** Limit of each detection step (one URL, one DNS query, one probe). */
  readonly stepTimeoutMs?: number;
}

/** The running services. */
export interface AppServices {
  readonly logger: Logger;
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  /** Renders and saves documents. */
  readonly exporter: ExportService;
  /** Sends a document: the export dialog's prepare, export and copy, its hand-off fallback. */
  readonly sender: DocumentSender;
  /** Files the user adds to a copy in the export dialog (checked in main, known to windows by id). */
  readonly attachments: ExtraAttachments;
  /** Files pages hand over in parts (drag and drop, the browser's picker), until an import or a copy takes them. */
  readonly uploads: UploadStore;
  /** Copies of each document: the outbox's and the hand-offs to mail programs. */
  readonly sends: DocumentSends;
  /** The PDFs "Open PDF" shows (in the data folder, never the export folder). */
  readonly preview: PdfPreview;
  readonly connectionCheck: ConnectionCheckService;
  /** The SQLite outbox of this desk (its file; the office database, when chosen, is `outboxRepository`). */
  readonly outbox: OutboxStore;
  /** The outbox the worker delivers from: this desk's SQLite (the default) or the office PostgreSQL. */
  readonly outboxRepository: OutboxRepository;
  readonly worker: OutboxWorker;
  /** Where the outbox in use is (as the office preferences choose it, applied live), and whether it answers. */
  officeDatabase(): OfficeDatabaseState;
  /** The office preferences' "Database" section: save, test, move. */
  readonly databaseSettings: OfficeDatabaseSettings;
  readonly batches: BatchService;
  readonly payslips: PayslipPasswords;
  /** Per-company import settings (watched folder, auto-send kinds, payroll rule). */
  readonly importSettings: ImportSettingsRepository;
  /** The companies' watched folders (started with the app unless `outbox.manualStart`). */
  readonly inbox: InboxService;
  readonly notifier: Notifier;
  /** Imports of ISDOC and KSeF files (issue 15). */
  readonly imports: ImportService;
  /** The import button's sorting of chosen files, and the partner CSV and payroll previews. */
  readonly importDesk: ImportDesk;
  readonly partnerDesk: PartnerDesk;
  readonly payrollDesk: PayrollDesk;
  readonly oauth: OAuthService;
  /** KSeF numbers of Polish invoices still without one (typed, or read from a UPO). */
  readonly ksefNumbers: KsefNumbers;
  /** Where the DejaVu fonts are (PDFs the services write). */
  readonly fontDir: string;
  /** Confirms the office changes the window showed, and resumes the batches held for them. */
  confirmOffice(digests: Readonly<Partial<Record<OfficeGroup, string>>>): ReturnType<PreferencesService['confirmOffice']>;
  /** Finds SMTP settings for an address (each step and its outcome reported). */
  detectSmtp(address: string): Promise<SmtpDetection>;
  /** Stops the outbox worker (messages in flight finish) and closes the database. */
  close(): Promise<void>;
}

const passwordStops = new Set([
  'smtp.passwordMissing',
  'smtp.passwordWithheld',
  'smtp.passwordUnbound',
  'smtp.plainTextUnconfirmed',
  'smtp.passwordRejected',
  'smtp.authRejected',
]);

/** Opens the data directory (creating it with a demo company on first start) and wires the services. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger('kurier', options.logSink, clock);
  const db = openDatabase(path.join(options.dataDir, 'kurier.sqlite'));
  if (seedDemoCompany(db, clock)) logger.info('demoCompanyCreated', { dataDir: options.dataDir });
  const documents = new DocumentRepository(db);
  // Company pickers in every open window (and the web shell's pages) follow an added or renamed company.
  documents.companies.onChanged(() => {
    options.emit('companies:changed', {});
  });
  const accountState = new AccountStateStore(db);
  const prefs: PreferencesService = new PreferencesService({
    dataDir: options.dataDir,
    machinePrefsDir: options.machinePrefsDir,
    env: options.env ?? process.env,
    secrets: options.secrets,
    accountState,
    logger: logger.child('prefs'),
    clock,
    ...(options.officeStart ? { officeStart: options.officeStart } : {}),
    signIns: (scope) => oauth.state(scope),
    runProgram: (argv) => nodeProgramProbe().query(argv),
    // Every open window follows a new language at once (both transports broadcast events).
    saved: () => {
      options.emit('prefs:changed', { language: prefs.resolved().effective.language });
      applyDatabase();
    },
  });
  lockOfficeFolderOnWindows(options, logger);
  // The user's language, for what main writes in words: notifications, the sign-in's last browser page.
  const uiLanguage = (): Language => {
    const chosen = prefs.resolved().effective.language;
    return chosen === 'system' ? (options.systemLanguage ?? 'cs') : chosen;
  };
  const oauth: OAuthService = new OAuthService({
    secrets: options.secrets,
    apps: () => prefs.resolved().effective.oauthApps,
    logger: logger.child('oauth'),
    translate: () => createTranslator(uiLanguage()),
    ...(options.oauth?.fetch ? { fetch: options.oauth.fetch } : {}),
    ...(options.oauth?.now ? { now: options.oauth.now } : {}),
    ...(options.oauth?.signInTimeoutMs ? { signInTimeoutMs: options.oauth.signInTimeoutMs } : {}),
    ...(options.oauth?.endpoints ? { endpoints: options.oauth.endpoints } : {}),
    assertAppsConfirmed: () => prefs.assertOfficeConfirmed(['oauthApps']),
  });
  const logins = new SmtpLogins(prefs, oauth);
  const network = options.network ?? {};
  const resolver = () => {
    const instance = new Resolver({ timeout: network.stepTimeoutMs ?? 5_000, tries: 1 });
    if (network.dnsServers) instance.setServers([...network.dnsServers]);
    return instance;
  };
  const connectionCheck = new ConnectionCheckService({
    prefs,
    cooldowns: accountState,
    logins,
    spfResolver: resolver,
    logger: logger.child('connectionTest'),
    testOptions: {
      ...(options.smtpTimeouts ? { timeouts: options.smtpTimeouts } : {}),
      ...(network.resolveHost ? { resolveHost: network.resolveHost } : {}),
    },
  });
  const detectSmtp = (address: string) =>
    detectSmtpSettings(address, {
      resolver: resolver(),
      fetch: network.fetch ?? globalThis.fetch,
      ...(network.stepTimeoutMs ? { stepTimeoutMs: network.stepTimeoutMs } : {}),
      ...(network.probeTarget ? { probeTarget: network.probeTarget } : {}),
      ...(network.trustedCertificates ? { trustedCertificates: network.trustedCertificates } : {}),
    });
  const payslips = new PayslipPasswords({
    db,
    secrets: options.secrets,
    whoAmI: () => safeUserName(),
    ...(options.outbox?.now ? { now: options.outbox.now } : {}),
  });
  const handoff = new HandoffService({
    platform: options.handoff?.platform ?? process.platform,
    ...(options.handoff?.launch ? { launch: options.handoff.launch } : {}),
    env: options.handoff?.env ?? options.env ?? process.env,
    probe: options.handoff?.probe ?? nodeProgramProbe(),
    documentsDir: options.documentsDir ?? path.join(homedir(), 'Documents'),
    downloadsDir: options.downloadsDir ?? path.join(homedir(), 'Downloads'),
    logger: logger.child('handoff'),
    ...(options.handoff?.launchEnv ? { launchEnv: options.handoff.launchEnv } : {}),
    ...(options.handoff?.thunderbirdProfile ? { thunderbirdProfile: options.handoff.thunderbirdProfile } : {}),
    ...(options.handoff?.mapiRunner ? { mapiRunner: options.handoff.mapiRunner } : {}),
  });
  const identity = options.identity ?? { user: safeUserName(), desk: safeHostName() };
  const progress = (documentId: number, stage: ExportStage) => {
    options.emit('export:progressed', { documentId, stage });
  };
  const renderer = options.renderWorkerUrl
    ? new RenderPool({ workerUrl: options.renderWorkerUrl, fontDir: options.fontDir, size: availableParallelism() })
    : new InThreadRenderer(options.fontDir);
  const exporter = new ExportService({
    renderer,
    payslips,
    documents,
    prefs,
    fontDir: options.fontDir,
    defaultFolder: options.defaultExportFolder,
    progress,
    logger: logger.child('export'),
  });
  const outbox = new OutboxStore(db, identity);
  const tuning = options.outbox ?? {};
  const now = tuning.now ?? Date.now;
  const accounts = new SendingAccounts({
    prefs,
    logins,
    ...(tuning.connections ? { connections: tuning.connections } : {}),
    ...pick(tuning, ['perMinute', 'perDay']),
  });
  // The outbox in use: the office preferences choose it, and a new choice applies at once (see
  // outbox/outbox-switch.ts). A server out of reach leaves the app open and sending stopped, saying why
  // (never sending from this desk's file instead).
  const sqliteOutbox = new SqliteOutboxRepository(outbox);
  // eslint-disable-next-line prefer-const -- the switch needs the worker, the worker the switch's repository
  let worker: OutboxWorker;
  const outboxSwitch: OutboxSwitch = new OutboxSwitch({
    sqlite: sqliteOutbox,
    ...(tuning.repository ? { fixed: tuning.repository } : {}),
    open: (settings) =>
      new OfficeDatabase(settings, {
        password: () => options.secrets.get(databasePasswordKey),
        // A database changed in the office file behind Kurier's back gets neither the outbox nor the
        // password until this user confirmed the change (the first connection waits, saying why).
        guard: () => prefs.assertOfficeConfirmed(['database']),
      }),
    postgres: (office) =>
      new PgOutboxRepository({
        pool: office.pool,
        desk: identity.desk,
        user: identity.user,
        ...officeDocuments(() => documents),
        handoffs: (targets, since) => documentSends.handoffsSince(targets, since),
      }),
    worker: {
      start: () => {
        worker.start();
      },
      stop: () => worker.stop(),
      get running() {
        return worker.running;
      },
    },
    autoStart: tuning.manualStart !== true,
    changed: (state) => {
      options.emit('database:changed', runningView(state));
    },
    logger: logger.child('database'),
  });
  const repository = outboxSwitch.repository;
  const documentSends = new DocumentSends(db, () => repository, identity);
  worker = new OutboxWorker({
    store: repository,
    accountFor: (scope) => accounts.accountFor(scope),
    logger: logger.child('outbox'),
    progressed: (progress) => {
      options.emit('outbox:progressed', progress);
    },
    ...(options.smtpTimeouts ? { timeouts: options.smtpTimeouts } : {}),
    ...pick(tuning, ['retry', 'pacer', 'watchdogMs', 'quotaPauseMs', 'now', 'random', 'rateWindowMs']),
    companySender: (documentId) => {
      const document = documents.getDocument(documentId);
      const company = document && documents.companies.get(document.companyId);
      return company && { name: company.senderName, replyTo: company.replyTo };
    },
  });
  /**
   * The scopes of unfinished batches that send with `scope`'s account without being its own: for the
   * office's account, every company whose own account was removed (they fall back to the office's, see
   * SendingAccounts) — what resumes the office's batches resumes theirs.
   */
  const fallingBackTo = async (scope: AccountScope): Promise<AccountScope[]> =>
    scope !== 'global'
      ? []
      : (await worker.unfinishedScopes()).filter((other) => companyKeyOf(other) !== null && prefs.savedAccount(other) === null);
  /** Runs `act` for `scope` at once, then for the batch scopes falling back to its account. */
  const withFallbacks = (scope: AccountScope, act: (each: AccountScope) => Promise<void>): Promise<void> =>
    act(scope).then(async () => {
      for (const each of await fallingBackTo(scope)) await act(each);
    });
  prefs.onAccountEvent((event, scope) => {
    // Batches stopped for a missing, withheld or rejected password go on once a new one is entered; a
    // saved account applies to messages queued before, and the old server's slow-down is forgotten.
    const done = withFallbacks(scope, (each) =>
      event === 'passwordProvided'
        ? worker.resumeStopped(each, (code) => passwordStops.has(code))
        : worker
            .accountChanged(each)
            // Also sent when the office file answers at last: what waited for its values goes on.
            .then(() => worker.resumeStopped(each, (code) => code === 'prefs.officeNotRead')),
    );
    done.catch((error: unknown) => {
      logger.error(event === 'passwordProvided' ? 'outboxResumeFailed' : 'outboxAccountChangeFailed', { error });
    });
  });
  // Batches stopped for "sign in again" go on by themselves once the user has.
  oauth.onSignedIn((scope) => {
    withFallbacks(scope, (each) => worker.resumeStopped(each, (code) => code.startsWith('oauth.'))).catch((error: unknown) => {
      logger.error('outboxResumeFailed', { error });
    });
  });
  const batches = new BatchService({
    store: repository,
    worker,
    exporter,
    documents,
    prefs,
    accounts,
    logger: logger.child('batches'),
    ...(options.smtpTimeouts ? { timeouts: options.smtpTimeouts } : {}),
    ...(tuning.now ? { now: tuning.now } : {}),
  });
  const attachments = new ExtraAttachments({
    folder: path.join(options.dataDir, 'Attachments'),
    // The server of the account the document's copy goes through: its company's own, else the one in force.
    messageLimit: companyMessageLimit(
      prefs,
      (documentId) => {
        const document = documents.getDocument(documentId);
        return document && documents.companies.get(document.companyId);
      },
      options.smtpTimeouts,
    ),
  });
  const sender = new DocumentSender({
    exporter,
    documents,
    prefs,
    smtp: new SmtpCopy({
      prefs,
      payslips,
      outbox: { store: repository, worker, sends: documentSends, now },
      ...(tuning.copyWaitMs ? { waitMs: tuning.copyWaitMs } : {}),
    }),
    handoff: new HandoffCopy({
      prefs,
      payslips,
      handoff,
      sends: documentSends,
      logger: logger.child('export'),
      ...(tuning.now ? { now: tuning.now } : {}),
    }),
    recipients: new PartnerRecipients(db),
    attachments,
    sends: documentSends,
    progress,
    logger: logger.child('sending'),
    ...(tuning.now ? { now: tuning.now } : {}),
  });
  const notifier = new Notifier({
    store: repository,
    worker,
    prefs,
    documents,
    dataDir: options.dataDir,
    logger: logger.child('notifications'),
    now,
    translate: () => {
      const language = uiLanguage();
      return { t: createTranslator(language), language };
    },
  });
  worker.onProgressed((progress) => {
    notifier.onProgress(progress).catch((error: unknown) => {
      logger.error('notificationFailed', { error });
    });
  });
  // What happened while Kurier was closed is caught up now; overdue digests and aged uncertain
  // messages are looked for every ten minutes.
  const sweep = () => {
    notifier.sweep().catch((error: unknown) => {
      logger.error('notificationSweepFailed', { error });
    });
  };
  let sweeper: NodeJS.Timeout | undefined;
  let closed = false;
  if (tuning.manualStart !== true) {
    sweep();
    sweeper = setInterval(sweep, 10 * 60_000);
    sweeper.unref();
  }
  // The office file's database choice applies once the file has answered (until then this desk's file
  // stands in, and the worker waits), and again whenever it changes: saved here, or by another desk.
  const applyDatabase = () => {
    if (closed || !prefs.officeAnswered()) return;
    outboxSwitch.apply(prefs.globalPrefs().database).catch((error: unknown) => {
      logger.error('officeDatabaseSwitchFailed', { error });
    });
  };
  applyDatabase();
  prefs.onAccountEvent(applyDatabase);
  prefs.onOfficeChanged(applyDatabase);
  // Files pages handed over for copies (the web shell) are kept 30 days, then removed.
  attachments.sweep(now()).catch((error: unknown) => {
    logger.warn('attachmentSweepFailed', { error });
  });
  const importSettings = new ImportSettingsRepository(db);
  const inbox = new InboxService({
    db,
    settings: importSettings,
    ledger: new InboxLedger(db),
    logger: logger.child('inbox'),
    language: uiLanguage,
    documents: inboxDocuments({ db, documents, clock: () => new Date((tuning.now ?? Date.now)()) }),
    // The copies go out as a batch through the outbox, paced and resumable like any bulk send.
    autoSend: async (_companyId, documentIds) => {
      await batches.start({
        documentIds,
        target: { kind: 'partner' },
        folder: exporter.defaultFolder(),
        testToMe: false,
        spreadOverDays: true,
        // Nobody is there to answer: a document that already went to its partner is not sent again.
        duplicates: 'skip',
      });
    },
  });
  const imports = new ImportService({ db, documents, clock });
  const importDesk = new ImportDesk(imports);
  const deskOptions = { db, settings: importSettings, staging: importDesk.staging, now: tuning.now ?? Date.now };
  if (tuning.manualStart !== true) {
    inbox.start().catch((error: unknown) => {
      logger.error('inboxStartFailed', { error });
    });
  }
  return {
    logger,
    db,
    documents,
    prefs,
    exporter,
    sender,
    attachments,
    uploads: new UploadStore(tuning.now ? { now: tuning.now } : {}),
    sends: documentSends,
    preview: new PdfPreview(exporter, path.join(options.dataDir, 'Preview')),
    connectionCheck,
    detectSmtp,
    outbox,
    outboxRepository: repository,
    worker,
    officeDatabase: () => outboxSwitch.state(),
    databaseSettings: new OfficeDatabaseSettings({
      prefs,
      secrets: options.secrets,
      db,
      desk: identity.desk,
      documentKey: (id) => documents.documentKey(id),
      running: () => outboxSwitch.state(),
      applied: async () => {
        applyDatabase();
        await outboxSwitch.apply(prefs.globalPrefs().database);
        outboxSwitch.retryNow();
      },
      progress: (stage) => {
        options.emit('database:moveProgressed', { stage });
      },
    }),
    batches,
    payslips,
    importSettings,
    inbox,
    fontDir: options.fontDir,
    ksefNumbers: new KsefNumbers(documents),
    notifier,
    imports,
    importDesk,
    partnerDesk: new PartnerDesk(deskOptions),
    payrollDesk: new PayrollDesk(deskOptions),
    oauth,
    confirmOffice: async (digests) => {
      const outcome = await prefs.confirmOffice(digests);
      outboxSwitch.retryNow();
      try {
        // Every unfinished batch's scope: a company whose own account was removed keeps its key.
        const scopes = new Set([...prefs.scopesInUse(), ...(await worker.unfinishedScopes())]);
        for (const scope of scopes) await worker.resumeStopped(scope, (code) => code === 'prefs.officeChangeUnconfirmed');
      } catch (error) {
        // The office database is not reachable yet: the confirmation stands; the retry above connects.
        logger.warn('outboxResumeFailed', { error });
      }
      return outcome;
    },
    close: async () => {
      closed = true;
      // No database switch may start the worker again once it is stopped below.
      outboxSwitch.freeze();
      clearInterval(sweeper);
      await inbox.stop();
      await worker.stop();
      prefs.close();
      await outboxSwitch.close();
      await renderer.close();
      db.close();
    },
  };
}

/**
 * On Windows, `%ProgramData%\\Kurier` is created with an ACL that lets only administrators write, before
 * anyone else can create it (every user may create folders in %ProgramData%, and would own this one).
 * An existing folder is left alone; the preferences windows warn when its ACL lets users write.
 */
function lockOfficeFolderOnWindows(options: AppServicesOptions, logger: Logger): void {
  if (process.platform !== 'win32') return;
  const root = systemRoot(options.env ?? process.env);
  createWindowsOfficeFolder(options.machinePrefsDir, root, (argv) => nodeProgramProbe().query(argv)).then(
    (created) => {
      if (created) logger.info('officeFolderLocked', { folder: options.machinePrefsDir });
    },
    (error: unknown) => {
      logger.warn('officeFolderNotLocked', { folder: options.machinePrefsDir, error });
    },
  );
}

/** The OS user name, for "changed by" records; never fails (some containers have no passwd entry). */
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}

/** The computer's name, for "delivered from" records; '' when the system will not say. */
function safeHostName(): string {
  try {
    return hostname();
  } catch {
    return '';
  }
}

/** The entries of `source` named in `keys` that are set (exactOptionalPropertyTypes-friendly spread). */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
