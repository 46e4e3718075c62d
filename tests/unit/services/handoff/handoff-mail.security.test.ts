/**
 * Every builder refuses what must not reach a command line, a script or a header, before it builds
 * anything: line breaks in addresses, names and paths, invalid addresses, NUL, broken surrogates and
 * relative attachment paths.
 */
import { describe, expect, it } from 'vitest';
import { commandLineFits, withCrlf } from '../../../../electron/services/handoff/handoff-mail';
import { assertSendable, isAbsolutePath, type ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { osascriptArgv } from '../../../../electron/services/handoff/macos-mail';
import { mailtoUrl } from '../../../../electron/services/handoff/mailto';
import { mapiPlan } from '../../../../electron/services/handoff/mapi';
import { emlDraft } from '../../../../electron/services/handoff/new-outlook';
import { outlookMessageJson } from '../../../../electron/services/handoff/outlook-com';
import { composeArgument } from '../../../../electron/services/handoff/thunderbird-compose';
import { xdgEmailArgv } from '../../../../electron/services/handoff/xdg-email';

const good = { to: ['jana@firma.cz'], cc: [], bcc: [], subject: 'Faktura', text: 'Text', attachments: [] } satisfies ComposedMail;

/** Every builder, each fed the same message; a Windows one gets Windows paths. */
const builders: [string, (mail: ComposedMail) => unknown][] = [
  ['Thunderbird', (mail) => composeArgument(mail, 'linux')],
  ['Outlook COM', (mail) => outlookMessageJson(mail, 'display')],
  ['Simple MAPI', (mail) => mapiPlan(mail)],
  ['xdg-email', (mail) => xdgEmailArgv(mail)],
  ['Mail.app', (mail) => osascriptArgv('/tmp/k.applescript', mail)],
  ['mailto', (mail) => mailtoUrl(mail)],
  ['.eml draft', (mail) => emlDraft(mail, 'posix')],
];

const hostile: [string, Partial<ComposedMail>, string][] = [
  ['a CRLF in a recipient', { to: ['jana@firma.cz\r\nBcc: all@example.com'] }, 'mail.headerInjection'],
  ['a LF in a cc', { cc: ['eva@firma.cz\n'] }, 'mail.headerInjection'],
  ['a U+2028 in a bcc', { bcc: ['eva@firma.cz\u2028x@y.cz'] }, 'mail.headerInjection'],
  ['a CR in the sender', { from: { name: 'Účtárna', address: 'a@b.cz\r' } }, 'mail.headerInjection'],
  ['a line break in the sender’s name', { from: { name: 'Účtárna\r\nBcc: x@y.cz', address: 'a@b.cz' } }, 'mail.headerInjection'],
  ['a line break in the subject', { subject: 'Faktura\r\nBcc: all@example.com' }, 'mail.headerInjection'],
  ['a line break in a file name', { attachments: [{ path: '/k/a.pdf', fileName: 'a\n.pdf' }] }, 'mail.headerInjection'],
  ['two addresses in one', { to: ['jana@firma.cz, eva@firma.cz'] }, 'mail.invalidAddress'],
  ['a quoted local part', { cc: ['"jana"@firma.cz'] }, 'mail.invalidAddress'],
  ['a display name in the address', { to: ['Jana <jana@firma.cz>'] }, 'mail.invalidAddress'],
  ['NUL in the body', { text: 'a\u0000b' }, 'input.invalid'],
  ['a lone surrogate in the subject', { subject: 'a\uD800b' }, 'input.invalid'],
  ['a relative attachment', { attachments: [{ path: 'Faktura.pdf' }] }, 'input.invalid'],
];

describe.each(builders)('%s', (name, build) => {
  it.each(hostile)('refuses %s', async (_label, change, code) => {
    const mail = { ...good, ...change };
    const windows = name === 'Outlook COM' || name === 'Simple MAPI';
    const fixed = windows
      ? {
          ...mail,
          attachments: mail.attachments.map((a) => ({
            ...a,
            path: a.path.startsWith('/') ? `C:${a.path.replace(/\//gu, '\\')}` : a.path,
          })),
        }
      : mail;
    await expect(Promise.resolve().then(() => build(fixed))).rejects.toMatchObject({ code });
  });
});

describe('ComposedMail', () => {
  it('takes a ComposedMail as it is', () => {
    const composed: ComposedMail = {
      from: { name: 'Účtárna', address: 'uctarna@dvorak-stavby.cz' },
      to: ['jana@firma.cz'],
      cc: [],
      bcc: [],
      replyTo: '',
      subject: 'Faktura',
      text: 'Text',
      attachments: [{ path: '/k/Faktura.pdf', fileName: 'Faktura č. 1.pdf', contentType: 'application/pdf' }],
      messageId: '<1@dvorak-stavby.cz>',
    };
    const mail: ComposedMail = composed;
    expect(
      mapiPlan({ ...mail, attachments: [{ ...composed.attachments[0]!, path: 'C:\\k\\Faktura.pdf' }] }).message.lpFiles[0]
        ?.lpszFileName,
    ).toBe('Faktura č. 1.pdf');
  });
});

describe('assertSendable', () => {
  it('lets line breaks through in the body only', () => {
    expect(() => {
      assertSendable({ ...good, text: 'a\r\nb\nc\rd\u2028' }, { pathStyle: 'posix' });
    }).not.toThrow();
  });
});

describe('isAbsolutePath', () => {
  it.each([
    ['/home/jana/a.pdf', 'posix', true],
    ['home/a.pdf', 'posix', false],
    ['-e', 'posix', false],
    ['C:\\Users\\a.pdf', 'win32', true],
    ['c:/Users/a.pdf', 'win32', true],
    ['\\\\server\\share\\a.pdf', 'win32', true],
    ['C:a.pdf', 'win32', false],
    ['\\a.pdf', 'win32', false],
    ['\\\\server', 'win32', false],
    ['/home/a.pdf', 'win32', false],
  ] as const)('%s (%s) → %s', (candidate, style, expected) => {
    expect(isAbsolutePath(candidate, style)).toBe(expected);
  });
});

describe('withCrlf', () => {
  it('turns every kind of line break into CRLF, once', () => {
    expect(withCrlf('a\nb\r\nc\rd\n\ne')).toBe('a\r\nb\r\nc\r\nd\r\n\r\ne');
  });
});

describe('commandLineFits', () => {
  it('holds Windows to 32 767 characters including quotes', () => {
    expect(commandLineFits(['C:\\tb.exe', '-compose', 'x'.repeat(32_000)], 'win32')).toBe(true);
    expect(commandLineFits(['C:\\tb.exe', '-compose', 'x'.repeat(32_760)], 'win32')).toBe(false);
    // Quoting a value with spaces and quotes makes it longer.
    expect(commandLineFits(['C:\\tb.exe', '" '.repeat(10_500)], 'win32')).toBe(true);
    expect(commandLineFits(['C:\\tb.exe', '" '.repeat(11_000)], 'win32')).toBe(false);
  });

  it('holds Linux to 128 KiB per argument', () => {
    expect(commandLineFits(['/usr/bin/thunderbird', 'ř'.repeat(60_000)], 'linux')).toBe(true);
    expect(commandLineFits(['/usr/bin/thunderbird', 'ř'.repeat(70_000)], 'linux')).toBe(false);
  });
});
