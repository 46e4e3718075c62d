/**
 * The MAPI helper as a separate process, started by the production Node runner (nodeMapiHelperRunner):
 * the plan goes over stdin, the answer comes back on stdout and through mapiHelperOutcome(). A
 * test-owned entry (tests/support/mapi-stub/stub-helper-entry.ts) runs the real runMapiHelper with the
 * C stand-in as MAPI32.dll, so the whole path (JSON, process, koffi, structures) runs; the stand-in
 * also crashes or blocks on request, to show that a broken provider DLL or a window nobody closes ends
 * the helper, never Kurier. TypeScript entries run under jiti's CLI, in the same process.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { mapiHelperExitCodes, mapiHelperOutcome, mapiPlan, type MapiPlan } from '../../../../electron/services/handoff/mapi';
import {
  nodeHelperEnv,
  nodeMapiHelperRunner,
  watchMapiHelper,
  type MapiHelperProcess,
} from '../../../../electron/services/handoff/mapi-runner';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { compileMapiStub, mapiStubEnv, mapiStubHelperEntry, mapiStubUnavailable } from '../../../support/mapi-stub/compile';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const jitiCli = path.join(path.dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
const typescriptRuntime = [process.execPath, jitiCli] as const;
const realEntry = path.join(root, 'electron', 'services', 'handoff', 'mapi-helper-entry.ts');

const unavailable = mapiStubUnavailable();
if (unavailable !== null) {
  // eslint-disable-next-line no-console -- say once why the helper-process checks with the stand-in did not run
  console.warn(`Skipping the MAPI helper-process tests with the C stand-in: ${unavailable}`);
}

const mail: ComposedMail = {
  to: ["o'brien@dvořák-stavby.cz", 'jana@firma.cz'],
  cc: ['eva@firma.cz'],
  bcc: ['archiv@łódź.pl'],
  subject: 'Faktura – Dvořák 😀 "uvozovky", čárky',
  text: 'Dobrý den,\nv příloze.\n',
  attachments: [
    { path: 'C:\\Users\\Jiří\\Outbox\\Faktura č. 1.pdf' },
    { path: 'C:\\Users\\Jiří\\Outbox\\x.csv', fileName: 'Přehled – listopad.csv' },
  ],
};
const plan = mapiPlan(mail);

let dir = '';
let library = '';
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kurier-mapi-helper-'));
  if (unavailable === null) library = compileMapiStub(dir);
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** A runner of the stub entry whose stand-in is steered by `stub` (variables of mapi-stub.c). */
function stubRunner(
  stub: Record<string, string>,
  timeoutMs?: number,
): { run: ReturnType<typeof nodeMapiHelperRunner>; out: string } {
  const out = path.join(dir, `received-${String(++runs)}.json`);
  const run = nodeMapiHelperRunner({
    runtime: typescriptRuntime,
    helperPath: mapiStubHelperEntry,
    args: [library],
    env: { ...process.env, [mapiStubEnv.out]: out, ...stub },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { run, out };
}

async function receivedBy(out: string): Promise<{ pid: number; flFlags: number; lpMessage: MapiPlan['message'] }> {
  return JSON.parse(await readFile(out, 'utf8')) as { pid: number; flFlags: number; lpMessage: MapiPlan['message'] };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(unavailable !== null)('the helper process with the C stand-in as MAPI32.dll', () => {
  it('takes the plan over stdin, calls MAPISendMailW in its own process and answers on stdout', async () => {
    const { run, out } = stubRunner({ [mapiStubEnv.result]: '0' });
    const result = await run(JSON.stringify(plan));
    expect(result).toEqual({ exitCode: mapiHelperExitCodes.called, stdout: '{"mapiCode":0}\n' });
    expect(mapiHelperOutcome(result.exitCode, result.stdout)).toBe('handedOff');
    const received = await receivedBy(out);
    expect(received.pid).not.toBe(process.pid);
    expect(received.flFlags).toBe(plan.flags);
    expect(received.lpMessage).toEqual(plan.message);
  });

  it('brings back the code the client returned: a closed window, a missing attachment', async () => {
    const cancelled = await stubRunner({ [mapiStubEnv.result]: '1' }).run(JSON.stringify(plan));
    expect(mapiHelperOutcome(cancelled.exitCode, cancelled.stdout)).toBe('cancelled');
    const missing = await stubRunner({ [mapiStubEnv.result]: '11' }).run(JSON.stringify(plan));
    expect(() => mapiHelperOutcome(missing.exitCode, missing.stdout)).toThrow(
      expect.objectContaining({
        code: 'handoff.attachmentMissing',
        details: { mapiCode: 11, mapiError: 'MAPI_E_ATTACHMENT_NOT_FOUND' },
      }),
    );
  });

  it('survives a provider DLL that crashes the helper: the run ends as handoff.mapiFailed', async () => {
    const { run, out } = stubRunner({ [mapiStubEnv.crash]: '1' });
    const result = await run(JSON.stringify(plan));
    expect(result).toEqual({ exitCode: null, stdout: '' });
    expect((await receivedBy(out)).lpMessage).toEqual(plan.message);
    expect(() => mapiHelperOutcome(result.exitCode, result.stdout)).toThrow(
      expect.objectContaining({ code: 'handoff.mapiFailed', details: { exitCode: -1, reason: 'helperDied' } }),
    );
  });

  it('kills a helper that is still in MAPISendMailW when the time is up', async () => {
    const { run, out } = stubRunner({ [mapiStubEnv.sleepMs]: '120000' }, 5_000);
    await expect(run(JSON.stringify(plan))).rejects.toMatchObject({
      code: 'handoff.mapiFailed',
      details: { reason: 'timeout', timeoutMs: 5_000 },
    });
    const { pid } = await receivedBy(out);
    await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false);
  });

  it("is what HandoffService's default-mail-client route runs on Windows: the client gets the hand-off folder's copy", async () => {
    const exported = path.join(dir, 'Faktura 2026,001 – Dvořák.pdf');
    await writeFile(exported, '%PDF-1.7\n%%EOF\n');
    const documentsDir = path.join(dir, `documents-${String(++runs)}`);
    // Thunderbird registered as the mail client for Simple MAPI, as reg.exe prints it.
    const withMailClient = fakeProgramProbe({
      answers: {
        'C:\\Windows\\System32\\reg.exe query HKLM\\Software\\Clients\\Mail /ve':
          '\r\nHKEY_LOCAL_MACHINE\\Software\\Clients\\Mail\r\n    (Default)    REG_SZ    Mozilla Thunderbird\r\n',
      },
    });
    /** Kurier's service as on Windows, its helper's stand-in answering `result`. */
    const onWindows = (result: string) => {
      const { run, out } = stubRunner({ [mapiStubEnv.result]: result });
      const service = new HandoffService({
        platform: 'win32',
        env: { SystemRoot: 'C:\\Windows' },
        probe: withMailClient,
        documentsDir,
        logger: createLogger('test', nullSink),
        mapiRunner: run,
      });
      return { service, out };
    };
    const handoffMail: ComposedMail = { ...mail, attachments: [{ path: exported }] };
    const { service: windows, out } = onWindows('0');

    expect((await windows.routes()).find((option) => option.route === 'mailClient')).toEqual({
      route: 'mailClient',
      available: true,
      notes: [],
    });
    const receipt = await windows.handOff('mailClient', handoffMail);

    // The client opened its compose window (MAPI_DIALOG): nothing is sent until the user presses Send there.
    expect(receipt).toMatchObject({ route: 'mailClient', sent: false, notes: ['openedForSending'] });
    expect(path.dirname(path.dirname(receipt.attachmentPath ?? ''))).toBe(path.join(documentsDir, 'Kurier', 'Outbox'));
    const received = await receivedBy(out);
    expect(received.lpMessage.lpszSubject).toBe(mail.subject);
    expect(received.lpMessage.lpRecips.map((r) => [r.ulRecipClass, r.lpszAddress])).toEqual([
      [1, "SMTP:o'brien@dvořák-stavby.cz"],
      [1, 'SMTP:jana@firma.cz'],
      [2, 'SMTP:eva@firma.cz'],
      [3, 'SMTP:archiv@łódź.pl'],
    ]);
    expect(received.lpMessage.lpFiles.map((f) => [f.lpszPathName, f.lpszFileName])).toEqual([
      [receipt.attachmentPath, 'Faktura 2026,001 – Dvořák.pdf'],
    ]);
    // The user closed the client's window: said plainly, not reported as handed off.
    await expect(onWindows('1').service.handOff('mailClient', handoffMail)).rejects.toMatchObject({
      code: 'handoff.closedWithoutSending',
    });
    await expect(onWindows('3').service.handOff('mailClient', handoffMail)).rejects.toMatchObject({
      code: 'handoff.mapiLogonFailed',
    });
    // Without a helper to start (no runner), Windows offers no default-client route at all.
    const without = new HandoffService({
      platform: 'win32',
      env: {},
      probe: withMailClient,
      documentsDir,
      logger: createLogger('test', nullSink),
    });
    expect((await without.routes()).find((option) => option.route === 'mailClient')).toMatchObject({ available: false });
    // Nor when no mail client is registered for Simple MAPI (MAPISendMailW could only fail): said, not run.
    const { run: neverRun, out: neverWritten } = stubRunner({ [mapiStubEnv.result]: '0' });
    const unregistered = new HandoffService({
      platform: 'win32',
      env: { SystemRoot: 'C:\\Windows' },
      probe: fakeProgramProbe({}),
      documentsDir,
      logger: createLogger('test', nullSink),
      mapiRunner: neverRun,
    });
    expect((await unregistered.routes()).find((option) => option.route === 'mailClient')).toEqual({
      route: 'mailClient',
      available: false,
      reason: { code: 'handoff.noMailClient', details: { program: 'Simple MAPI' } },
      notes: [],
    });
    await expect(unregistered.handOff('mailClient', handoffMail)).rejects.toMatchObject({ code: 'handoff.noMailClient' });
    await expect(readFile(neverWritten, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a plan that is not valid without calling anything', async () => {
    const { run } = stubRunner({});
    const result = await run(JSON.stringify({ ...plan, message: { ...plan.message, nFileCount: 7 } }));
    expect(result).toEqual({ exitCode: mapiHelperExitCodes.badInput, stdout: '{"error":"badInput"}\n' });
  });
});

describe('the Node runner', () => {
  it('runs the real helper entry, which refuses off Windows', async () => {
    const run = nodeMapiHelperRunner({ runtime: typescriptRuntime, helperPath: realEntry });
    const result = await run(JSON.stringify(plan));
    expect(result.exitCode).toBe(process.platform === 'win32' ? mapiHelperExitCodes.called : mapiHelperExitCodes.notWindows);
    if (process.platform !== 'win32') {
      expect(() => mapiHelperOutcome(result.exitCode, result.stdout)).toThrow(
        expect.objectContaining({ code: 'handoff.mapiUnavailable', details: { reason: 'notWindows' } }),
      );
    }
  });

  it('keeps only the end of a flood on stdout, where the answer is', async () => {
    const chatty = path.join(dir, 'chatty.mjs');
    await writeFile(chatty, "process.stdout.write('x'.repeat(1 << 20) + '\\n{\"mapiCode\":0}\\n');\n");
    const result = await nodeMapiHelperRunner({ helperPath: chatty, stdoutCap: 1024 })('{}');
    expect(result.stdout).toHaveLength(1024);
    expect(mapiHelperOutcome(result.exitCode, result.stdout)).toBe('handedOff');
  });

  it('does not trip over a helper that exits without reading a large plan', async () => {
    const quitter = path.join(dir, 'quitter.mjs');
    await writeFile(quitter, 'process.exit(3);\n');
    const result = await nodeMapiHelperRunner({ helperPath: quitter })('x'.repeat(8 << 20));
    expect(result).toEqual({ exitCode: 3, stdout: '' });
  });

  it('passes arguments as an argv array, never through a shell', async () => {
    const echo = path.join(dir, 'echo args.mjs');
    await writeFile(echo, 'process.stdout.write(JSON.stringify(process.argv.slice(2)) + "\\n");\n');
    const args = ['$(touch pwned)', '; rm -rf ~', '"quoted" \'single\'', '%PATH%', 'ř 😀'];
    const result = await nodeMapiHelperRunner({ helperPath: echo, args })('');
    expect(JSON.parse(result.stdout)).toEqual(args);
  });

  it('rejects as unavailable when the runtime cannot start', async () => {
    const run = nodeMapiHelperRunner({ runtime: [path.join(dir, 'no-such-node')], helperPath: realEntry });
    await expect(run('{}')).rejects.toMatchObject({ code: 'handoff.mapiUnavailable', details: { reason: 'helperNotStarted' } });
  });

  it('runs Electron as Node only under Electron', () => {
    expect(nodeHelperEnv({ A: '1' }, { electron: '45.4.1' })).toEqual({ A: '1', ELECTRON_RUN_AS_NODE: '1' });
    expect(nodeHelperEnv({ A: '1' }, {})).toEqual({ A: '1' });
  });
});

describe('watchMapiHelper (shared with the Electron utility-process runner)', () => {
  /** A helper process by hand: what the utility process looks like to the watcher. */
  function fakeHelper(): MapiHelperProcess & { exit(code: number | null): void; killed: number } {
    let onExit: ((code: number | null) => void) | undefined;
    const fake = {
      stdout: null,
      killed: 0,
      once(_event: 'exit', listener: (code: number | null) => void) {
        onExit = listener;
        return fake;
      },
      kill() {
        fake.killed++;
        return true;
      },
      exit(code: number | null) {
        onExit?.(code);
      },
    };
    return fake;
  }

  it('resolves with the exit code of a helper without stdout', async () => {
    const child = fakeHelper();
    const run = watchMapiHelper(child, { timeoutMs: 10_000 });
    child.exit(5);
    await expect(run).resolves.toEqual({ exitCode: 5, stdout: '' });
    expect(child.killed).toBe(0);
  });

  it('kills on timeout and rejects', async () => {
    const child = fakeHelper();
    await expect(watchMapiHelper(child, { timeoutMs: 20 })).rejects.toMatchObject({
      code: 'handoff.mapiFailed',
      details: { reason: 'timeout' },
    });
    expect(child.killed).toBe(1);
  });
});
