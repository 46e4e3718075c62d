/**
 * "Open PDF" in the document list is a look, not an export: previewing a password-protected payslip
 * shows it exactly as an export would write it (still locked), but records no payslip export, reports no
 * export progress to open windows and logs no export — only a real export does.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHandlers, type ShellAdapter } from '../../../../electron/ipc/handlers';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';

const run = promisify(execFile);

/** The web shell's side of Open PDF: no system viewer, the PDF goes back to the page. */
const webShell: ShellAdapter = {
  kind: 'web',
  version: 'test',
  systemLanguage: 'en',
  chooseFolder: () => Promise.resolve({ supported: false, path: null }),
  openWindow: () => Promise.resolve({ opened: false, url: '' }),
  openExternal: () => Promise.resolve(false),
  revealFile: () => Promise.resolve(false),
};

describe.skipIf(!keyringAvailable)('Open PDF of a protected payslip', () => {
  it('shows it locked as exported, yet records no payslip export, no progress and no export in the log', async () => {
    const logged: string[] = [];
    const app = await createAppFixture({ logSink: (line) => logged.push(line) });
    const employee = app.services.documents.listPartners().find((partner) => partner.kind === 'employee');
    if (!employee) throw new Error('no employee in the demo data');
    const payslip = app.services.documents.listDocuments().find((doc) => doc.kind === 'payslip' && doc.partnerId === employee.id);
    if (!payslip) throw new Error('no payslip in the demo data');
    await app.services.payslips.change(employee, { action: 'set', value: 'Tajné-heslo-2026' });
    const exportsRecorded = () => (app.services.db.prepare('SELECT COUNT(*) AS n FROM payslip_exports').get() as { n: number }).n;
    logged.length = 0;

    const opened = await createHandlers(app.services, webShell)['documents:openPdf']({ documentId: payslip.id });

    const preview = Buffer.from(opened.base64, 'base64');
    expect(preview.subarray(0, 5).toString()).toBe('%PDF-');
    // What the user sees is the protected file an export writes: it does not open without the password.
    const file = path.join(app.exportDir, 'preview.pdf');
    await writeFile(file, preview);
    await expect(run('pdfinfo', [file])).rejects.toMatchObject({
      stderr: expect.stringMatching(/Incorrect password/i) as unknown,
    });
    await run('pdfinfo', ['-upw', 'Tajné-heslo-2026', file]);
    expect(exportsRecorded()).toBe(0);
    expect(app.events.filter((event) => event.documentId === payslip.id)).toEqual([]);
    expect(logged.filter((line) => line.includes('"exported"'))).toEqual([]);

    // A real export is recorded (the count above could not stay 0 by accident).
    await app.services.exporter.exportFile(payslip.id, app.exportDir);
    expect(exportsRecorded()).toBe(1);
  });
});
