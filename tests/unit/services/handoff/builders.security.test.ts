/**
 * Property tests: every hand-off builder gets hundreds of messages made of quotes, commas, `',`,
 * semicolons, backticks, `$()`, `%VAR%`, `&`, `|`, line breaks, diacritics, emoji and very long runs,
 * and each receiving program's reading of the output (Thunderbird's GetArgs(), the URL parser,
 * xdg-email's option loop, PowerShell's JSON, osascript's argv, the MAPI helper's schema) must give back
 * exactly the values that went in, field by field, with no field added.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PathStyle } from '../../../../electron/services/handoff/handoff-mail';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { commandLineFits, withCrlf } from '../../../../electron/services/handoff/handoff-mail';
import { osascriptArgv } from '../../../../electron/services/handoff/macos-mail';
import { mailtoUrl, maxMailtoLength } from '../../../../electron/services/handoff/mailto';
import { mapiPlan, parseMapiPlan } from '../../../../electron/services/handoff/mapi';
import { textAsHtml } from '../../../../electron/services/handoff/text-html';
import { outlookMessageJson } from '../../../../electron/services/handoff/outlook-com';
import { composeArgument, thunderbirdArgv } from '../../../../electron/services/handoff/thunderbird-compose';
import { isUnsplittablePath, xdgEmailArgv } from '../../../../electron/services/handoff/xdg-email';
import { unsplittableFileName } from '../../../../electron/services/handoff/handoff-folder';
import { hostileAddress, hostileAddresses, hostileFileName, hostileText, seededRandom } from '../../../support/hostile-text';
import { thunderbirdGetArgs } from '../../../support/thunderbird-get-args';

const runs = 300;
const seeds = Array.from({ length: runs }, (_, i) => 20_260_000 + i);

function hostileMail(seed: number, pathStyle: PathStyle): ComposedMail {
  const random = seededRandom(seed);
  const folder =
    pathStyle === 'win32' ? 'C:\\Users\\Jana Dvořáková\\Documents\\Kurier\\Outbox' : '/home/jana/Documents/Kurier/Outbox';
  const join = (dir: string, name: string): string =>
    pathStyle === 'win32' ? path.win32.join(dir, name) : path.posix.join(dir, name);
  return {
    ...(random() < 0.5 ? { from: { name: hostileText(random, { lineBreaks: false }), address: hostileAddress(random) } } : {}),
    to: [hostileAddress(random), ...hostileAddresses(random, 2)],
    cc: hostileAddresses(random, 3),
    bcc: hostileAddresses(random, 2),
    subject: hostileText(random, { lineBreaks: false }),
    text: hostileText(random, { lineBreaks: true }),
    attachments: Array.from({ length: Math.floor(random() * 4) }, () => ({ path: join(folder, hostileFileName(random)) })),
  };
}

describe('Thunderbird -compose argument', () => {
  it.each([
    ['linux', 'posix'],
    ['win32', 'win32'],
  ] as const)('reads back field by field on %s, with nothing added', (platform, pathStyle) => {
    for (const seed of seeds) {
      const mail = hostileMail(seed, pathStyle);
      const argument = composeArgument(mail, platform);
      const args = thunderbirdGetArgs(argument);
      const context = `seed ${String(seed)}: ${argument.slice(0, 300)}`;

      const expectedKeys = ['to', 'subject', 'format'];
      if (mail.cc.length > 0) expectedKeys.push('cc');
      if (mail.bcc.length > 0) expectedKeys.push('bcc');
      if (mail.from) expectedKeys.push('from');
      if (mail.text !== '') expectedKeys.push('body');
      if (mail.attachments.length > 0) expectedKeys.push('attachment');
      expect(Object.keys(args).sort(), context).toEqual(expectedKeys.sort());

      expect(args.to?.split(','), context).toEqual(mail.to);
      if (mail.cc.length > 0) expect(args.cc?.split(','), context).toEqual(mail.cc);
      if (mail.bcc.length > 0) expect(args.bcc?.split(','), context).toEqual(mail.bcc);
      if (mail.from) expect(args.from, context).toBe(mail.from.address);
      expect(args.subject, context).toBe(mail.subject);
      if (mail.text !== '') expect(args.body, context).toBe(mail.text);
      if (mail.attachments.length > 0) {
        // Thunderbird splits the verbatim (quoted) value at commas and resolves each piece as a URI.
        const paths = args.attachment?.split(',').map((url) => fileURLToPath(url, { windows: platform === 'win32' }));
        expect(paths, context).toEqual(mail.attachments.map((a) => a.path));
      }
      // No space, quote or line break: one argv element survives any command-line quoting as it is.
      expect(argument, context).toMatch(/^[\w%.~!*()'=,:/&$;+@-]+$/u);
    }
  });

  it('keeps a subject that tries to add an attachment a subject', () => {
    const subject = "Faktura',attachment='file:///home/jana/.ssh/id_rsa',body='x";
    const args = thunderbirdGetArgs(
      composeArgument({ to: ['jana@firma.cz'], cc: [], bcc: [], subject, text: '', attachments: [] }, 'linux'),
    );
    expect(args).toEqual({ to: 'jana@firma.cz', subject, format: 'text' });
  });

  it('is one argv element after the program', () => {
    const argument = composeArgument(hostileMail(7, 'posix'), 'linux');
    const argv = thunderbirdArgv({ command: ['/usr/bin/flatpak', 'run', 'org.mozilla.Thunderbird'] }, argument);
    expect(argv).toEqual(['/usr/bin/flatpak', 'run', 'org.mozilla.Thunderbird', '-compose', argument]);
    expect(commandLineFits(argv, 'linux')).toBe(true);
  });
});

describe('Outlook message file', () => {
  it('parses back to exactly the message', () => {
    for (const seed of seeds) {
      const mail = hostileMail(seed, 'win32');
      const mode = seed % 2 === 0 ? 'display' : 'send';
      const json = outlookMessageJson(mail, mode);
      const context = `seed ${String(seed)}`;
      expect(JSON.parse(json), context).toEqual({
        version: 2,
        mode,
        to: mail.to,
        cc: mail.cc,
        bcc: mail.bcc,
        subject: mail.subject,
        html: textAsHtml(withCrlf(mail.text)),
        outboxWaitSeconds: 120,
        attachments: mail.attachments.map((a) => a.path),
      });
      // No markup of the text's own reaches Outlook's HTMLBody: only our <div> and <br>.
      const html = (JSON.parse(json) as { html: string }).html;
      expect(html.replace(/^<div>|<\/div>$|<br>/gu, ''), context).not.toMatch(/[<>"']/u);
      // One ASCII line: the same bytes in UTF-8, ANSI or any code page, and no BOM.
      expect(json, context).toMatch(/^\{[\x20-\x7e]*\}$/u);
    }
  });
});

describe('xdg-email argv', () => {
  /** xdg-email's own option loop (xdg-utils scripts/xdg-email.in), reading our argv back. */
  function readXdgEmail(argv: readonly string[]): {
    to: string[];
    cc: string[];
    bcc: string[];
    subject: string;
    body: string;
    attach: string[];
  } {
    const out = { to: [] as string[], cc: [] as string[], bcc: [] as string[], subject: '', body: '', attach: [] as string[] };
    const rest = argv.slice(1);
    while (rest.length > 0) {
      const parm = rest.shift()!;
      const value = (): string => {
        const next = rest.shift();
        if (next === undefined || next === '') throw new Error(`${parm} without a value`);
        return next;
      };
      if (parm === '--utf8') continue;
      else if (parm === '--cc') out.cc.push(value());
      else if (parm === '--bcc') out.bcc.push(value());
      else if (parm === '--subject') out.subject = value();
      else if (parm === '--body') out.body = value();
      else if (parm === '--attach') out.attach.push(value());
      else if (parm.startsWith('-')) throw new Error(`unexpected option ${parm}`);
      else if (parm.includes('@')) out.to.push(parm);
      else throw new Error(`unexpected argument ${parm}`);
    }
    return out;
  }

  it('gives every value back as its own element, and refuses attachment paths it could split', () => {
    for (const seed of seeds) {
      const hostile = hostileMail(seed, 'posix');
      if (hostile.to.some((address) => address.startsWith('-'))) continue;
      // A name xdg-email could split is refused; the hand-off copies under unsplittableFileName().
      for (const attachment of hostile.attachments.filter((a) => !isUnsplittablePath(a.path))) {
        expect(() => xdgEmailArgv({ ...hostile, attachments: [attachment] })).toThrow(
          expect.objectContaining({ code: 'input.invalid' }),
        );
      }
      const mail = {
        ...hostile,
        attachments: hostile.attachments.map((a) => ({
          path: path.posix.join(path.posix.dirname(a.path), unsplittableFileName(path.posix.basename(a.path))),
        })),
      };
      const argv = xdgEmailArgv(mail);
      expect(argv[0]).toBe('/usr/bin/xdg-email');
      expect(readXdgEmail(argv), `seed ${String(seed)}`).toEqual({
        to: mail.to,
        cc: mail.cc,
        bcc: mail.bcc,
        subject: mail.subject,
        body: mail.text,
        attach: mail.attachments.map((a) => a.path),
      });
    }
  });
});

describe('Mail.app AppleScript', () => {
  it('carries every value in argv, in kind/value pairs after subject and body', () => {
    for (const seed of seeds) {
      const mail = hostileMail(seed, 'posix');
      const argv = osascriptArgv('/Users/jana/Library/Application Support/Kurier/compose.applescript', mail);
      expect(argv.slice(0, 4)).toEqual([
        '/usr/bin/osascript',
        '/Users/jana/Library/Application Support/Kurier/compose.applescript',
        mail.subject,
        mail.text,
      ]);
      const pairs = argv.slice(4);
      expect(pairs.length % 2).toBe(0);
      const read = (kind: string): string[] => pairs.filter((_, i) => i % 2 === 1 && pairs[i - 1] === kind);
      expect(pairs.filter((_, i) => i % 2 === 0).every((kind) => ['to', 'cc', 'bcc', 'attachment'].includes(kind))).toBe(true);
      expect([read('to'), read('cc'), read('bcc'), read('attachment')], `seed ${String(seed)}`).toEqual([
        mail.to,
        mail.cc,
        mail.bcc,
        mail.attachments.map((a) => a.path),
      ]);
    }
  });
});

describe('mailto link', () => {
  it('parses back with the URL parser, field by field, within the length cap', () => {
    let truncated = 0;
    for (const seed of seeds) {
      const mail = hostileMail(seed, 'posix');
      const context = `seed ${String(seed)}`;
      let link;
      try {
        link = mailtoUrl(mail);
      } catch (error) {
        // Only a head (addresses and subject) longer than the cap may refuse.
        expect(error, context).toMatchObject({ code: 'handoff.mailtoTooLong' });
        continue;
      }
      expect(link.url.length, context).toBeLessThanOrEqual(maxMailtoLength);
      expect(link.attachmentsLeftOut).toBe(mail.attachments.length);
      const url = new URL(link.url);
      expect(url.protocol).toBe('mailto:');
      expect(decodeURIComponent(url.pathname).split(','), context).toEqual(mail.to);
      const keys = [...url.searchParams.keys()];
      expect(new Set(keys).size, context).toBe(keys.length);
      expect(
        keys.every((key) => ['cc', 'bcc', 'subject', 'body'].includes(key)),
        context,
      ).toBe(true);
      expect(url.searchParams.get('cc')?.split(',') ?? [], context).toEqual(mail.cc);
      expect(url.searchParams.get('bcc')?.split(',') ?? [], context).toEqual(mail.bcc);
      expect(url.searchParams.get('subject') ?? '', context).toBe(mail.subject);
      const body = url.searchParams.get('body') ?? '';
      if (link.bodyTruncated) {
        truncated++;
        expect(withCrlf(mail.text).startsWith(body), context).toBe(true);
      } else {
        expect(body, context).toBe(withCrlf(mail.text));
      }
    }
    // The generator's long texts do reach the cap.
    expect(truncated).toBeGreaterThan(0);
  });
});

describe('Simple MAPI plan', () => {
  it('carries every value as it is and passes the helper’s schema after a JSON round trip', () => {
    for (const seed of seeds) {
      const mail = hostileMail(seed, 'win32');
      const plan = mapiPlan(mail);
      const context = `seed ${String(seed)}`;
      expect(parseMapiPlan(JSON.stringify(plan)), context).toEqual(plan);
      expect(plan.message.lpszSubject).toBe(mail.subject);
      expect(plan.message.lpszNoteText).toBe(withCrlf(mail.text));
      expect(
        plan.message.lpRecips.map((r) => [r.ulRecipClass, r.lpszAddress]),
        context,
      ).toEqual([
        ...mail.to.map((a) => [1, `SMTP:${a}`]),
        ...mail.cc.map((a) => [2, `SMTP:${a}`]),
        ...mail.bcc.map((a) => [3, `SMTP:${a}`]),
      ]);
      expect(
        plan.message.lpFiles.map((f) => [f.lpszPathName, f.lpszFileName]),
        context,
      ).toEqual(mail.attachments.map((a) => [a.path, path.win32.basename(a.path)]));
    }
  });
});
