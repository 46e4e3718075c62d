/**
 * A private PostgreSQL server for tests: `initdb` and `pg_ctl` (Debian's PostgreSQL 15) in a temporary
 * folder, listening on 127.0.0.1 at a random port, stopped and removed when the test file ends. initdb
 * refuses to run as root, so when the tests run as root the server's files belong to, and the server
 * runs as, `nobody`. Each test asks for a fresh database of its own ({@link PostgresServer.createDatabase}).
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const binDir = process.env.KURIER_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The user the server runs as when the tests run as root (initdb refuses root). */
const nobody = { uid: 65534, gid: 65534 };

/** A running private server. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** A connection string for `database` (no password: the private server trusts local connections). */
  readonly url: (database: string) => string;
  /** Creates a fresh, empty database and returns its connection string. */
  readonly createDatabase: () => Promise<string>;
  readonly stop: () => Promise<void>;
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Starts a server in a new temporary folder. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kurier-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? nobody : undefined;
  if (owner) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const user = 'kurier';
  const options = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } };
  await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync'], options);
  const port = await freePort();
  const serverOptions = [
    `-p ${String(port)}`,
    '-h 127.0.0.1',
    `-k ${dir}`,
    // A test database need not survive a power cut: no fsync makes it several times faster.
    '-F',
    '-c max_connections=200',
    '-c synchronous_commit=off',
  ].join(' ');
  await run(
    path.join(binDir, 'pg_ctl'),
    ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', 'start'],
    options,
  );
  let databases = 0;
  const url = (database: string) => `postgres://${user}@127.0.0.1:${String(port)}/${database}`;
  return {
    host: '127.0.0.1',
    port,
    user,
    url,
    createDatabase: async () => {
      databases += 1;
      const name = `kurier_${String(process.pid)}_${String(databases)}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: async () => {
      await run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], options).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
