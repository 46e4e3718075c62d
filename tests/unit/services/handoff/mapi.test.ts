/**
 * Simple MAPI cannot be called here, so this checks what Kurier would put into MAPISendMailW's
 * structures, what every return code means, the helper's protocol (the real helper entry, run under
 * Node on Linux, must refuse cleanly) and koffi's layout of the structures. Real calls through koffi
 * into a C stand-in are in tests/integration/services/handoff/mapi-ffi.test.ts.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mapiHelperExitCodes,
  mapiHelperOutcome,
  mapiOutcome,
  mapiPlan,
  mapiReturnCodes,
  mapiStructLayouts,
  parseMapiPlan,
} from '../../../../electron/services/handoff/mapi';
import { defineMapiTypes, type Koffi } from '../../../../electron/services/handoff/mapi-koffi';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');

const mail = {
  to: ['jana@firma.cz'],
  cc: ['eva@firma.cz', 'petr@firma.cz'],
  bcc: ['archiv@dvorak-stavby.cz'],
  subject: 'Faktura FV-2026-0001 – Dvořák',
  text: 'Dobrý den,\nv příloze.\r\nS pozdravem',
  attachments: [
    { path: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura, č. 1.pdf' },
    { path: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\x1.csv', fileName: 'Přehled listopad.csv' },
  ],
};

describe('mapiPlan', () => {
  it('fills the structures for to, cc, bcc and two attachments', () => {
    expect(mapiPlan(mail)).toEqual({
      flags: 0x1 | 0x8,
      message: {
        ulReserved: 0,
        lpszSubject: 'Faktura FV-2026-0001 – Dvořák',
        lpszNoteText: 'Dobrý den,\r\nv příloze.\r\nS pozdravem',
        lpszMessageType: null,
        lpszDateReceived: null,
        lpszConversationID: null,
        flFlags: 0,
        lpOriginator: null,
        nRecipCount: 4,
        lpRecips: [
          {
            ulReserved: 0,
            ulRecipClass: 1,
            lpszName: 'jana@firma.cz',
            lpszAddress: 'SMTP:jana@firma.cz',
            ulEIDSize: 0,
            lpEntryID: null,
          },
          {
            ulReserved: 0,
            ulRecipClass: 2,
            lpszName: 'eva@firma.cz',
            lpszAddress: 'SMTP:eva@firma.cz',
            ulEIDSize: 0,
            lpEntryID: null,
          },
          {
            ulReserved: 0,
            ulRecipClass: 2,
            lpszName: 'petr@firma.cz',
            lpszAddress: 'SMTP:petr@firma.cz',
            ulEIDSize: 0,
            lpEntryID: null,
          },
          {
            ulReserved: 0,
            ulRecipClass: 3,
            lpszName: 'archiv@dvorak-stavby.cz',
            lpszAddress: 'SMTP:archiv@dvorak-stavby.cz',
            ulEIDSize: 0,
            lpEntryID: null,
          },
        ],
        nFileCount: 2,
        lpFiles: [
          {
            ulReserved: 0,
            flFlags: 0,
            nPosition: 0xffffffff,
            lpszPathName: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura, č. 1.pdf',
            lpszFileName: 'Faktura, č. 1.pdf',
            lpFileType: null,
          },
          {
            ulReserved: 0,
            flFlags: 0,
            nPosition: 0xffffffff,
            lpszPathName: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\x1.csv',
            lpszFileName: 'Přehled listopad.csv',
            lpFileType: null,
          },
        ],
      },
    });
  });

  it('asks for a modeless window when told', () => {
    expect(mapiPlan(mail, { modeless: true }).flags).toBe(0x1 | 0x4 | 0x8);
  });

  it('has exactly the members of the structures, in their order', () => {
    const plan = mapiPlan(mail);
    expect(Object.keys(plan.message)).toEqual(mapiStructLayouts.MapiMessageW.map(([name]) => name));
    expect(Object.keys(plan.message.lpRecips[0]!)).toEqual(mapiStructLayouts.MapiRecipDescW.map(([name]) => name));
    expect(Object.keys(plan.message.lpFiles[0]!)).toEqual(mapiStructLayouts.MapiFileDescW.map(([name]) => name));
  });
});

describe('parseMapiPlan (the helper’s input check)', () => {
  const plan = mapiPlan(mail);

  it('accepts a plan and refuses counts that differ from the arrays, extra members and NUL', () => {
    expect(parseMapiPlan(JSON.stringify(plan))).toEqual(plan);
    expect(parseMapiPlan(JSON.stringify({ ...plan, message: { ...plan.message, nRecipCount: 5 } }))).toBeNull();
    expect(parseMapiPlan(JSON.stringify({ ...plan, message: { ...plan.message, nFileCount: 1 } }))).toBeNull();
    expect(parseMapiPlan(JSON.stringify({ ...plan, message: { ...plan.message, lpOriginator: { x: 1 } } }))).toBeNull();
    const withExtra = {
      ...plan,
      message: { ...plan.message, lpRecips: plan.message.lpRecips.map((r) => ({ ...r, ulEIDSize: 64 })) },
    };
    expect(parseMapiPlan(JSON.stringify(withExtra))).toBeNull();
    expect(parseMapiPlan(JSON.stringify({ ...plan, message: { ...plan.message, lpszSubject: 'a\u0000b' } }))).toBeNull();
    expect(parseMapiPlan('not json')).toBeNull();
  });
});

describe('mapiOutcome', () => {
  it('takes success and a closed window as outcomes', () => {
    expect(mapiOutcome(0)).toBe('handedOff');
    expect(mapiOutcome(mapiReturnCodes.MAPI_E_USER_ABORT)).toBe('cancelled');
  });

  it.each([
    [2, 'handoff.mapiFailed', 'MAPI_E_FAILURE'],
    [3, 'handoff.mapiLogonFailed', 'MAPI_E_LOGIN_FAILURE'],
    [5, 'handoff.mapiFailed', 'MAPI_E_INSUFFICIENT_MEMORY'],
    [10, 'handoff.mapiRecipientRejected', 'MAPI_E_TOO_MANY_RECIPIENTS'],
    [11, 'handoff.attachmentMissing', 'MAPI_E_ATTACHMENT_NOT_FOUND'],
    [12, 'handoff.attachmentMissing', 'MAPI_E_ATTACHMENT_OPEN_FAILURE'],
    [14, 'handoff.mapiRecipientRejected', 'MAPI_E_UNKNOWN_RECIPIENT'],
    [15, 'handoff.mapiRecipientRejected', 'MAPI_E_BAD_RECIPTYPE'],
    [25, 'handoff.mapiRecipientRejected', 'MAPI_E_INVALID_RECIPS'],
    [26, 'handoff.mapiUnavailable', 'MAPI_E_NOT_SUPPORTED'],
    [99, 'handoff.mapiFailed', 'MAPI_E_#99'],
  ])('code %i is %s (%s)', (code, errorCode, name) => {
    expect(() => mapiOutcome(code)).toThrow(
      expect.objectContaining({ code: errorCode, details: { mapiCode: code, mapiError: name } }),
    );
  });
});

describe('the helper process', () => {
  function runHelper(input: string): Promise<{ code: number | null; stdout: string }> {
    const jitiCli = path.join(path.dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
    const helper = path.join(root, 'electron', 'services', 'handoff', 'mapi-helper-entry.ts');
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [jitiCli, helper], { stdio: ['pipe', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        resolve({ code, stdout });
      });
      child.stdin.end(input);
    });
  }

  it.skipIf(process.platform === 'win32')('refuses with its own exit code where there is no Windows', async () => {
    const { code, stdout } = await runHelper(JSON.stringify(mapiPlan(mail)));
    expect(code).toBe(mapiHelperExitCodes.notWindows);
    expect(JSON.parse(stdout)).toEqual({ error: 'notWindows', platform: process.platform });
    expect(() => mapiHelperOutcome(code, stdout)).toThrow(
      expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'notWindows' } }),
    );
  });

  it('reads every exit code', () => {
    expect(mapiHelperOutcome(0, '{"mapiCode":0}\n')).toBe('handedOff');
    expect(mapiHelperOutcome(0, '{"mapiCode":1}')).toBe('cancelled');
    expect(() => mapiHelperOutcome(0, '{"mapiCode":11}')).toThrow(expect.objectContaining({ code: 'handoff.attachmentMissing' }));
    expect(() => mapiHelperOutcome(0, '')).toThrow(
      expect.objectContaining({ code: 'handoff.mapiFailed', details: { exitCode: 0, reason: 'noAnswer' } }),
    );
    expect(() => mapiHelperOutcome(2, '')).toThrow(expect.objectContaining({ code: 'internal.unexpected' }));
    expect(() => mapiHelperOutcome(4, '')).toThrow(
      expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'noFfi' } }),
    );
    expect(() => mapiHelperOutcome(5, '')).toThrow(
      expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'noMapiLibrary' } }),
    );
    // A provider DLL that crashes the helper: 0xC0000005 on Windows, a signal (null) elsewhere.
    expect(() => mapiHelperOutcome(0xc0000005, '')).toThrow(
      expect.objectContaining({ code: 'handoff.mapiFailed', details: { exitCode: 0xc0000005, reason: 'helperDied' } }),
    );
    expect(() => mapiHelperOutcome(null, '')).toThrow(expect.objectContaining({ code: 'handoff.mapiFailed' }));
  });
});

const koffi = require('koffi') as Koffi;

/** Offsets and size of a C struct of uint32 and pointer members with natural alignment. */
function naturalLayout(
  members: readonly (readonly [string, string])[],
  pointerSize: number,
): { offsets: number[]; size: number } {
  let offset = 0;
  let alignment = 4;
  const offsets = members.map(([, type]) => {
    const size = type === 'uint32' ? 4 : pointerSize;
    alignment = Math.max(alignment, size);
    offset = Math.ceil(offset / size) * size;
    const at = offset;
    offset += size;
    return at;
  });
  return { offsets, size: Math.ceil(offset / alignment) * alignment };
}

describe('koffi layout', () => {
  it('matches the Windows structures with natural alignment: 96, 40 and 40 bytes on 64-bit', () => {
    const types = defineMapiTypes(koffi);
    const pointerSize = koffi.sizeof('void *' as unknown as object);
    for (const name of ['MapiMessageW', 'MapiRecipDescW', 'MapiFileDescW'] as const) {
      const expected = naturalLayout(mapiStructLayouts[name], pointerSize);
      expect(koffi.sizeof(types[name]), name).toBe(expected.size);
      expect(
        mapiStructLayouts[name].map(([member]) => koffi.offsetof(types[name], member)),
        name,
      ).toEqual(expected.offsets);
    }
    if (pointerSize === 8) {
      expect([koffi.sizeof(types.MapiMessageW), koffi.sizeof(types.MapiRecipDescW), koffi.sizeof(types.MapiFileDescW)]).toEqual([
        96, 40, 40,
      ]);
      expect(koffi.offsetof(types.MapiMessageW, 'lpFiles')).toBe(88);
    }
    // Defining them again (another helper run in the same process) must not clash.
    expect(() => defineMapiTypes(koffi)).not.toThrow();
  });
});
