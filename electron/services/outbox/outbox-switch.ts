/**
 * The outbox in use, switched live when the office preferences choose another database (issue 20):
 * this desk's SQLite file or an office PostgreSQL. Everything that reads or writes the outbox — the
 * worker, the batches, the export dialog's copy, the document list, the notifier — holds
 * {@link OutboxSwitch.repository}, which always answers from the store in use.
 *
 * A switch stops the worker (messages in flight finish), closes the old office connection, opens the
 * new one and starts the worker again once the new store is ready. While the office database cannot be
 * reached, sending stays stopped and the state says why: nothing is ever sent from this desk's file
 * while the office preferences say PostgreSQL.
 */
import type { DatabasePrefs } from '../../../shared/prefs';
import { databaseError, postgresSettings, type OfficeDatabase, type OfficeDatabaseState } from '../data/office-database';
import type { PostgresSettings } from '../data/postgres-database';
import type { Logger } from '../logging/logger';
import type { OutboxRepository } from './outbox-repository';

/** What the switch needs. */
export interface OutboxSwitchOptions {
  /** This desk's outbox (its file stays open: the switch never closes it). */
  readonly sqlite: OutboxRepository;
  /** Opens the office database (connecting and migrating in the background). */
  readonly open: (settings: PostgresSettings) => OfficeDatabase;
  /** The office outbox on an opened database's pool. */
  readonly postgres: (office: OfficeDatabase) => OutboxRepository;
  /**
   * A repository fixed by the caller (tests, benchmarks): never switched; the worker starts on the
   * first {@link OutboxSwitch.apply}.
   */
  readonly fixed?: OutboxRepository;
  readonly worker: { start(): void; stop(): Promise<void>; readonly running: boolean };
  /** Start the worker once a store is ready (false: a test drives it, and it is restarted only if it ran). */
  readonly autoStart: boolean;
  /** Told of every change of the state (the windows refresh). */
  readonly changed: (state: OfficeDatabaseState) => void;
  readonly logger: Logger;
  /**
   * Runs `retry` (a switch that failed, made again) after `ms`; a timer by default. Tests pass their own
   * to run the retries when they say.
   */
  readonly schedule?: (retry: () => Promise<void>, ms: number) => void;
}

/** A failed switch is made again by itself after 5 s, 10 s, 20 s, 40 s and 80 s; then at the next apply. */
const retryDelaysMs = [5_000, 10_000, 20_000, 40_000, 80_000];

function scheduleWithTimer(retry: () => Promise<void>, ms: number): void {
  setTimeout(() => void retry(), ms).unref();
}

/** Keeps the outbox in use and switches it. */
export class OutboxSwitch {
  readonly #o: OutboxSwitchOptions;
  #current: OutboxRepository;
  #office: OfficeDatabase | null = null;
  /**
   * What was applied last ('sqlite', the PostgreSQL settings as JSON); null before the first switch
   * made, 'switching' while one is under way or after one failed.
   */
  #applied: string | null = null;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** Why the last switch failed (sending stays stopped until one is made); null once one is. */
  #failure: OfficeDatabaseState | null = null;
  /** The choice applied last, which a retry applies again; and how many retries followed a failure. */
  #wanted: DatabasePrefs | undefined;
  #retries = 0;
  /** The store every caller uses: whichever is in use at the moment of each call. */
  readonly repository: OutboxRepository;

  constructor(options: OutboxSwitchOptions) {
    this.#o = options;
    this.#current = options.fixed ?? options.sqlite;
    // Every call goes to the store in use at that moment; a failure of the office database comes back
    // as what it means in the user's words (database.unreachable, database.passwordRejected…).
    this.repository = new Proxy({} as OutboxRepository, {
      get: (_target, key) => {
        const current = this.#current;
        const office = this.#office;
        const value: unknown = Reflect.get(current, key, current);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const result = method.apply(current, args);
          if (!office || !(result instanceof Promise)) return result;
          return result.catch((error: unknown) => {
            throw databaseError(error, office.settings);
          });
        };
      },
    });
  }

  /** Where the outbox is now, and whether it answers. */
  state(): OfficeDatabaseState {
    return this.#failure ?? this.#office?.state() ?? { kind: 'sqlite' };
  }

  /**
   * Makes `choice` the store in use (nothing happens when it already is). Calls run one after another;
   * the returned promise settles once the switch is made — not once the office database answers.
   */
  apply(choice: DatabasePrefs | undefined): Promise<void> {
    this.#wanted = choice;
    const next = this.#queue.then(() => this.#apply(choice));
    this.#queue = next.then(
      () => {
        if (this.#failure === null) this.#retries = 0;
      },
      (error: unknown) => {
        this.#o.logger.error('officeDatabaseSwitchFailed', { error });
        this.#failed(choice, error);
      },
    );
    return next;
  }

  #stillWanted(choice: DatabasePrefs | undefined): boolean {
    return JSON.stringify(choice ?? null) === JSON.stringify(this.#wanted ?? null);
  }

  /** Says why sending stopped (the windows show it) and makes the switch again later, a few times. */
  #failed(choice: DatabasePrefs | undefined, error: unknown): void {
    if (this.#closed || !this.#stillWanted(choice)) return;
    if (choice?.kind === 'postgres' && this.#o.fixed === undefined) {
      this.#failure = { kind: 'postgres', state: 'unreachable', error: databaseError(error, postgresSettings(choice)) };
      this.#o.changed(this.#failure);
    }
    const delay = retryDelaysMs[this.#retries];
    if (delay === undefined) return;
    this.#retries += 1;
    (this.#o.schedule ?? scheduleWithTimer)(async () => {
      if (this.#closed || !this.#stillWanted(choice)) return;
      await this.apply(choice).catch(() => undefined);
    }, delay);
  }

  async #apply(choice: DatabasePrefs | undefined): Promise<void> {
    if (this.#closed) return;
    const settings = this.#o.fixed === undefined && choice?.kind === 'postgres' ? postgresSettings(choice) : null;
    const key = this.#o.fixed !== undefined ? 'fixed' : settings ? JSON.stringify(settings) : 'sqlite';
    if (key === this.#applied) return;
    const first = this.#applied === null;
    const wasRunning = this.#o.worker.running;
    if (first && settings === null) {
      // The store in use from the start: nothing to switch, the worker starts.
      this.#applied = key;
      this.#failure = null;
      if (this.#o.autoStart && !wasRunning) this.#o.worker.start();
      return;
    }
    if (!first) {
      this.#o.logger.info('officeDatabaseSwitching', { to: settings ? 'postgres' : 'sqlite', host: settings?.host ?? '' });
      // Nothing counts as applied until this switch is made: one that fails (the worker did not stop,
      // the office database did not open) is made again by the next apply, even of the same settings.
      this.#applied = 'switching';
    }
    // Messages in flight finish on the store they were claimed from; nothing new starts meanwhile.
    await this.#o.worker.stop();
    const old = this.#office;
    const oldRepository = this.#current;
    const restart = () => {
      if (!this.#closed && (this.#o.autoStart || wasRunning)) this.#o.worker.start();
    };
    if (settings) {
      const office = this.#o.open(settings);
      let repository: OutboxRepository;
      try {
        repository = this.#o.postgres(office);
      } catch (error) {
        await office.close();
        throw error;
      }
      this.#office = office;
      this.#current = repository;
      this.#applied = key;
      this.#failure = null;
      office.onState((state) => {
        if (this.#office !== office) return;
        if (state.kind === 'postgres' && state.state === 'unreachable')
          this.#o.logger.warn('officeDatabaseUnreachable', { code: state.error.code, host: settings.host });
        else this.#o.logger.info('officeDatabaseConnected', { host: settings.host });
        this.#o.changed(state);
      });
      // The worker starts once the tables are there (migrated, or found current); until then it waits.
      void office.ready.then(() => {
        if (this.#office === office && this.#applied === key) restart();
      });
    } else {
      this.#office = null;
      this.#current = this.#o.fixed ?? this.#o.sqlite;
      this.#applied = key;
      this.#failure = null;
      restart();
    }
    if (oldRepository !== this.#current && oldRepository !== this.#o.sqlite && oldRepository !== this.#o.fixed)
      await oldRepository.close().catch(() => undefined);
    await old?.close();
    this.#o.changed(this.state());
  }

  /** Tries the office database again now instead of at its next retry (its password was just saved). */
  retryNow(): void {
    this.#office?.retryNow();
  }

  /**
   * Stops switching, at once: no later apply and no office database getting ready starts the worker
   * again. Its owner calls this before stopping the worker at shutdown, so nothing restarts it on a
   * store about to close (it would claim office messages that become "uncertain" at the next start).
   */
  freeze(): void {
    this.#closed = true;
  }

  /** Stops switching and closes the office connection (the worker is stopped by its owner first). */
  async close(): Promise<void> {
    this.freeze();
    await this.#queue;
    if (this.#current !== this.#o.sqlite) await this.#current.close();
    await this.#office?.close();
  }
}
