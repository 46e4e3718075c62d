/**
 * Builds every service from plain collaborators. Both composition roots (Electron's main.ts and the web
 * shell) call this, and so do integration tests: the same wiring runs everywhere.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { PayloadOf } from '../../shared/contract';
import { openDatabase } from './data/database';
import { seedDemoCompany } from './documents/demo-seed';
import { DocumentRepository } from './documents/document-repository';
import { ExportService } from './export/export-service';
import { createLogger, type LogSink, type Logger } from './logging/logger';
import { LoginGuardedRoute } from './mail/login-guard';
import { SmtpRoute } from './mail/smtp-route';
import type { SmtpTimeouts } from './mail/smtp-transport-options';
import { AccountStateStore } from './prefs/account-state-store';
import { PreferencesService } from './prefs/preferences-service';
import { UserPrefsStore } from './prefs/user-prefs-store';
import type { SecretStore } from './secrets/secret-store';

/** What the services need from the outside world. */
export interface AppServicesOptions {
  /** The user data directory: database, preferences, logs. */
  readonly dataDir: string;
  readonly fontDir: string;
  readonly defaultExportFolder: string;
  readonly secrets: SecretStore;
  readonly logSink: LogSink;
  readonly clock?: () => Date;
  readonly smtpTimeouts?: SmtpTimeouts;
  /** Receives progress events for the windows. */
  readonly emit: (event: 'export:progressed', payload: PayloadOf<'export:progressed'>) => void;
}

/** The running services. */
export interface AppServices {
  readonly logger: Logger;
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly exporter: ExportService;
  close(): void;
}

/** Opens the data directory (creating it with a demo company on first start) and wires the services. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger('kurier', options.logSink, clock);
  const db = openDatabase(path.join(options.dataDir, 'kurier.sqlite'));
  if (seedDemoCompany(db, clock)) logger.info('demoCompanyCreated', { dataDir: options.dataDir });
  const documents = new DocumentRepository(db);
  const prefs = new PreferencesService({
    store: UserPrefsStore.open({ dir: options.dataDir, logger, clock }),
    secrets: options.secrets,
    accountState: new AccountStateStore(db),
    clock,
  });
  const exporter = new ExportService({
    documents,
    prefs,
    fontDir: options.fontDir,
    defaultFolder: options.defaultExportFolder,
    smtpRoute: (account, password) =>
      new LoginGuardedRoute(
        new SmtpRoute({ account, password, logger, ...(options.smtpTimeouts ? { timeouts: options.smtpTimeouts } : {}) }),
        prefs.smtpLoginState,
      ),
    progress: (documentId, stage) => { options.emit('export:progressed', { documentId, stage }); },
    logger: logger.child('export'),
  });
  return { logger, db, documents, prefs, exporter, close: () => { db.close(); } };
}
