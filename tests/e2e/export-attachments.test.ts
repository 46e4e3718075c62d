/**
 * Extra attachments in the export dialog, in Chromium through the web shell: the user adds files with
 * "Add files…" (the browser's picker), sees them listed with a Remove button each (named after its file,
 * usable from the keyboard), and the real SMTP server gets the PDF and the added files byte for byte — a
 * 3 MB scan too, which the page hands to main in parts (one WebSocket frame takes at most 1 MiB). A file
 * over what the page can hand over (20 MB) is refused in words. Zero axe violations with files listed and with the
 * error shown.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { expectNoAxeViolations } from '../support/axe';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const invoiceNumber = 'FV-2026-0001';

describe.skipIf(!keyringAvailable)('extra attachments in the export dialog', () => {
  test(
    'added, removed from the keyboard, added again, and received with the PDF byte for byte',
    { timeout: 90_000 },
    async () => {
      const certificate = createTestCertificate();
      const server = await startSmtpTestServer({ certificate, secure: false });
      onTestFinished(() => server.close());
      const app = await createAppFixture();
      await app.services.prefs.updateUser(
        {
          exportFolder: '',
          globalPrefsFolder: '',
          overrides: {
            language: 'en',
            smtp: testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert }),
            sending: { route: 'smtp', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'display' },
          },
        },
        { action: 'set', value: 'správné-heslo' },
      );
      const folder = await tempDir('kurier-user-files-');
      const contract = path.join(folder, 'Smlouva o vedení účetnictví.pdf');
      const contractBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(150_000)]);
      await writeFile(contract, contractBytes);
      const sheet = path.join(folder, 'výpis listopad.csv');
      const sheetBytes = Buffer.from('datum;částka\n2026-11-01;1210,00\n', 'utf8');
      await writeFile(sheet, sheetBytes);
      const scan = path.join(folder, 'sken.pdf');
      const scanBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3 * 1024 * 1024)]);
      await writeFile(scan, scanBytes);
      // 21 MB without writing them: a sparse file.
      const video = path.join(folder, 'video.mp4');
      const handle = await open(video, 'w');
      await handle.truncate(21 * 1024 * 1024);
      await handle.close();

      const shell = await startTestWebShell(app);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const dialog = await openTab(context, () =>
        documents.getByRole('button', { name: `Export… ${invoiceNumber}`, exact: true }).click(),
      );
      await dialog.getByLabel('Subject', { exact: true }).waitFor();
      const files = dialog.getByRole('group', { name: 'Other attachments' });
      await files.getByText('No other files.').waitFor();

      const pick = async (paths: string[]) => {
        const [chooser] = await Promise.all([
          dialog.waitForEvent('filechooser'),
          files.getByRole('button', { name: 'Add files…' }).click(),
        ]);
        await chooser.setFiles(paths);
      };
      await pick([contract, sheet]);
      const list = files.getByRole('list', { name: 'Other attachments' });
      await list.getByRole('listitem').nth(1).waitFor();
      expect(await list.getByRole('listitem').allTextContents()).toEqual([
        `${path.basename(contract)} 150 kB Remove`,
        `${path.basename(sheet)} 0.1 kB Remove`,
      ]);
      await expectNoAxeViolations(dialog, 'export dialog with added files');
      await dialog.emulateMedia({ colorScheme: 'dark' });
      await expectNoAxeViolations(dialog, 'export dialog with added files (dark)');
      await dialog.emulateMedia({ colorScheme: 'light' });

      // Remove from the keyboard: the button is named after its file; focus stays in the section.
      const removeSheet = files.getByRole('button', { name: `Remove ${path.basename(sheet)}` });
      await removeSheet.focus();
      await dialog.keyboard.press('Enter');
      await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
      expect(await dialog.evaluate(() => document.activeElement?.textContent)).toBe('Add files…');
      await pick([sheet]);
      await list.getByRole('listitem').nth(1).waitFor();

      // A file larger than the page can hand to Kurier is refused in words, the list stays as it was.
      await pick([video]);
      await files
        .getByRole('alert')
        .getByText('video.mp4 is larger than this browser window can hand to Kurier (20 MB).')
        .waitFor();
      expect(await list.getByRole('listitem').count()).toBe(2);
      await expectNoAxeViolations(dialog, 'export dialog, a file refused');
      await dialog.emulateMedia({ colorScheme: 'dark' });
      await expectNoAxeViolations(dialog, 'export dialog, a file refused (dark)');
      await dialog.emulateMedia({ colorScheme: 'light' });
      // A 3 MB file, far over one frame, goes in parts and is listed like the others.
      await pick([scan]);
      await list.getByRole('listitem').nth(2).waitFor();
      expect(await list.getByRole('listitem').nth(2).textContent()).toMatch(/^sken\.pdf 3(\.\d)? MB Remove$/);

      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();
      const message = await server.nextMessage();
      const [pdf, ...rest] = message.parsed.attachments;
      const saved = (await readdir(app.exportDir)).filter((name) => name.endsWith('.pdf'));
      expect(saved).toHaveLength(1);
      expect(pdf?.filename).toBe(saved[0]);
      expect(pdf?.content.equals(await readFile(path.join(app.exportDir, saved[0] ?? '')))).toBe(true);
      const added = rest.filter((attachment) => !attachment.filename?.endsWith('.isdoc'));
      expect(added.map((attachment) => attachment.filename)).toEqual([
        path.basename(contract),
        path.basename(sheet),
        path.basename(scan),
      ]);
      expect(added[0]?.content.equals(contractBytes)).toBe(true);
      expect(added[1]?.content.equals(sheetBytes)).toBe(true);
      expect(added[2]?.content.equals(scanBytes)).toBe(true);
    },
  );
});
