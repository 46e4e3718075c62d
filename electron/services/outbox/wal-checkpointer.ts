/**
 * Checkpoints the database's write-ahead log on a thread of its own while the outbox sends.
 *
 * With WAL and `synchronous = NORMAL` a commit only appends to the log; the log is fsync'ed — and
 * copied back into the database file, which is fsync'ed too — at checkpoints, which SQLite runs on
 * the connection that committed, every 1,000 pages by default. Each message rewrites some ten pages
 * (the row, its index entries), so at bulk rates the main process spent a large part of its time
 * blocked in those fsyncs (issue 4's profile: the commit that happened to checkpoint), with nothing
 * else able to run meanwhile.
 *
 * Here a worker thread with its own connection runs passive checkpoints whenever the outbox has
 * committed a hundred messages, and the main connection's own automatic checkpoint moves to
 * {@link mainConnectionPages}: it still runs (the log is only restarted after a checkpoint by the
 * writer itself, and it bounds the log should the thread fall behind), but finds the log already
 * synced and copied, so it is quick. Durability is SQLite's as before — the same syncs at the same kinds
 * of points, only on another thread: a commit is in the log before the outbox acts on it (a crash of the
 * process loses nothing), and a power cut can lose the commits since the last log sync, as with any
 * checkpoint schedule under `synchronous = NORMAL` (the thread syncs the log about as often as the default
 * schedule did: every hundred messages are some thousand pages).
 */
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** The thread: one connection, a passive checkpoint per message received, closed on 'stop'. */
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    checkpoint.get();
  } catch {
    // Busy or failed: the main connection's own checkpoint still runs.
  }
});
`;

/** The main connection checkpoints itself only past this many log pages while the thread runs. */
const mainConnectionPages = 10_000;
/** SQLite's default, restored when the thread stops. */
const defaultPages = 1_000;
/** A checkpoint is asked for after this many messages (so a single copy never starts the thread). */
const messagesPerCheckpoint = 100;

interface Thread {
  readonly worker: Worker;
  readonly exited: Promise<void>;
  /** Which thread it is (1 for the first). */
  readonly started: number;
}

/** Checkpoints for one database, on a thread started at the first checkpoint asked for. */
export class WalCheckpointer {
  readonly #db: DatabaseSync;
  #thread: Thread | null = null;
  /** Threads started so far. */
  #started = 0;
  #messages = 0;
  /** The last stop, until its thread has closed its connection. */
  #stopping: Promise<void> = Promise.resolve();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * `count` more messages committed: every hundred, the thread checkpoints (started if need be). Never
   * throws: it runs inside the commits of sends, and without the thread SQLite checkpoints as ever.
   */
  committed(count: number): void {
    const before = Math.floor(this.#messages / messagesPerCheckpoint);
    this.#messages += count;
    if (Math.floor(this.#messages / messagesPerCheckpoint) === before) return;
    try {
      const thread = this.#thread ?? this.#start();
      thread?.worker.postMessage('checkpoint');
    } catch {
      this.#restoreOwnCheckpoints();
    }
  }

  /**
   * Stops the thread, if one runs, and gives the main connection its own checkpoints back. Never
   * rejects; a second call while the first waits resolves only once the thread has closed its connection.
   */
  stop(): Promise<void> {
    const thread = this.#thread;
    if (!thread) return this.#stopping;
    this.#thread = null;
    thread.worker.postMessage('stop');
    this.#stopping = thread.exited.then(() => {
      // Unless a new thread started meanwhile.
      if (this.#started === thread.started) this.#restoreOwnCheckpoints();
    });
    return this.#stopping;
  }

  #restoreOwnCheckpoints(): void {
    if (!this.#db.isOpen) return;
    try {
      this.#db.exec(`PRAGMA wal_autocheckpoint = ${String(defaultPages)}`);
    } catch {
      // The database is closing; its next connection starts with the default anyway.
    }
  }

  #start(): Thread | null {
    const file = this.#db.location();
    // An in-memory database has no log to checkpoint.
    if (!file) return null;
    const worker = new Worker(threadSource, { eval: true, workerData: { file } });
    // The thread must never keep the process alive, nor take it down.
    worker.unref();
    worker.on('error', () => undefined);
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        resolve();
      }),
    );
    // A thread that dies (its connection could not open, say) hands checkpoints back to the main one.
    void exited.then(() => {
      if (this.#thread?.worker === worker) {
        this.#thread = null;
        this.#restoreOwnCheckpoints();
      }
    });
    this.#db.exec(`PRAGMA wal_autocheckpoint = ${String(mainConnectionPages)}`);
    this.#started += 1;
    this.#thread = { worker, exited, started: this.#started };
    return this.#thread;
  }
}
