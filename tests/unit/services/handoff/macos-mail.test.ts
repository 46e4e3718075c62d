/**
 * Mail.app's AppleScript is a fixed text that reads every value from argv; osascript's argv carries
 * the values in the order the script reads them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { macMailScript, osascriptArgv, writeMacMailScript } from '../../../../electron/services/handoff/macos-mail';
import { tempDir } from '../../../support/temp-dir';

const mail = {
  to: ['jana@firma.cz'],
  cc: ['eva@firma.cz'],
  bcc: ['archiv@dvorak-stavby.cz'],
  subject: 'Faktura "FV-1" & do shell script "id"',
  text: 'Dobrý den,\n-- v příloze',
  attachments: [
    { path: '/Users/jana/Documents/Kurier/Outbox/Faktura, č. 1.pdf' },
    { path: '/Users/jana/Documents/Kurier/Outbox/-x.pdf' },
  ],
};

describe('osascriptArgv', () => {
  it('passes subject, body, then kind/value pairs after the script file', () => {
    expect(osascriptArgv('/Users/jana/Library/Application Support/Kurier/kurier-mail-compose.applescript', mail)).toEqual([
      '/usr/bin/osascript',
      '/Users/jana/Library/Application Support/Kurier/kurier-mail-compose.applescript',
      mail.subject,
      mail.text,
      'to',
      'jana@firma.cz',
      'cc',
      'eva@firma.cz',
      'bcc',
      'archiv@dvorak-stavby.cz',
      'attachment',
      '/Users/jana/Documents/Kurier/Outbox/Faktura, č. 1.pdf',
      'attachment',
      '/Users/jana/Documents/Kurier/Outbox/-x.pdf',
    ]);
  });

  it('refuses a relative script path, which osascript could read as an option', () => {
    expect(() => osascriptArgv('-e', mail)).toThrow(expect.objectContaining({ code: 'input.invalid' }));
  });
});

describe('the AppleScript', () => {
  it('reads subject, body and the pairs from argv and holds no value of its own', () => {
    expect(macMailScript).toContain('on run argv');
    expect(macMailScript).toContain('set theSubject to item 1 of argv');
    expect(macMailScript).toContain('set theBody to item 2 of argv');
    expect(macMailScript).toContain('repeat with i from 3 to (count of argv) - 1 by 2');
    for (const kind of ['"to"', '"cc"', '"bcc"', '"attachment"']) expect(macMailScript).toContain(`is ${kind}`);
    // Nothing that would run text as code, and only Mail is addressed.
    expect(macMailScript).not.toMatch(/do shell script|run script|osascript|load script/iu);
    expect([...macMailScript.matchAll(/tell application "([^"]+)"/gu)].map((m) => m[1])).toEqual(['Mail']);
  });

  it('is written once under a fixed name', async () => {
    const dir = await tempDir();
    const file = await writeMacMailScript(dir);
    expect(file.endsWith('kurier-mail-compose.applescript')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(macMailScript);
    expect(await writeMacMailScript(dir)).toBe(file);
  });
});

describe('HandoffService with Mail on macOS', () => {
  it('turns osascript error -1743 into the permission message, not a bare failure', async () => {
    const documentsDir = await tempDir();
    const source = path.join(documentsDir, 'export.pdf');
    await writeFile(source, '%PDF-1.4\n');
    const service = new HandoffService({
      platform: 'darwin',
      env: { HOME: documentsDir },
      probe: fakeProgramProbe({}),
      documentsDir,
      logger: createLogger('test', nullSink),
      // What osascript prints when macOS refuses Apple events to Mail.
      launch: () =>
        Promise.resolve({
          kind: 'exited',
          code: 1,
          stderr: 'execution error: Not authorized to send Apple events to Mail. (-1743)\n',
        }),
    });
    await expect(
      service.handOff('mailClient', {
        to: ['jana@firma.cz'],
        cc: [],
        bcc: [],
        subject: 'Faktura',
        text: 'Dobrý den',
        attachments: [{ path: source }],
      }),
    ).rejects.toMatchObject({ code: 'handoff.mailAutomationDenied' });
  });
});
