/**
 * The export dialog's routes end to end in Chromium through the web shell, on Linux: every route is
 * offered, the ones that cannot work here are greyed out with the reason, SMTP without an account offers
 * a mail program instead, and a mailto hand-off says honestly that the PDF must be attached by hand —
 * naming the copy Kurier left in the visible hand-off folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createAppFixture } from '../support/app-fixture';
import { fakeProgramProbe } from '../support/fake-program-probe';
import { launchTestBrowser, openTab } from '../support/browser';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const invoiceNumber = 'FV-2026-0001';

describe('handing the copy to a mail program', () => {
  test(
    'routes with reasons, SMTP without an account replaced by a mail program, and a mailto hand-off that names the file to attach',
    { timeout: 60_000 },
    async () => {
      const documentsDir = await tempDir('kurier-documents-');
      const fixture = await createAppFixture({ documentsDir });
      await fixture.services.prefs.updateUser(
        { exportFolder: '', globalPrefsFolder: '', overrides: { language: 'en' } },
        { action: 'keep' },
      );
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click());
      await dialog.getByLabel('Send a copy to e-mail').check();

      const route = dialog.getByLabel('Send the copy through');
      // Outlook needs Windows: offered, greyed out, and the reason is written out.
      expect(await route.locator('option[value="outlook"]').isDisabled()).toBe(true);
      await dialog
        .getByTestId('route-reasons')
        .getByText('Microsoft Outlook: This way of sending is not available on this operating system.')
        .waitFor();
      // No SMTP account yet: Kurier's own sending is not available either, and a mail program is offered instead.
      expect(await route.locator('option[value="smtp"]').isDisabled()).toBe(true);
      expect(await route.locator('option[value="mailto"]').isDisabled()).toBe(false);
      expect(await route.inputValue()).not.toBe('smtp');

      await route.selectOption('mailto');
      await dialog.getByTestId('route-note-noAttachments').waitFor();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog
        .getByTestId('mail-handed-off')
        .getByText('is open in your mail program, without the PDF: attach the file', { exact: false })
        .waitFor();
      expect(
        await dialog.getByTestId('mail-handed-off').getByText('A mailto link (no attachment)', { exact: false }).count(),
      ).toBe(0);
      await dialog.getByText('A mailto link cannot carry the PDF', { exact: false }).first().waitFor();
      const attach = await dialog.getByText('Attach this file:').textContent();
      const filePath = (attach ?? '').replace('Attach this file: ', '').trim();
      expect(path.basename(filePath)).toMatch(/\.pdf$/);
      expect((await readFile(filePath)).subarray(0, 5).toString()).toBe('%PDF-');
      // "Show the file": main checks the path is Kurier's own; the web shell has no file manager and says so.
      await dialog.getByRole('button', { name: 'Show the file in its folder' }).click();
      await dialog
        .getByTestId('attach-by-hand')
        .getByRole('status')
        .getByText('This window cannot open the folder', { exact: false })
        .waitFor();
    },
  );

  test(
    'the sending preferences choose how Outlook takes the message, and explain its security prompt',
    { timeout: 60_000 },
    async () => {
      const fixture = await createAppFixture();
      await fixture.services.prefs.updateUser(
        { exportFolder: '', globalPrefsFolder: '', overrides: { language: 'en' } },
        { action: 'keep' },
      );
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const prefs = await openTab(context, () => documents.getByRole('button', { name: 'User preferences' }).click());
      await prefs.getByRole('button', { name: 'Use my own setting – Sending' }).click();

      const outlook = prefs.getByLabel('In Outlook', { exact: true });
      expect(await outlook.inputValue()).toBe('display');
      // The explanation is tied to the field, so a screen reader reads it with the choice.
      const hint = await outlook.getAttribute('aria-describedby');
      expect(await prefs.locator(`[id="${hint ?? ''}"]`).textContent()).toContain(
        'Outlook ask whether Kurier may send on your behalf',
      );
      await outlook.selectOption({ label: 'Send at once without showing it' });
      await prefs.getByRole('button', { name: 'Save', exact: true }).click();
      await prefs.getByText('Preferences saved.').waitFor();

      expect(fixture.services.prefs.resolved().effective.sending.outlookMode).toBe('send');
      expect(JSON.parse(await readFile(path.join(fixture.dataDir, 'user-preferences.json'), 'utf8'))).toMatchObject({
        prefs: { overrides: { sending: { outlookMode: 'send' } } },
      });
    },
  );

  test(
    'Outlook on Windows: "send at once" says Outlook took it, and a prompt still open is said too',
    { timeout: 60_000 },
    async () => {
      // Outlook cannot run on Linux: the routes see a Windows with classic Outlook registered, and the
      // PowerShell launch is answered here — what is checked is what the dialog tells the user.
      const classic = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE';
      const answers: ('done' | 'stillRunning')[] = ['done', 'stillRunning'];
      const launched: string[][] = [];
      const fixture = await createAppFixture({
        handoff: {
          platform: 'win32',
          env: { SystemRoot: 'C:\\Windows' },
          probe: fakeProgramProbe({
            files: [classic],
            answers: {
              'C:\\Windows\\System32\\reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE /ve': `    (Default)    REG_SZ    ${classic}\r\n`,
            },
          }),
          launch: (argv) => {
            launched.push([...argv]);
            return Promise.resolve(answers.shift() === 'done' ? { kind: 'exited', code: 0, stderr: '' } : { kind: 'running' });
          },
        },
      });
      await fixture.services.prefs.updateUser(
        {
          exportFolder: '',
          globalPrefsFolder: '',
          overrides: {
            language: 'en',
            sending: { route: 'outlook', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'send' },
          },
        },
        { action: 'keep' },
      );
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click());
      const route = dialog.getByLabel('Send the copy through');
      await dialog.getByLabel('Subject', { exact: true }).waitFor();
      expect(await route.inputValue()).toBe('outlook');
      const to = await dialog.getByLabel('Recipient', { exact: true }).inputValue();

      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog
        .getByTestId('mail-handed-off')
        .getByText(`Microsoft Outlook took the e-mail to ${to}: it is in its Outbox or Sent folder.`)
        .waitFor();
      // The PDF reached Outlook: nothing to attach by hand.
      expect(await dialog.getByText('Attach this file:').count()).toBe(0);
      expect(launched[0]?.[0]).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
      const data = JSON.parse(await readFile(launched[0]?.at(-1) ?? '', 'utf8')) as { mode: string; to: string[] };
      expect(data).toMatchObject({ mode: 'send', to: [to] });

      // After a copy went out the dialog offers Close; exporting again is a deliberate step.
      await dialog.getByRole('button', { name: 'Export again…' }).click();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByText('Outlook has not answered yet', { exact: false }).waitFor();
      await dialog.getByTestId('mail-handed-off').getByText('is open in Microsoft Outlook', { exact: false }).waitFor();
    },
  );
});
