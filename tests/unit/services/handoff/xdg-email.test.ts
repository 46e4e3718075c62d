/**
 * xdg-email's argv, the mailto handler that decides whether attachments survive, and (where xdg-utils
 * is installed) the real xdg-email reading our argv: its `xdg-email-hook.sh` interception point
 * receives the mailto URI it built, and nothing is launched.
 */
import { execFile } from 'node:child_process';
import { access, chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUnsplittablePath, xdgEmailArgv } from '../../../../electron/services/handoff/xdg-email';
import { tempDir } from '../../../support/temp-dir';

const mail = {
  to: ['jana@firma.cz', 'petr@firma.cz'],
  cc: ['eva@firma.cz'],
  bcc: ['archiv@dvorak-stavby.cz'],
  subject: "Faktura FV-2026-0001, 'Dvořák & synové'; $(id) `id` | %HOME%",
  text: 'Dobrý den,\nv příloze posíláme fakturu.\n"S pozdravem"',
  attachments: [{ path: '/home/jana/Documents/Kurier/Outbox/2026-03-01-0a1b2c3d/Faktura č. 1.pdf' }],
};

describe('xdgEmailArgv', () => {
  it('puts every value in its own element, recipients last', () => {
    expect(xdgEmailArgv(mail)).toEqual([
      '/usr/bin/xdg-email',
      '--utf8',
      '--cc',
      'eva@firma.cz',
      '--bcc',
      'archiv@dvorak-stavby.cz',
      '--subject',
      mail.subject,
      '--body',
      mail.text,
      '--attach',
      '/home/jana/Documents/Kurier/Outbox/2026-03-01-0a1b2c3d/Faktura č. 1.pdf',
      'jana@firma.cz',
      'petr@firma.cz',
    ]);
  });

  it('leaves out an empty subject and body, which xdg-email rejects', () => {
    expect(
      xdgEmailArgv({ to: ['jana@firma.cz'], cc: [], bcc: [], subject: '', text: '', attachments: [] }, '/opt/bin/xdg-email'),
    ).toEqual(['/opt/bin/xdg-email', '--utf8', 'jana@firma.cz']);
  });

  it.each([
    "/home/jana/Documents/Kurier/Outbox/Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf",
    "/home/jana/Documents/Kurier/Outbox/Evil s.r.o.',bcc=attacker@evil.example,x.pdf",
    '/home/jana/Documents/Kurier/Outbox/100% \\x41.pdf',
  ])('refuses an attachment path xdg-email could split or end early: %j', (attachment) => {
    expect(isUnsplittablePath(attachment)).toBe(false);
    expect(() => xdgEmailArgv({ ...mail, attachments: [{ path: attachment }] })).toThrow(
      expect.objectContaining({ code: 'input.invalid' }),
    );
  });

  it('refuses a recipient that xdg-email would take for an option', () => {
    expect(() => xdgEmailArgv({ ...mail, to: ['-x@firma.cz'] })).toThrow(
      expect.objectContaining({ code: 'mail.invalidAddress' }),
    );
  });
});

const xdgEmail = '/usr/bin/xdg-email';
const hasXdgEmail = await access(xdgEmail).then(
  () => true,
  () => false,
);

describe.skipIf(!hasXdgEmail)('the real xdg-email (skipped where xdg-utils is missing)', () => {
  it('builds a mailto URI from our argv in which every value stays in its field', async () => {
    const dir = await tempDir();
    const attachment = path.join(dir, 'Faktura č. 1.pdf');
    await writeFile(attachment, '%PDF-1.7\n');
    const capture = path.join(dir, 'captured.txt');
    const hook = path.join(dir, 'xdg-email-hook.sh');
    await writeFile(hook, `#!/bin/sh\nprintf '%s' "$1" > '${capture}'\n`);
    await chmod(hook, 0o755);
    // The backslash is left out on purpose: xdg-email passes values through sh's echo, which reads
    // backslash escapes (an xdg-utils bug that garbles text but cannot move it to another field).
    const hostile = { ...mail, attachments: [{ path: attachment }] };

    const [program, ...args] = xdgEmailArgv(hostile, xdgEmail);
    await new Promise<void>((resolve, reject) => {
      execFile(program!, args, { env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir } }, (error) => {
        if (error) reject(new Error(`xdg-email failed: ${error.message}`));
        else resolve();
      });
    });

    const url = new URL(await readFile(capture, 'utf8'));
    expect(url.protocol).toBe('mailto:');
    const to = [decodeURIComponent(url.pathname), ...url.searchParams.getAll('to')];
    expect(to).toEqual(hostile.to);
    expect(url.searchParams.getAll('cc')).toEqual(hostile.cc);
    expect(url.searchParams.getAll('bcc')).toEqual(hostile.bcc);
    expect(url.searchParams.get('subject')).toBe(hostile.subject);
    expect(url.searchParams.get('body')).toBe(hostile.text.replace(/\n/gu, '\r\n'));
    const keys = new Set(url.searchParams.keys());
    expect([...keys].every((key) => ['to', 'cc', 'bcc', 'subject', 'body', 'attach'].includes(key))).toBe(true);
  });
});
