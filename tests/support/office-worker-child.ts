/**
 * One Kurier desk of an office for the office outbox test (issue 20): its own data folder, keychain and
 * desk id, delivering from the shared PostgreSQL. Prints READY once its worker runs; SIGTERM stops it
 * cleanly, SIGKILL is the test's crash.
 *
 * argv (keychainService `memory`: no keychain, for the benchmark): dataDir machinePrefsDir keychainService postgresUrl desk smtpPort certificateFile perWindow windowMs leaseMs
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAppServices } from '../../electron/services/app-services';
import { nullSink } from '../../electron/services/logging/logger';
import { KeytarSecretStore } from '../../electron/services/secrets/keytar-secret-store';
import { MemorySecretStore } from './memory-secret-store';
import { officeOutbox } from './office-outbox';
import { testSmtpAccount } from './smtp-test-server';

const [
  dataDir = '',
  machinePrefsDir = '',
  service = '',
  url = '',
  desk = '',
  port = '0',
  certificateFile = '',
  perWindow = '30',
  windowMs = '60000',
  leaseMs = '5000',
] = process.argv.slice(2);
const repository = await officeOutbox(url, desk, { leaseMs: Number(leaseMs) });
const services = createAppServices({
  dataDir,
  fontDir: path.resolve(import.meta.dirname, '..', '..', 'build', 'fonts'),
  defaultExportFolder: dataDir,
  // `memory`: the benchmark, which runs without a keychain session.
  secrets: service === 'memory' ? new MemorySecretStore() : new KeytarSecretStore({ service }),
  logSink: process.env.KURIER_TEST_LOG === '1' ? (line) => process.stderr.write(`${desk} ${JSON.stringify(line)}\n`) : nullSink,
  machinePrefsDir,
  env: {},
  smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
  outbox: {
    repository,
    manualStart: true,
    connections: 3,
    // The same limit in a shorter window: 30 per 2 s instead of 30 per minute (same code path).
    rateWindowMs: Number(windowMs),
    perDay: Infinity,
    retry: { baseMs: 100, maxMs: 1_000, maxAttempts: 20 },
    pacer: { cooldownMs: 200, maxCooldownMs: 1_000, recoveryMs: 2_000 },
    watchdogMs: 3_000,
  },
  emit: () => undefined,
});
await services.prefs.updateUser(
  {
    exportFolder: '',
    globalPrefsFolder: '',
    overrides: {
      smtp: testSmtpAccount({ port: Number(port), trustedCertificate: readFileSync(certificateFile, 'utf8') }),
      bulk: { messagesPerMinute: Number(perWindow), messagesPerDay: 100_000 },
    },
  },
  { action: 'set', value: 'správné-heslo' },
);
services.worker.start();
process.stdout.write('READY\n');
process.on('SIGTERM', () => {
  void services.close().then(() => process.exit(0));
});
