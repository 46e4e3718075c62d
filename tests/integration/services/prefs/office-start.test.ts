/**
 * An office preferences file that does not answer at start-up (issue 18, item 5) — a FIFO without a
 * writer stands in for a hung network share. The services start anyway within the deadline, on the
 * office defaults, and say the file is not answering; the stand-in defaults are not taken for an office
 * change (nothing to confirm, no first-run acceptance of them), and sending with office values in force
 * waits instead of going out with the wrong ones. When the file answers, its values arrive without a
 * restart and sending may go on.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { OfficeConfirmations } from '../../../../electron/services/prefs/office-confirmations';
import { readOfficeAtStart } from '../../../../electron/services/prefs/office-file';
import { officeSnapshot } from '../../../../electron/services/prefs/office-snapshot';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import { createTranslator } from '../../../../shared/i18n';
import type { GlobalPrefs, SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture } from '../../../support/app-fixture';
import { documentsWithAddress } from '../../../support/outbox-fixture';
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
const office: GlobalPrefs = {
  smtp: account,
  sending: {
    route: 'smtp',
    sendCopy: false,
    cc: '',
    bcc: 'archiv@kancelar.example',
    payslipProtection: 'optional',
    outlookMode: 'send',
  },
};
const officeText = `${JSON.stringify({ version: 1, prefs: office })}\n`;

/** A share folder whose office file is a FIFO without a writer: reading it waits for ever. */
async function hungShare(): Promise<{ machinePrefsDir: string; filePath: string }> {
  const machinePrefsDir = await tempDir('kurier-hung-share-');
  const filePath = path.join(machinePrefsDir, globalPrefsFileName);
  execFileSync('mkfifo', [filePath]);
  return { machinePrefsDir, filePath };
}

/** The share answers: the hung read gets the text, and a regular file takes the FIFO's place. */
async function answer(filePath: string): Promise<void> {
  const writer = openSync(filePath, constants.O_WRONLY | constants.O_NONBLOCK);
  writeSync(writer, officeText);
  closeSync(writer);
  await writeFile(`${filePath}.tmp`, officeText);
  await rename(`${filePath}.tmp`, filePath);
}

async function startHung(dataDir: string, machinePrefsDir: string) {
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 20);
  const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir, env: {}, timeoutMs: 500 });
  clearInterval(ticker);
  // The thread stayed free while the read hung, and the start did not wait past the deadline.
  expect(ticks).toBeGreaterThan(5);
  expect(officeStart.outcome.answered).toBe(false);
  return createAppFixture({ dataDir, machinePrefsDir, officeStart });
}

describe('an office file that does not answer at start-up', () => {
  it('starts the app anyway, says so, holds sending, and brings the office values in when it answers', async () => {
    const { machinePrefsDir, filePath } = await hungShare();
    const dataDir = await tempDir('kurier-data-');
    const app = await startHung(dataDir, machinePrefsDir);
    const prefs = app.services.prefs;
    const events: string[] = [];
    prefs.onAccountEvent((event, scope) => events.push(`${event}:${scope}`));

    const view = await prefs.view();
    expect(view.globalLocation.notAnsweringSince).not.toBeNull();
    // No copy was ever read: the banner must not claim Kurier keeps using one.
    expect(view.globalLocation.neverRead).toBe(true);
    expect(view.global.smtp).toBeUndefined();
    expect(createTranslator('cs')('prefs.officeNotAnswering', { path: filePath })).toContain(filePath);
    // The defaults standing in are not an office change: nothing to review or confirm.
    const review = await prefs.officeReview();
    expect(review.changes).toEqual([]);
    expect(review.holding).toEqual([]);
    expect((await prefs.confirmOffice(review.digests)).confirmed).toEqual([]);
    // Sending waits — no account, and the office values in force are not known — with a translated reason.
    expect(prefs.sendingAccount()).toBeNull();
    await expect(prefs.assertOfficeConfirmed()).rejects.toMatchObject({
      code: 'prefs.officeNotRead',
      details: { path: filePath },
    });
    for (const language of ['cs', 'pl', 'en'] as const) {
      const text = createTranslator(language)('errors.prefs.officeNotRead.message', { path: filePath });
      expect(text).toContain(filePath);
      expect(text).not.toContain('errors.');
    }

    // A batch is refused for the same reason, before anything is queued.
    const documentIds = documentsWithAddress(app, 1);
    await expect(
      app.services.batches.start({
        documentIds,
        target: { kind: 'partner' },
        folder: app.exportDir,
        testToMe: false,
        spreadOverDays: false,
      }),
    ).rejects.toMatchObject({ code: 'prefs.officeNotRead' });
    // Saving the office preferences would put the defaults shown over the office's values: refused.
    await expect(prefs.updateGlobal({ personalEmail: 'jina@kancelar.example' }, { action: 'keep' })).rejects.toMatchObject({
      code: 'prefs.notAnswering',
      details: { path: filePath },
    });

    await answer(filePath);

    await vi.waitFor(
      async () => {
        const again = await prefs.view();
        expect(again.globalLocation.notAnsweringSince).toBeNull();
        expect(again.globalLocation.neverRead).toBe(false);
        expect(again.global.smtp?.host).toBe('smtp.kancelar.example');
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(prefs.sendingAccount()?.account.host).toBe('smtp.kancelar.example');
    expect(prefs.resolved().effective.sending.bcc).toBe('archiv@kancelar.example');
    // A first run accepts the real office values (not the stand-in defaults): nothing waits for confirmation.
    expect((await prefs.officeReview()).changes).toEqual([]);
    await expect(prefs.assertOfficeConfirmed()).resolves.toBeUndefined();
    // Batches that waited go on: both scopes hear of the account.
    expect(events).toEqual(expect.arrayContaining(['accountSaved:user', 'accountSaved:global']));
  });

  it('does not take the stand-in defaults for a change of what an existing user confirmed', async () => {
    const { machinePrefsDir, filePath } = await hungShare();
    const dataDir = await tempDir('kurier-data-');
    await writeFile(path.join(dataDir, 'user-preferences.json'), JSON.stringify({ version: 2, prefs: { overrides: {} } }));
    // This user confirmed the office values on an earlier run.
    OfficeConfirmations.open(dataDir, {
      isNewUser: true,
      current: officeSnapshot(office),
      officePath: filePath,
      logger: createLogger('test', nullSink),
    });
    const app = await startHung(dataDir, machinePrefsDir);
    const prefs = app.services.prefs;

    expect((await prefs.officeReview()).changes).toEqual([]);
    // Waits because the values are unknown — not "the office changed".
    await expect(prefs.assertOfficeConfirmed()).rejects.toMatchObject({ code: 'prefs.officeNotRead' });

    await answer(filePath);
    await vi.waitFor(() => {
      expect(prefs.sendingAccount()?.account.host).toBe('smtp.kancelar.example');
    });
    expect((await prefs.officeReview()).changes).toEqual([]);
    await expect(prefs.assertOfficeConfirmed()).resolves.toBeUndefined();
  });

  it('is read at once when it answers in time', async () => {
    const machinePrefsDir = await tempDir('kurier-share-');
    await writeFile(path.join(machinePrefsDir, globalPrefsFileName), officeText);
    const dataDir = await tempDir('kurier-data-');
    const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir, env: {} });
    expect(officeStart.outcome.answered).toBe(true);
    const app = await createAppFixture({ dataDir, machinePrefsDir, officeStart });
    const view = await app.services.prefs.view();
    expect(view.global.smtp?.host).toBe('smtp.kancelar.example');
    expect(view.globalLocation.notAnsweringSince).toBeNull();
    await expect(app.services.prefs.assertOfficeConfirmed()).resolves.toBeUndefined();
  });
});
