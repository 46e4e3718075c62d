/**
 * Kurier's Simple MAPI call for real, minus Windows: mapiPlan() → loadMapiSendMail() (koffi, the
 * production binding) → MAPISendMailW in a C stand-in (tests/support/mapi-stub/mapi-stub.c) whose
 * structures are declared independently from Microsoft's documentation. The stand-in writes every
 * member it received, strings decoded from UTF-16, and the tests compare that with the plan member by
 * member; the C compiler's sizeof/offsetof are compared with koffi's. A wrong type, order or name in
 * mapiStructLayouts, or a string passed as UTF-8, fails here. Then runMapiHelper() from plan JSON to
 * the printed answer and mapiHelperOutcome(), with the stand-in returning each kind of code.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import {
  mapiCodeName,
  mapiFlags,
  mapiHelperExitCodes,
  mapiHelperOutcome,
  mapiNoPosition,
  mapiPlan,
  mapiRecipientClass,
  mapiStructLayouts,
  type MapiPlan,
} from '../../../../electron/services/handoff/mapi';
import { mapiLibraryPath, runMapiHelper } from '../../../../electron/services/handoff/mapi-helper';
import { defineMapiTypes, loadMapiSendMail, type Koffi } from '../../../../electron/services/handoff/mapi-koffi';
import { hostileAddresses, hostileFileName, hostileText, seededRandom } from '../../../support/hostile-text';
import { compileMapiStub, mapiStubEnv, mapiStubUnavailable } from '../../../support/mapi-stub/compile';

const koffi = createRequire(import.meta.url)('koffi') as Koffi;

const unavailable = mapiStubUnavailable();
if (unavailable !== null) {
  // eslint-disable-next-line no-console -- say once why the FFI checks did not run
  console.warn(`Skipping the MAPI FFI tests: ${unavailable}`);
}

/** What the stand-in writes: the call's arguments and the message as it read them. */
interface Received {
  readonly pid: number;
  readonly lhSession: number;
  readonly ulUIParam: number;
  readonly flFlags: number;
  readonly ulReserved: number;
  readonly lpMessage: MapiPlan['message'];
}

/** The C compiler's layout, from mapi_stub_layout(). */
type CLayout = { readonly pointer: number } & Record<
  keyof typeof mapiStructLayouts,
  { readonly size: number; readonly members: readonly (readonly [member: string, offset: number, size: number])[] }
>;

/** koffi's description of a type (koffi.type), for the members' sizes. */
interface KoffiTypeInfo {
  readonly members: Readonly<Record<string, { readonly type: { readonly size: number } }>>;
}

let dir = '';
let library = '';
let send: (plan: MapiPlan) => number;
let outFile = '';
let calls = 0;

beforeAll(async () => {
  if (unavailable !== null) return;
  dir = await mkdtemp(path.join(tmpdir(), 'kurier-mapi-ffi-'));
  library = compileMapiStub(dir);
  send = loadMapiSendMail(koffi, library);
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Makes the stand-in return `code` and write to a fresh file (process.env reaches C's getenv). */
function steerStub(code: number): void {
  outFile = path.join(dir, `received-${String(++calls)}.json`);
  vi.stubEnv(mapiStubEnv.out, outFile);
  vi.stubEnv(mapiStubEnv.result, String(code));
}

async function received(): Promise<Received> {
  return JSON.parse(await readFile(outFile, 'utf8')) as Received;
}

/** Calls the stand-in with `plan` through the production binding; returns the code and what C saw. */
async function callStub(plan: MapiPlan, code = 0): Promise<{ code: number; received: Received }> {
  steerStub(code);
  const returned = send(plan);
  return { code: returned, received: await received() };
}

const outbox = 'C:\\Users\\Jiří Dvořák\\Documents\\Kurier\\Outbox';

/** Several recipients of each class whose addresses and text try to break out of their fields. */
const hostileMail: ComposedMail = {
  to: ["o'brien+faktury@firma.cz", 'jana@dvořák-stavby.cz', '%VAR%.$HOME@łódź.pl'],
  cc: ['`id`@example.com', 'a&b|c@firma.cz', 'eva@b.co'],
  bcc: ['archiv@dvorak-stavby.cz', "x'y@firma.cz", '{}~^=@example.com'],
  subject: 'Faktura FV-2026-0001 – Dvořák, "Stavby" s.r.o. 😀 👩‍👩‍👧 \'$(rm -rf ~)\' %PATH% ,to=evil@example.com',
  text: 'Dobrý den,\nv příloze posíláme fakturu 😀.\r\n"Citace", čárky; \'apostrofy\'\r\rŘádek\t\u00a0konec\n',
  attachments: [
    { path: `${outbox}\\Faktura, č. 1 (2026) 'final'.pdf` },
    { path: `${outbox}\\x1.csv`, fileName: 'Přehled – listopad 😀, "Ř".csv' },
  ],
};

/** The message as the stand-in must have read it: the plan itself, member for member. */
function expectReceived(actual: Received, plan: MapiPlan): void {
  expect(actual).toEqual({
    pid: process.pid,
    lhSession: 0,
    ulUIParam: 0,
    flFlags: plan.flags,
    ulReserved: 0,
    lpMessage: plan.message,
  });
}

describe.skipIf(unavailable !== null)('MAPISendMailW through koffi into a C stand-in', () => {
  it('lays the structures out exactly as the C compiler does (sizes, offsets and order of every member)', () => {
    const layout = JSON.parse(
      (koffi.load(library).func('__cdecl', 'mapi_stub_layout', 'const char *', []) as () => string)(),
    ) as CLayout;
    const types = defineMapiTypes(koffi);
    for (const name of ['MapiRecipDescW', 'MapiFileDescW', 'MapiMessageW'] as const) {
      const c = layout[name];
      expect(
        mapiStructLayouts[name].map(([member]) => member),
        `${name} members`,
      ).toEqual(c.members.map(([member]) => member));
      expect(koffi.sizeof(types[name]), `sizeof ${name}`).toBe(c.size);
      const info = (koffi as unknown as { type(type: object): KoffiTypeInfo }).type(types[name]);
      for (const [member, offset, size] of c.members) {
        expect(koffi.offsetof(types[name], member), `offsetof ${name}.${member}`).toBe(offset);
        expect(info.members[member]?.type.size, `sizeof ${name}.${member}`).toBe(size);
      }
    }
    // The sizes Windows x64 has (LLP64 and LP64 agree for 32-bit and pointer members).
    expect(layout.pointer).toBe(8);
    expect([layout.MapiMessageW.size, layout.MapiRecipDescW.size, layout.MapiFileDescW.size]).toEqual([96, 40, 40]);
  });

  it('hands over a hostile mail member for member: three classes, SMTP addresses, two attachments', async () => {
    const plan = mapiPlan(hostileMail);
    const { code, received: got } = await callStub(plan);
    expect(code).toBe(0);
    expectReceived(got, plan);

    // The same, spelled out against the mail rather than the plan, so a wrong plan fails too.
    const message = got.lpMessage;
    expect(got.flFlags).toBe(mapiFlags.MAPI_LOGON_UI | mapiFlags.MAPI_DIALOG);
    expect(message.lpszSubject).toBe(hostileMail.subject);
    expect(message.lpszNoteText).toBe(
      'Dobrý den,\r\nv příloze posíláme fakturu 😀.\r\n"Citace", čárky; \'apostrofy\'\r\n\r\nŘádek\t\u00a0konec\r\n',
    );
    expect([message.ulReserved, message.flFlags, message.lpOriginator]).toEqual([0, 0, null]);
    expect([message.lpszMessageType, message.lpszDateReceived, message.lpszConversationID]).toEqual([null, null, null]);
    expect(message.nRecipCount).toBe(9);
    expect(message.lpRecips.map((r) => [r.ulRecipClass, r.lpszName, r.lpszAddress])).toEqual([
      ...hostileMail.to.map((a) => [mapiRecipientClass.MAPI_TO, a, `SMTP:${a}`]),
      ...hostileMail.cc.map((a) => [mapiRecipientClass.MAPI_CC, a, `SMTP:${a}`]),
      ...hostileMail.bcc.map((a) => [mapiRecipientClass.MAPI_BCC, a, `SMTP:${a}`]),
    ]);
    expect(message.lpRecips.map((r) => [r.ulReserved, r.ulEIDSize, r.lpEntryID])).toEqual(Array(9).fill([0, 0, null]));
    expect(message.nFileCount).toBe(2);
    expect(message.lpFiles).toEqual([
      {
        ulReserved: 0,
        flFlags: 0,
        nPosition: 0xffff_ffff,
        lpszPathName: `${outbox}\\Faktura, č. 1 (2026) 'final'.pdf`,
        lpszFileName: "Faktura, č. 1 (2026) 'final'.pdf",
        lpFileType: null,
      },
      {
        ulReserved: 0,
        flFlags: 0,
        nPosition: mapiNoPosition,
        lpszPathName: `${outbox}\\x1.csv`,
        lpszFileName: 'Přehled – listopad 😀, "Ř".csv',
        lpFileType: null,
      },
    ]);
  });

  it('asks for a modeless window with MAPI_DIALOG_MODELESS', async () => {
    const plan = mapiPlan(hostileMail, { modeless: true });
    const { received: got } = await callStub(plan);
    expect(got.flFlags).toBe(0x1 | 0x4 | 0x8);
    expectReceived(got, plan);
  });

  it('carries very long strings whole: a 200 000-character body, a 10 000-character subject, a 2 000-character path', async () => {
    const mail: ComposedMail = {
      to: ['jana@firma.cz'],
      cc: [],
      bcc: [],
      subject: 'Ř😀"'.repeat(2_500),
      text: 'Dobrý den 😀,\n'.repeat(14_286).slice(0, 200_000),
      attachments: [{ path: `${outbox}\\${'ů'.repeat(2_000)}.pdf`, fileName: `${'ž'.repeat(250)}.pdf` }],
    };
    const plan = mapiPlan(mail);
    const { received: got } = await callStub(plan);
    expectReceived(got, plan);
    expect(got.lpMessage.lpszSubject).toHaveLength(10_000);
    expect(got.lpMessage.lpszNoteText).toBe(plan.message.lpszNoteText);
  });

  it('walks arrays with the right stride: 300 recipients and 40 attachments', async () => {
    const addresses = Array.from({ length: 100 }, (_, i) => `osoba.${String(i)}@dvořák-stavby.cz`);
    const mail: ComposedMail = {
      to: addresses,
      cc: addresses.map((a) => `cc.${a}`),
      bcc: addresses.map((a) => `bcc.${a}`),
      subject: 'Hromadně',
      text: '',
      attachments: Array.from({ length: 40 }, (_, i) => ({ path: `${outbox}\\příloha ${String(i)}.pdf` })),
    };
    const plan = mapiPlan(mail);
    const { received: got } = await callStub(plan);
    expectReceived(got, plan);
    expect([got.lpMessage.nRecipCount, got.lpMessage.nFileCount]).toEqual([300, 40]);
    expect(got.lpMessage.lpRecips[299]).toMatchObject({ ulRecipClass: 3, lpszAddress: 'SMTP:bcc.osoba.99@dvořák-stavby.cz' });
  });

  it('passes an empty message: no recipients, no attachments, empty subject and text', async () => {
    const plan = mapiPlan({ to: [], cc: [], bcc: [], subject: '', text: '', attachments: [] });
    const { received: got } = await callStub(plan);
    expectReceived(got, plan);
    expect([got.lpMessage.nRecipCount, got.lpMessage.nFileCount, got.lpMessage.lpszSubject]).toEqual([0, 0, '']);
  });

  it('hands over 60 seeded random hostile mails unchanged', async () => {
    const seed = 20_260_517;
    const random = seededRandom(seed);
    for (let i = 0; i < 60; i++) {
      const mail: ComposedMail = {
        to: hostileAddresses(random, 3),
        cc: hostileAddresses(random, 3),
        bcc: hostileAddresses(random, 3),
        subject: hostileText(random, { lineBreaks: false }),
        text: hostileText(random, { lineBreaks: true }),
        attachments: Array.from({ length: Math.floor(random() * 3) }, () => ({ path: `${outbox}\\${hostileFileName(random)}` })),
      };
      const plan = mapiPlan(mail);
      const { received: got } = await callStub(plan);
      expect(got.lpMessage, `seed ${String(seed)}, mail ${String(i)}`).toEqual(plan.message);
      expect(got.flFlags).toBe(plan.flags);
    }
  });

  it('never reaches the DLL with a line break in a one-line field or a broken address', () => {
    const base = { to: ['jana@firma.cz'], cc: [], bcc: [], subject: 'Faktura', text: '', attachments: [] };
    expect(() => mapiPlan({ ...base, subject: 'Faktura\r\nBcc: evil@example.com' })).toThrow(
      expect.objectContaining({ code: 'mail.headerInjection' }),
    );
    expect(() => mapiPlan({ ...base, to: ['jana@firma.cz, evil@example.com'] })).toThrow(
      expect.objectContaining({ code: 'mail.invalidAddress' }),
    );
    expect(() => mapiPlan({ ...base, attachments: [{ path: `${outbox}\\a.pdf`, fileName: 'a\n.pdf' }] })).toThrow(
      expect.objectContaining({ code: 'mail.headerInjection' }),
    );
    expect(() => mapiPlan({ ...base, attachments: [{ path: 'relative\\a.pdf' }] })).toThrow(
      expect.objectContaining({ code: 'input.invalid' }),
    );
  });
});

describe.skipIf(unavailable !== null)('runMapiHelper with the stand-in as MAPI32.dll', () => {
  const planJson = JSON.stringify(mapiPlan(hostileMail));

  function helper(overrides: Partial<Parameters<typeof runMapiHelper>[0]> = {}): ReturnType<typeof runMapiHelper> {
    return runMapiHelper({
      platform: 'win32',
      readInput: () => Promise.resolve(planJson),
      loadKoffi: () => Promise.resolve(koffi),
      libraryPath: library,
      ...overrides,
    });
  }

  it.each([
    [0, 'handedOff'],
    [1, 'cancelled'],
    [2, 'handoff.mapiFailed'],
    [3, 'handoff.mapiLogonFailed'],
    [11, 'handoff.attachmentMissing'],
    [14, 'handoff.mapiRecipientRejected'],
    [26, 'handoff.mapiUnavailable'],
    [0xffff_ffff, 'handoff.mapiFailed'],
  ])('turns return code %i into %s, from plan JSON to the printed answer', async (code, meaning) => {
    steerStub(code);
    const result = await helper();
    expect(result).toEqual({ exitCode: mapiHelperExitCodes.called, line: JSON.stringify({ mapiCode: code }) });
    expectReceived(await received(), JSON.parse(planJson) as MapiPlan);
    const outcome = (): string => mapiHelperOutcome(result.exitCode, `${result.line}\n`);
    if (meaning === 'handedOff' || meaning === 'cancelled') expect(outcome()).toBe(meaning);
    else
      expect(outcome).toThrow(
        expect.objectContaining({ code: meaning, details: { mapiCode: code, mapiError: mapiCodeName(code) } }),
      );
  });

  it('refuses off Windows without reading its input', async () => {
    const readInput = vi.fn(() => Promise.resolve(planJson));
    const result = await helper({ platform: 'linux', readInput });
    expect(result).toEqual({ exitCode: mapiHelperExitCodes.notWindows, line: '{"error":"notWindows","platform":"linux"}' });
    expect(readInput).not.toHaveBeenCalled();
    expect(() => mapiHelperOutcome(result.exitCode, result.line)).toThrow(
      expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'notWindows' } }),
    );
  });

  it('refuses input that is not a valid plan, before loading anything', async () => {
    const loadKoffi = vi.fn(() => Promise.resolve(koffi));
    const plan = JSON.parse(planJson) as MapiPlan;
    for (const input of ['', 'not json', JSON.stringify({ ...plan, message: { ...plan.message, nRecipCount: 99 } })]) {
      const result = await helper({ readInput: () => Promise.resolve(input), loadKoffi });
      expect(result).toEqual({ exitCode: mapiHelperExitCodes.badInput, line: '{"error":"badInput"}' });
      expect(() => mapiHelperOutcome(result.exitCode, result.line)).toThrow(
        expect.objectContaining({ code: 'internal.unexpected' }),
      );
    }
    expect(loadKoffi).not.toHaveBeenCalled();
  });

  it('reports a missing koffi and a missing library as unavailable', async () => {
    const noFfi = await helper({ loadKoffi: () => Promise.reject(new Error('Cannot find module koffi')) });
    expect(noFfi).toEqual({ exitCode: mapiHelperExitCodes.noFfi, line: '{"error":"noFfi"}' });
    const noLibrary = await helper({ libraryPath: path.join(dir, 'MAPI32.dll') });
    expect(noLibrary).toEqual({ exitCode: mapiHelperExitCodes.noMapiLibrary, line: '{"error":"noMapiLibrary"}' });
    expect(() => mapiHelperOutcome(noLibrary.exitCode, noLibrary.line)).toThrow(
      expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'noMapiLibrary' } }),
    );
  });
});

describe('mapiLibraryPath', () => {
  it('is MAPI32.dll in System32 under %SystemRoot%, by absolute path', () => {
    expect(mapiLibraryPath({ SystemRoot: 'D:\\WINDOWS' })).toBe('D:\\WINDOWS\\System32\\MAPI32.dll');
    expect(mapiLibraryPath({})).toBe('C:\\Windows\\System32\\MAPI32.dll');
  });
});
