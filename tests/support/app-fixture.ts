/**
 * The real services, wired as main.ts wires them, on a temporary data folder and a private keychain
 * service name (removed afterwards). Used by integration and end-to-end tests.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { EventName, PayloadOf } from '../../shared/contract';
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
  type NetworkOptions,
} from '../../electron/services/app-services';
import { databasePasswordKey } from '../../electron/services/data/office-database';
import { oauthTokenKeys } from '../../electron/services/oauth/oauth-service';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import { openPassword } from '../../electron/services/secrets/bound-secret';
import { KeytarSecretStore } from '../../electron/services/secrets/keytar-secret-store';
import type { SecretKey, SecretStore } from '../../electron/services/secrets/secret-store';
import { nullSink, type LogSink } from '../../electron/services/logging/logger';
import type { SmtpTimeouts } from '../../electron/services/mail/smtp-transport-options';
import { tempDir } from './temp-dir';

/** The repository's font folder (the same fonts the packaged app ships). */
export const fontDir = path.resolve(import.meta.dirname, '..', '..', 'build', 'fonts');

/** True when the tests run inside the private keyring session (`npm test`). */
export const keyringAvailable = process.env.KURIER_KEYRING === 'gnome-keyring';

/** A test app: services, folders and the events they emitted. */
export interface AppFixture {
  readonly services: AppServices;
  readonly dataDir: string;
  readonly exportDir: string;
  /** Stands in for the machine-wide folder of the global preferences. */
  readonly machinePrefsDir: string;
  readonly secrets: KeytarSecretStore;
  readonly events: PayloadOf<'export:progressed'>[];
  /** Every outbox progress event, in order. */
  readonly batchEvents: PayloadOf<'outbox:progressed'>[];
  /** Also hands every event to `listener` (the web shell broadcasts them to the pages). */
  readonly forwardEvents: (listener: (event: EventName, payload: unknown) => void) => void;
}

/** Creates the services on fresh folders; everything is removed when the test finishes. */
export async function createAppFixture(
  options: {
    smtpTimeouts?: SmtpTimeouts;
    logSink?: LogSink;
    network?: NetworkOptions;
    outbox?: AppServicesOptions['outbox'];
    env?: Readonly<Record<string, string | undefined>>;
    /** An existing data folder (to reopen what an earlier fixture wrote); a fresh one by default. */
    dataDir?: string;
    machinePrefsDir?: string;
    oauth?: AppServicesOptions['oauth'];
    documentsDir?: string;
    handoff?: AppServicesOptions['handoff'];
    /** Who sits at this Kurier (user and desk), recorded on every message; the OS's by default. */
    identity?: AppServicesOptions['identity'];
    /** A keychain store of an earlier fixture (to start again with what it saved); a fresh one by default. */
    secrets?: KeytarSecretStore;
    /** The office file as read at start-up (as the entry points do); read synchronously without it. */
    officeStart?: AppServicesOptions['officeStart'];
  } = {},
): Promise<AppFixture> {
  const dataDir = options.dataDir ?? (await tempDir('kurier-data-'));
  const machinePrefsDir = options.machinePrefsDir ?? path.join(await tempDir('kurier-machine-'), 'etc', 'xdg', 'kurier');
  const exportDir = await tempDir('kurier-export-');
  const secrets = options.secrets ?? new KeytarSecretStore({ service: `Kurier-test-${randomUUID()}` });
  const events: PayloadOf<'export:progressed'>[] = [];
  const batchEvents: PayloadOf<'outbox:progressed'>[] = [];
  const forwards: ((event: EventName, payload: unknown) => void)[] = [];
  const services = createAppServices({
    dataDir,
    fontDir,
    defaultExportFolder: exportDir,
    secrets,
    logSink: options.logSink ?? nullSink,
    clock: () => new Date('2026-11-23T09:00:00Z'),
    machinePrefsDir,
    env: options.env ?? {},
    ...(options.network ? { network: options.network } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.oauth ? { oauth: options.oauth } : {}),
    // Hand-off copies never go to the real ~/Documents in a test.
    documentsDir: options.documentsDir ?? path.join(dataDir, 'Documents'),
    ...(options.handoff ? { handoff: options.handoff } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.officeStart ? { officeStart: options.officeStart } : {}),
    ...(options.smtpTimeouts ? { smtpTimeouts: options.smtpTimeouts } : {}),
    emit: (event, payload) => {
      if (event === 'export:progressed') events.push(payload as PayloadOf<'export:progressed'>);
      else if (event === 'outbox:progressed') batchEvents.push(payload as PayloadOf<'outbox:progressed'>);
      for (const forward of forwards) forward(event, payload);
    },
  });
  onTestFinished(async () => {
    await services.close();
    for (const key of [...Object.values(smtpPasswordKeys), ...Object.values(oauthTokenKeys), databasePasswordKey])
      await secrets.delete(key).catch(() => false);
  });
  return {
    services,
    dataDir,
    exportDir,
    machinePrefsDir,
    secrets,
    events,
    batchEvents,
    forwardEvents: (listener) => forwards.push(listener),
  };
}

/** The SMTP password a keychain entry holds (the entry also names the server it is bound to); null: none. */
export async function savedSmtpPassword(secrets: SecretStore, key: SecretKey): Promise<string | null> {
  const stored = await secrets.get(key);
  if (stored === null) return null;
  const opened = openPassword(stored);
  return opened.kind === 'bound' ? opened.password : stored;
}
