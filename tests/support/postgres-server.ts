/**
 * A private PostgreSQL server for tests: `initdb` and `pg_ctl` (Debian's PostgreSQL 15) in a temporary
 * folder, listening on 127.0.0.1 at a random port, stopped and removed when the test file ends. initdb
 * refuses to run as root, so when the tests run as root the server's files belong to, and the server
 * runs as, `nobody`. Each test asks for a fresh database of its own ({@link PostgresServer.createDatabase}).
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestCertificate } from './certificates';

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

/**
 * Starts a server in a new temporary folder. With `password`, the user `kurier` has it and the server
 * asks for it (SCRAM), as an office server does; without, it trusts connections from this computer.
 */
export async function startPostgres(options: { password?: string; tls?: TestCertificate } = {}): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kurier-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? nobody : undefined;
  if (owner) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const user = 'kurier';
  const runAs = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } };
  const auth = ['-A', 'trust'];
  if (options.password !== undefined) {
    const pwfile = path.join(dir, 'pwfile');
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    auth.splice(0, 2, '-A', 'scram-sha-256', `--pwfile=${pwfile}`);
  }
  await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', user, ...auth, '-E', 'UTF8', '--no-sync'], runAs);
  const port = await freePort();
  // With a certificate the server offers TLS (ssl=on): its key readable by the server's user only.
  const tls: string[] = [];
  if (options.tls) {
    const certFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    await writeFile(certFile, options.tls.cert, { mode: 0o644 });
    await writeFile(keyFile, options.tls.key, { mode: 0o600 });
    if (owner) for (const file of [certFile, keyFile]) await chown(file, owner.uid, owner.gid);
    tls.push('-c ssl=on', `-c ssl_cert_file=${certFile}`, `-c ssl_key_file=${keyFile}`);
  }
  const serverOptions = [
    `-p ${String(port)}`,
    '-h 127.0.0.1',
    `-k ${dir}`,
    // A test database need not survive a power cut: no fsync makes it several times faster.
    '-F',
    '-c max_connections=200',
    '-c synchronous_commit=off',
    ...tls,
  ].join(' ');
  await run(
    path.join(binDir, 'pg_ctl'),
    ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', 'start'],
    runAs,
  );
  let databases = 0;
  const login = options.password === undefined ? user : `${user}:${encodeURIComponent(options.password)}`;
  const url = (database: string) => `postgres://${login}@127.0.0.1:${String(port)}/${database}`;
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
      await run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], runAs).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
