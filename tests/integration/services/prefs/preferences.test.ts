/**
 * Both preference files on real disks: layering and where each value comes from, the office-share
 * override, migration of a walking-skeleton (version 1) file, corrupted files, and a global folder the
 * user may not write to (a read-only mount, or mode 0555 when not root).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { PrefsFile } from '../../../../electron/services/prefs/prefs-file';
import { globalPrefsDirVariable, machinePrefsDir, userPrefsSpec } from '../../../../electron/services/prefs/prefs-files';
import { sectionDefaults, userPrefsSchema, type SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture, savedSmtpPassword, keyringAvailable } from '../../../support/app-fixture';
import { readOnlyDir } from '../../../support/read-only-dir';
import { tempDir } from '../../../support/temp-dir';

const logger = createLogger('test', nullSink);
const clock = () => new Date('2026-11-23T10:00:00Z');

const account: SmtpAccount = {
  senderName: 'Kancelář Bílá',
  senderAddress: 'ucetni@kancelar.example',
  replyTo: '',
  bccSelf: false,
  host: 'smtp.kancelar.example',
  port: 587,
  security: 'starttls',
  cipherStrength: 'default',
  auth: 'password',
  username: 'ucetni@kancelar.example',
  trustedCertificate: '',
};

describe('the user preferences file', () => {
  it('saves and reads back, with defaults for what was never set', async () => {
    const dir = await tempDir();
    const file = PrefsFile.open(userPrefsSpec(dir), { logger, clock });
    expect(file.get()).toEqual(userPrefsSchema.parse({}));

    await file.save({
      ...file.get(),
      exportFolder: '/data/exporty',
      overrides: { language: 'pl', personalEmail: 'jana@kancelar.example' },
    });
    const reopened = PrefsFile.open(userPrefsSpec(dir), { logger, clock });
    expect(reopened.get().overrides).toEqual({ language: 'pl', personalEmail: 'jana@kancelar.example' });
    expect(reopened.get().exportFolder).toBe('/data/exporty');
    expect(reopened.recovery).toBeNull();
    expect(JSON.parse(await readFile(reopened.filePath, 'utf8'))).toMatchObject({ version: 2 });
  });

  it('migrates a version 1 file: every value the user had set becomes an override, defaults do not', async () => {
    const dir = await tempDir();
    // Version 1 had no bccSelf.
    const v1Account = Object.fromEntries(Object.entries(account).filter(([key]) => key !== 'bccSelf'));
    const v1 = {
      version: 1,
      prefs: { language: 'system', personalEmail: 'jana@kancelar.example', exportFolder: '/data/exporty', smtp: v1Account },
    };
    await writeFile(path.join(dir, 'user-preferences.json'), JSON.stringify(v1));

    const file = PrefsFile.open(userPrefsSpec(dir), { logger, clock });

    expect(file.recovery).toBeNull();
    expect(file.get()).toEqual({
      exportFolder: '/data/exporty',
      globalPrefsFolder: '',
      overrides: { personalEmail: 'jana@kancelar.example', smtp: account },
    });
  });

  it.each([
    { kind: 'corrupted JSON', content: '{"version":2,"prefs":{"overrides":{"language":"cs"}', reason: 'notJson' },
    {
      kind: 'a hand-edited invalid value',
      content: '{"version":2,"prefs":{"overrides":{"smtp":{"host":"a b","port":99999}}}}',
      reason: 'invalid',
    },
    { kind: 'a file from a newer Kurier', content: '{"version":7,"prefs":{}}', reason: 'newerVersion' },
    { kind: 'a file without a version', content: '{"prefs":{}}', reason: 'invalid' },
    {
      kind: 'a misspelt key',
      content: '{"version":2,"prefs":{"exportFolder":"/data","overides":{"language":"cs"}}}',
      reason: 'invalid',
    },
  ])('backs up $kind beside itself and starts with defaults', async ({ content, reason }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'user-preferences.json'), content);

    const file = PrefsFile.open(userPrefsSpec(dir), { logger, clock });

    expect(file.recovery).toMatchObject({ file: 'user', reason });
    expect(file.get()).toEqual(userPrefsSchema.parse({}));
    const backup = (await readdir(dir)).find((name) => name.startsWith('user-preferences.invalid-'));
    expect(backup).toBeDefined();
    expect(file.recovery?.backupPath).toBe(path.join(dir, backup ?? ''));
    expect(await readFile(path.join(dir, backup ?? ''), 'utf8')).toBe(content);
  });

  it('refuses to save what the schema refuses (a header-breaking sender name) and keeps the old file', async () => {
    const dir = await tempDir();
    const file = PrefsFile.open(userPrefsSpec(dir), { logger, clock });
    await file.save({ ...file.get(), exportFolder: '/data' });
    const before = await readFile(file.filePath, 'utf8');
    await expect(
      file.save({ ...file.get(), overrides: { smtp: { ...account, senderName: 'Eve\r\nBcc: everyone@example.com' } } }),
    ).rejects.toThrow();
    expect(await readFile(file.filePath, 'utf8')).toBe(before);
  });
});

describe('where the global preferences live', () => {
  it('uses the machine-wide folder of each system', () => {
    expect(machinePrefsDir('linux', {})).toBe('/etc/xdg/kurier');
    expect(machinePrefsDir('darwin', {})).toBe('/Library/Application Support/Kurier');
    expect(machinePrefsDir('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Kurier');
  });

  it('prefers the environment variable over the user setting over the machine folder', async () => {
    const share = await tempDir('kurier-share-');
    const envShare = await tempDir('kurier-env-share-');
    const app = await createAppFixture();
    expect((await app.services.prefs.view()).globalLocation).toMatchObject({
      source: 'machine',
      filePath: path.join(app.machinePrefsDir, 'global-preferences.json'),
    });

    const view = await app.services.prefs.updateUser(
      { ...app.services.prefs.userPrefs(), globalPrefsFolder: share },
      { action: 'keep' },
    );
    expect(view.globalLocation).toMatchObject({
      source: 'setting',
      filePath: path.join(share, 'global-preferences.json'),
      writable: true,
    });

    const fromEnv = await createAppFixture({ dataDir: app.dataDir, env: { [globalPrefsDirVariable]: envShare } });
    expect((await fromEnv.services.prefs.view()).globalLocation).toMatchObject({
      source: 'environment',
      filePath: path.join(envShare, 'global-preferences.json'),
    });
  });

  it('reads the office values from the share the user names, at once', async () => {
    const share = await tempDir('kurier-share-');
    await writeFile(
      path.join(share, 'global-preferences.json'),
      JSON.stringify({ version: 1, prefs: { personalEmail: 'kancelar@kancelar.example', language: 'pl' } }),
    );
    const app = await createAppFixture();
    expect(app.services.prefs.resolved().effective.personalEmail).toBe('');

    await app.services.prefs.updateUser({ ...app.services.prefs.userPrefs(), globalPrefsFolder: share }, { action: 'keep' });

    expect(app.services.prefs.resolved()).toMatchObject({
      effective: { personalEmail: 'kancelar@kancelar.example', language: 'pl' },
      sources: { personalEmail: 'global', language: 'global', smtp: 'default' },
    });
  });
});

describe('an office file that cannot be used', () => {
  it('is never moved away from the share, only reported, even when the folder is writable', async () => {
    const share = await tempDir('kurier-share-');
    await writeFile(path.join(share, 'global-preferences.json'), '{"version":9,"prefs":{}}');
    const app = await createAppFixture({ env: { [globalPrefsDirVariable]: share } });
    const view = await app.services.prefs.view();
    expect(view.recoveries).toEqual([
      { file: 'global', filePath: path.join(share, 'global-preferences.json'), backupPath: null, reason: 'newerVersion' },
    ]);
    expect(await readdir(share)).toEqual(['global-preferences.json']);
  });

  it('does not stop Kurier when it cannot be read at all', async () => {
    const share = await tempDir('kurier-share-');
    await mkdir(path.join(share, 'global-preferences.json'));
    const app = await createAppFixture({ env: { [globalPrefsDirVariable]: share } });
    const view = await app.services.prefs.view();
    expect(view.recoveries).toMatchObject([{ file: 'global', reason: 'unreadable', backupPath: null }]);
    expect(view.resolved.sources.smtp).toBe('default');
  });

  it('reports a share folder that is not there, and saving does not create it', async () => {
    const missing = path.join(await tempDir('kurier-mnt-'), 'office-share');
    const app = await createAppFixture({ env: { [globalPrefsDirVariable]: missing } });
    expect((await app.services.prefs.view()).globalLocation).toMatchObject({ source: 'environment', folderExists: false });
    await expect(app.services.prefs.updateGlobal({ language: 'cs' }, { action: 'keep' })).rejects.toMatchObject({
      code: 'prefs.notWritable',
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('shows what another administrator saved when the window opens again', async () => {
    const first = await createAppFixture();
    const second = await createAppFixture({ machinePrefsDir: first.machinePrefsDir });
    await first.services.prefs.updateGlobal({ personalEmail: 'kancelar@kancelar.example' }, { action: 'keep' });
    expect((await second.services.prefs.view()).global.personalEmail).toBe('kancelar@kancelar.example');
  });
});

describe('layering the user over the office over the defaults', () => {
  it('shows every value with its source, and returning to the office value is removing the override', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal(
      { personalEmail: 'kancelar@kancelar.example', smtp: account, bulk: { messagesPerMinute: 10, messagesPerDay: 300 } },
      { action: 'keep' },
    );
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { personalEmail: 'jana@kancelar.example', language: 'cs' } },
      { action: 'keep' },
    );

    let view = await app.services.prefs.view();
    expect(view.resolved.sources).toEqual({
      smtp: 'global',
      personalEmail: 'user',
      sending: 'default',
      bulk: 'global',
      language: 'user',
      templates: 'default',
      notifications: 'default',
      oauthApps: 'default',
    });
    expect(view.resolved.effective).toMatchObject({
      personalEmail: 'jana@kancelar.example',
      language: 'cs',
      smtp: account,
      sending: sectionDefaults.sending,
      bulk: { messagesPerMinute: 10 },
    });

    view = await app.services.prefs.updateUser({ ...view.user, overrides: { language: 'cs' } }, { action: 'keep' });
    expect(view.resolved.sources.personalEmail).toBe('global');
    expect(view.resolved.effective.personalEmail).toBe('kancelar@kancelar.example');
    expect(app.services.prefs.sendingAccount()).toEqual({ scope: 'global', account });

    await app.services.prefs.updateUser(
      { ...view.user, overrides: { language: 'cs', smtp: { ...account, host: 'smtp.jana.example' } } },
      { action: 'keep' },
    );
    expect(app.services.prefs.sendingAccount()).toMatchObject({ scope: 'user', account: { host: 'smtp.jana.example' } });
  });

  it('lets a user override the office SMTP account with none at all', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: account }, { action: 'keep' });
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: null } },
      { action: 'keep' },
    );
    expect(app.services.prefs.sendingAccount()).toBeNull();
    expect(app.services.prefs.resolved().sources.smtp).toBe('user');
  });
});

describe('a global folder the user may not write to', () => {
  it('reads it, says it is read-only, and refuses to save with "needs administrator rights"', async () => {
    const office = { version: 1, prefs: { personalEmail: 'kancelar@kancelar.example' } };
    const dir = readOnlyDir({ 'global-preferences.json': JSON.stringify(office) });
    const app = await createAppFixture({ machinePrefsDir: dir });

    const view = await app.services.prefs.view();
    expect(view.globalLocation).toMatchObject({ source: 'machine', writable: false });
    expect(view.resolved.effective.personalEmail).toBe('kancelar@kancelar.example');

    await expect(
      app.services.prefs.updateGlobal({ personalEmail: 'jiny@kancelar.example' }, { action: 'keep' }),
    ).rejects.toMatchObject({
      code: 'prefs.globalNotWritable',
      details: { path: path.join(dir, 'global-preferences.json') },
    });
    expect(JSON.parse(await readFile(path.join(dir, 'global-preferences.json'), 'utf8'))).toEqual(office);
    expect(app.services.prefs.globalPrefs().personalEmail).toBe('kancelar@kancelar.example');
  });

  it('reports a corrupted file it cannot move aside, and leaves it as it is', async () => {
    const dir = readOnlyDir({ 'global-preferences.json': '{"version":1,"prefs":' });
    const app = await createAppFixture({ machinePrefsDir: dir });

    const view = await app.services.prefs.view();
    expect(view.recoveries).toEqual([
      { file: 'global', filePath: path.join(dir, 'global-preferences.json'), backupPath: null, reason: 'notJson' },
    ]);
    expect(view.resolved.sources.personalEmail).toBe('default');
    expect(await readdir(dir)).toEqual(['global-preferences.json']);
  });

  it('creates the machine folder when it may, on the first save', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ language: 'cs' }, { action: 'keep' });
    const saved = JSON.parse(await readFile(path.join(app.machinePrefsDir, 'global-preferences.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ version: 1, prefs: { language: 'cs' } });
  });
});

describe.skipIf(!keyringAvailable)('the office account password', () => {
  it("is kept in this user's keychain under the global scope, never in the office file", async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: account }, { action: 'set', value: 'heslo-kanceláře' });
    expect(await savedSmtpPassword(app.secrets, { scope: 'global', id: 'smtp:default' })).toBe('heslo-kanceláře');
    expect(await readFile(path.join(app.machinePrefsDir, 'global-preferences.json'), 'utf8')).not.toContain('heslo');
    expect((await app.services.prefs.view()).passwords).toEqual({
      user: { saved: false, inSession: false, rejected: false, withheld: null },
      global: { saved: true, inSession: false, rejected: false, withheld: null },
    });
  });
});
