/**
 * How strongly a protected payslip is locked, checked with qpdf and poppler on every payslip PDF Kurier
 * writes — saved by a bulk send, attached to its e-mails, and exported one by one: AES-256 with the
 * revision 6 security handler (PDF 2.0's hardened password hash, where revision 5 costs an attacker
 * one SHA-256 a guess), opening with the employee's password only, and the permissions the README
 * promises (printing allowed; changing, copying, annotating, filling forms and assembling not).
 *
 * qpdf is a test tool only: Kurier itself never runs it.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payslipPasswordKey } from '../../../../electron/services/payslips/payslip-passwords';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
let certificate: TestCertificate;
let server: SmtpTestServer;
beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: false });
});
afterAll(() => server.close());

/**
 * P for "print (bit 3) and print in high quality (bit 12), extract for accessibility (bit 10)" and
 * nothing else: the reserved bits 7–8 and 13–32 are 1, every other permission bit is 0.
 */
const expectedP = ~0xfff | 0b1100_0000 | (1 << 2) | (1 << 9) | (1 << 11);

/** What `qpdf --show-encryption` says of a file opened with its user password. */
async function encryptionOf(file: string, password: string): Promise<string> {
  return (await run('qpdf', [`--password=${password}`, '--show-encryption', file], { encoding: 'utf8' })).stdout;
}

async function expectLockedWith(file: string, password: string, name: string): Promise<void> {
  const shown = await encryptionOf(file, password);
  expect(shown, file).toMatch(/^R = 6$/m);
  expect(shown).toContain('Supplied password is user password');
  expect(shown).toMatch(new RegExp(`^P = ${String(expectedP)}$`, 'm'));
  for (const allowed of ['print low resolution', 'print high resolution', 'extract for accessibility'])
    expect(shown).toContain(`${allowed}: allowed`);
  for (const refused of [
    'modify anything',
    'modify other',
    'modify annotations',
    'modify forms',
    'modify document assembly',
    'extract for any purpose',
  ]) {
    expect(shown).toContain(`${refused}: not allowed`);
  }
  expect(shown).toMatch(/stream encryption method: AESv3\s+string encryption method: AESv3/);
  const { stdout } = await run('pdftotext', ['-upw', password, file, '-'], { encoding: 'utf8' });
  expect(stdout).toContain(name);
  await expect(run('pdftotext', [file, '-'])).rejects.toMatchObject({
    stderr: expect.stringMatching(/Incorrect password/i) as unknown,
  });
  await expect(run('pdftotext', ['-upw', `${password}x`, file, '-'])).rejects.toBeDefined();
  // Without a password qpdf still reads the (unencrypted) security dictionary, but cannot decrypt.
  const unopened = (await run('qpdf', ['--show-encryption', file], { encoding: 'utf8' })).stdout;
  expect(unopened).toContain('Incorrect password supplied');
  expect(unopened).toMatch(/^R = 6$/m);
  await expect(run('qpdf', ['--decrypt', file, `${file}.decrypted`])).rejects.toMatchObject({
    stderr: expect.stringMatching(/invalid password/i) as unknown,
  });
}

describe.skipIf(!keyringAvailable)('every payslip PDF Kurier writes', () => {
  it(
    'is AES-256 revision 6, opens with the employee password only, and may be printed, not changed',
    { timeout: 60_000 },
    async () => {
      const app = await createAppFixture();
      await app.services.prefs.updateGlobal(
        { smtp: testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert }) },
        { action: 'set', value: 'správné-heslo' },
      );
      await app.services.prefs.updateUser(
        { exportFolder: '', globalPrefsFolder: '', overrides: { bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 } } },
        { action: 'keep' },
      );
      const staff = app.services.documents.listPartners().filter((partner) => partner.kind === 'employee');
      const passwords = new Map<number, string>();
      for (const employee of staff) {
        await app.services.payslips.change(employee, { action: 'generate' });
        passwords.set(employee.id, (await app.secrets.get(payslipPasswordKey(employee.id))) ?? '');
      }
      const payslips = app.services.documents.listDocuments().filter((doc) => doc.kind === 'payslip');
      const { batchId } = await app.services.batches.start({
        documentIds: payslips.map((doc) => doc.id),
        target: { kind: 'partner' },
        folder: app.exportDir,
        testToMe: false,
        spreadOverDays: false,
      });
      await expect.poll(() => app.services.outbox.batch(batchId)?.status, { timeout: 30_000 }).toBe('done');
      const single = payslips[0];
      if (!single) throw new Error('no payslip in the demo data');
      await app.services.exporter.exportFile(single.id, app.exportDir);

      // Saved files: the database says which employee's password protects each.
      const exports = app.services.db
        .prepare('SELECT partner_id AS partnerId, file_path AS filePath FROM payslip_exports')
        .all() as { partnerId: number; filePath: string }[];
      expect(exports.length).toBe(payslips.length + 1);
      for (const { partnerId, filePath } of exports) {
        const employee = staff.find((partner) => partner.id === partnerId);
        await expectLockedWith(filePath, passwords.get(partnerId) ?? '', employee?.name ?? 'unknown');
      }

      // Attachments: the e-mail's recipient says whose payslip it is.
      const received = server.received.splice(0);
      expect(received).toHaveLength(payslips.length);
      const attachments = await tempDir('kurier-attachments-');
      for (const [index, message] of received.entries()) {
        const employee = staff.find((partner) => message.envelopeTo.includes(partner.email));
        const [pdf] = message.parsed.attachments.filter((attachment) => attachment.contentType === 'application/pdf');
        if (!employee || !pdf) throw new Error(`message ${String(index)} is not a payslip for an employee`);
        const file = path.join(attachments, `${String(index)}.pdf`);
        await writeFile(file, pdf.content);
        await expectLockedWith(file, passwords.get(employee.id) ?? '', employee.name);
      }
    },
  );
});
