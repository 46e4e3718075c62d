/**
 * The office-file review on real files in temporary folders: what a new user and an updated user are
 * asked to confirm, that saving the office preferences confirms only what the save changed, and the
 * warning when the file or its folder may be written by others (chmod 0666 / 0777).
 */
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmationsFileName } from '../../../../electron/services/prefs/office-confirmations';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import type { GlobalPrefs, SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture } from '../../../support/app-fixture';
import { tempDir } from '../../../support/temp-dir';

const account: SmtpAccount = {
  senderName: 'Kancelář Bílá',
  senderAddress: 'ucetni@kancelar.example',
  replyTo: 'fakturace@kancelar.example',
  bccSelf: false,
  host: 'smtp.kancelar.example',
  port: 587,
  security: 'starttls',
  cipherStrength: 'default',
  auth: 'password',
  username: 'ucetni@kancelar.example',
  trustedCertificate: '',
};

async function officeFolder(prefs: GlobalPrefs): Promise<string> {
  const dir = path.join(await tempDir('kurier-office-'), 'kurier');
  await mkdir(dir, { mode: 0o755 });
  await writeFile(path.join(dir, globalPrefsFileName), JSON.stringify({ version: 1, prefs }), { mode: 0o644 });
  await chmod(dir, 0o755);
  return dir;
}

describe('what a user is asked to confirm', () => {
  it('accepts the office values silently for a user who has never seen any, and keeps the record private', async () => {
    const machinePrefsDir = await officeFolder({
      smtp: account,
      templates: { 'invoice.cs': { subject: 'Faktura', body: 'Účet 123/0800' } },
    });
    const app = await createAppFixture({ machinePrefsDir });

    const review = await app.services.prefs.officeReview();

    expect(review.changes).toEqual([]);
    expect(review.permissions).toEqual([]);
    expect(review.filePath).toBe(path.join(machinePrefsDir, globalPrefsFileName));
    expect((await stat(path.join(app.dataDir, confirmationsFileName))).mode & 0o777).toBe(0o600);
  });

  it('asks a user who has sent with office values before (no record yet) to confirm every group set', async () => {
    const machinePrefsDir = await officeFolder({
      smtp: account,
      sending: {
        route: 'smtp',
        sendCopy: false,
        cc: '',
        bcc: 'archiv@kancelar.example',
        payslipProtection: 'optional',
        outlookMode: 'send',
      },
    });
    const dataDir = await tempDir('kurier-data-');
    await writeFile(path.join(dataDir, 'user-preferences.json'), JSON.stringify({ version: 2, prefs: { overrides: {} } }));
    const app = await createAppFixture({ machinePrefsDir, dataDir });

    const review = await app.services.prefs.officeReview();

    expect(review.changes.map((change) => change.group)).toEqual(['server', 'sender', 'replyTo', 'copies', 'outlookSendAtOnce']);
    expect(review.changes.find((change) => change.group === 'copies')?.items).toEqual(['bcc']);
    expect(review.holding).toEqual(['server', 'sender', 'replyTo', 'copies', 'outlookSendAtOnce']);
    expect(review.confirmedAt).toBeNull();
  });

  it('counts saving the office preferences as confirming what the save changed, and nothing else', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: account }, { action: 'keep' });
    const filePath = path.join(app.machinePrefsDir, globalPrefsFileName);
    await writeFile(
      filePath,
      JSON.stringify({ version: 1, prefs: { smtp: { ...account, replyTo: 'platby@podvodnik.example' } } }),
    );
    const seen = await app.services.prefs.view();

    await app.services.prefs.updateGlobal(
      { ...seen.global, smtp: { ...account, replyTo: 'platby@podvodnik.example', senderName: 'Kancelář Bílá s.r.o.' } },
      { action: 'keep' },
    );

    const review = await app.services.prefs.officeReview();
    expect(review.changes).toEqual([{ group: 'replyTo', items: ['replyTo'] }]);
    expect(review.confirmedAt).toBe(new Date('2026-11-23T09:00:00Z').getTime());
  });
});

describe('who else may write the office file', () => {
  it('warns when the file is 0666 and its folder 0777', async () => {
    const machinePrefsDir = await officeFolder({ smtp: account });
    const filePath = path.join(machinePrefsDir, globalPrefsFileName);
    await chmod(filePath, 0o666);
    await chmod(machinePrefsDir, 0o777);
    const app = await createAppFixture({ machinePrefsDir });

    const { permissions } = await app.services.prefs.officeReview();

    expect(permissions).toEqual(
      expect.arrayContaining([
        { path: filePath, kind: 'file', writableBy: 'others', principal: '' },
        { path: machinePrefsDir, kind: 'folder', writableBy: 'others', principal: '' },
      ]),
    );
  });

  it('warns about the folder alone when the file does not exist yet', async () => {
    const machinePrefsDir = path.join(await tempDir('kurier-office-'), 'kurier');
    await mkdir(machinePrefsDir);
    await chmod(machinePrefsDir, 0o777);
    const app = await createAppFixture({ machinePrefsDir });

    const { permissions, modifiedAt } = await app.services.prefs.officeReview();

    expect(modifiedAt).toBeNull();
    expect(permissions).toEqual([{ path: machinePrefsDir, kind: 'folder', writableBy: 'others', principal: '' }]);
  });
});
