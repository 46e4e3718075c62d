/**
 * The office preferences' "Database" section (issue 20): saving the choice (the password to the keychain,
 * never the file), testing a connection, and moving this desk's SQLite outbox into the office PostgreSQL.
 * A saved choice applies at once (outbox/outbox-switch.ts): the worker stops, the store changes, and
 * the worker starts again once the new store answers — nothing is ever sent from two places.
 */
import type { DatabaseSync } from 'node:sqlite';
import { KurierError } from '../../../shared/errors';
import type {
  DatabaseMoveReport,
  DatabasePasswordChange,
  DatabaseRunning,
  DatabaseStatus,
  DatabaseTestResult,
  MoveStage,
} from '../../../shared/office-database';
import type { DatabasePrefs, PostgresDatabasePrefs } from '../../../shared/prefs';
import {
  databaseError,
  databasePasswordKey,
  postgresSettings,
  testOfficeDatabase,
  type OfficeDatabaseState,
} from '../data/office-database';
import { openPostgres, poolConfig } from '../data/postgres-database';
import { moveSqliteOutboxToPostgres } from '../data/sqlite-to-postgres';
import type { PreferencesService } from '../prefs/preferences-service';
import type { SecretStore } from '../secrets/secret-store';
import type { DocumentKey } from '../../../shared/outbox';

/** What the section needs. */
export interface OfficeDatabaseSettingsOptions {
  readonly prefs: PreferencesService;
  readonly secrets: SecretStore;
  /** This desk's SQLite file (read only by the move). */
  readonly db: DatabaseSync;
  readonly desk: string;
  /** A document's company key and number (how every desk knows it). */
  readonly documentKey: (documentId: number) => DocumentKey;
  readonly running: () => OfficeDatabaseState;
  /** Makes the saved choice the store in use (after the password reached the keychain). */
  readonly applied: () => Promise<void>;
  readonly progress: (stage: MoveStage) => void;
}

/** The "Database" section's use cases. */
export class OfficeDatabaseSettings {
  constructor(private readonly o: OfficeDatabaseSettingsOptions) {}

  async status(): Promise<DatabaseStatus> {
    return {
      saved: this.o.prefs.globalPrefs().database ?? { kind: 'sqlite' },
      hasPassword: (await this.o.secrets.get(databasePasswordKey)) !== null,
      running: runningView(this.o.running()),
    };
  }

  /** Writes the choice to the office file (administrators) and the password to this user's keychain. */
  async save(database: DatabasePrefs, password: DatabasePasswordChange): Promise<DatabaseStatus> {
    await this.o.prefs.updateGlobal({ ...this.o.prefs.globalPrefs(), database }, { action: 'keep' });
    if (password.action === 'set') await this.o.secrets.set(databasePasswordKey, password.value);
    if (password.action === 'clear') await this.o.secrets.delete(databasePasswordKey);
    await this.o.applied();
    return this.status();
  }

  /** Tests `database` with `password`, or the saved password when none is typed. */
  async test(database: PostgresDatabasePrefs, password: string | null): Promise<DatabaseTestResult> {
    return testOfficeDatabase(postgresSettings(database), password ?? (await this.o.secrets.get(databasePasswordKey)));
  }

  /**
   * Copies this desk's outbox and history into the saved office database (creating its tables first).
   * Re-runnable: what an earlier move copied is counted in `alreadyMoved`, never added twice.
   */
  async move(): Promise<DatabaseMoveReport> {
    const saved = this.o.prefs.globalPrefs().database;
    if (saved?.kind !== 'postgres') throw new KurierError('database.notChosen');
    await this.o.prefs.assertOfficeConfirmed(['database']);
    const settings = postgresSettings(saved);
    this.o.progress('connecting');
    let pool;
    try {
      pool = await openPostgres(poolConfig(settings, await this.o.secrets.get(databasePasswordKey)));
    } catch (error) {
      throw databaseError(error, settings);
    }
    try {
      this.o.progress('copying');
      const report = await moveSqliteOutboxToPostgres(this.o.db, pool, {
        desk: this.o.desk,
        documentKey: this.o.documentKey,
      });
      this.o.progress('done');
      return report;
    } catch (error) {
      throw databaseError(error, settings);
    } finally {
      await pool.end();
    }
  }
}

/** The running state as it crosses IPC (the error as its code and details). */
export function runningView(state: OfficeDatabaseState): DatabaseRunning {
  if (state.kind === 'postgres' && state.state === 'unreachable')
    return { kind: 'postgres', state: 'unreachable', error: { code: state.error.code, details: state.error.details } };
  return state;
}
