/**
 * A Kurier process for the crash test: opens the services on an existing data folder (the keychain
 * service named by the parent), prints READY, and lets the outbox worker run until every batch is
 * finished, then prints DONE. The parent kills it with SIGKILL at random moments and starts it again.
 *
 * argv: dataDir machinePrefsDir exportDir keychainService [paced|unpaced] [office PostgreSQL connection string]
 */
import path from 'node:path';
import { createAppServices } from '../../electron/services/app-services';
import { nullSink } from '../../electron/services/logging/logger';
import { KeytarSecretStore } from '../../electron/services/secrets/keytar-secret-store';
import { crashTestOutboxTuning } from './outbox-crash-tuning';
import { officeOutbox } from './office-outbox';

const [dataDir = '', machinePrefsDir = '', exportDir = '', service = '', pacing = 'paced', postgres = ''] = process.argv.slice(2);
// The office database: the same desk after each restart, so its own claims are settled at once.
const repository = postgres === '' ? undefined : await officeOutbox(postgres, 'desk-crash');
const tuning = { ...crashTestOutboxTuning, ...(repository ? { repository } : {}) };
const services = createAppServices({
  dataDir,
  fontDir: path.resolve(import.meta.dirname, '..', '..', 'build', 'fonts'),
  defaultExportFolder: exportDir,
  secrets: new KeytarSecretStore({ service }),
  logSink: nullSink,
  machinePrefsDir,
  env: {},
  smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
  // Unpaced: no per-minute ceiling at all, so every next envelope is pipelined (as the benchmark runs).
  outbox: pacing === 'unpaced' ? { ...tuning, perMinute: Infinity } : tuning,
  emit: () => undefined,
});

process.stdout.write('READY\n');
let looking = false;
const timer = setInterval(() => {
  if (looking) return;
  looking = true;
  void services.outboxRepository.activeBatches().then((active) => {
    looking = false;
    if (active.length > 0) return;
    clearInterval(timer);
    void services.close().then(() => {
      process.stdout.write('DONE\n');
      process.exit(0);
    });
  });
}, 50);
