/**
 * A real Thunderbird for integration tests: Xvfb, a private D-Bus session bus, and Thunderbird with a
 * fresh throwaway profile, driven over Marionette on 127.0.0.1. A test hands a message over the way
 * Kurier does (`thunderbird -profile <profile> -compose <argument>`, argv array, `env` below) and then
 * reads the compose window back: recipients as pills, subject, body and attachments.
 *
 * Why each piece is needed:
 * - Xvfb: the `-compose` process needs a DISPLAY, and a headless Thunderbird cannot take a hand-off
 *   (the second process gives up after 5 s, still exiting 0). `-displayfd` lets Xvfb pick a free
 *   display and tell us once it accepts clients.
 * - dbus-daemon: on Linux the single-instance hand-off goes over the D-Bus session bus. Our own bus has
 *   no service folders, so nothing gets D-Bus-activated (at-spi, dconf) and outlives the test; without
 *   one, GLib would autolaunch a bus tied to the X display.
 * - A POP3 account on 127.0.0.1 (never contacted): `-compose` is silently dropped unless there is a
 *   default account, and Local Folders can never be one.
 * - MOZ_DISABLE_NONLOCAL_CONNECTIONS=1: Gecko opens no socket and resolves no name beyond loopback.
 * - `--remote-allow-system-access`: Marionette's chrome context (Gecko 138 and later).
 *
 * Every process is started detached (its own process group) and stopped by that group id only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isMarionetteError, MarionetteClient } from './marionette-client';

/** An attachment as the compose window's attachment bucket holds it. */
export interface ComposeAttachment {
  readonly name: string;
  /** The file URL Thunderbird attached (153 builds it from the file path, with literal `,` and `'`). */
  readonly url: string;
  readonly size: number;
}

/** What one open compose window shows. */
export interface ComposeWindow {
  /** The recipients as pills, e.g. `Jana Nováková <jana@firma.cz>` or `jana@firma.cz`. */
  readonly toPills: readonly string[];
  readonly ccPills: readonly string[];
  readonly bccPills: readonly string[];
  readonly subject: string;
  /** The address of the identity the message is sent from. */
  readonly from: string | null;
  /** Whether the window composes HTML (the identity's default) or plain text. */
  readonly isHTML: boolean;
  /** The body as the editor would send it as text/plain, with LF line breaks. */
  readonly bodyPlain: string;
  /** The body element's innerHTML. */
  readonly bodyHTML: string;
  readonly attachments: readonly ComposeAttachment[];
}

/** A running Thunderbird with its own display, bus and profile. */
export interface RunningThunderbird {
  /** The command that starts Thunderbird, for `thunderbirdArgv({ command: program }, …)`. */
  readonly program: readonly string[];
  /** The profile folder of the running instance; a `-compose` process must name the same one. */
  readonly profile: string;
  /** The environment for the `-compose` process: DISPLAY, DBUS_SESSION_BUS_ADDRESS, HOME, PATH, … */
  readonly env: NodeJS.ProcessEnv;
  /** Thunderbird's version, e.g. `153.7.0`. */
  readonly version: string;
  /**
   * Waits until at least `count` compose windows are open and all have finished loading, then returns
   * every open one. Rejects with {@link ThunderbirdAlertError} when Thunderbird shows a modal alert
   * instead (it is accepted first).
   */
  readComposeWindows(options?: { readonly count?: number; readonly timeoutMs?: number }): Promise<ComposeWindow[]>;
  /** Closes every compose window without a "save?" prompt and waits until they are gone. */
  closeComposeWindows(): Promise<void>;
  /** Accepts every open modal alert and returns their texts (none open: `[]`). */
  acceptAlerts(): Promise<string[]>;
  /** Quits Thunderbird, stops Xvfb and dbus-daemon and removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thunderbird showed modal alerts (e.g. "file … does not exist") where a compose window was expected. */
export class ThunderbirdAlertError extends Error {
  readonly alerts: readonly string[];

  constructor(alerts: readonly string[]) {
    super(`Thunderbird showed modal alert(s): ${JSON.stringify(alerts)}`);
    this.name = 'ThunderbirdAlertError';
    this.alerts = alerts;
  }
}

interface Tools {
  readonly thunderbird: string;
  readonly xvfb: string;
  readonly dbusDaemon: string;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` in an absolute PATH folder, else the first of `known` that exists. */
function findProgram(names: readonly string[], known: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').filter((dir) => path.isAbsolute(dir));
  const candidates = [...names.flatMap((name) => dirs.map((dir) => path.join(dir, name))), ...known];
  return candidates.find(isExecutableFile);
}

function findTools(): { ok: true; tools: Tools } | { ok: false; why: string } {
  if (process.platform !== 'linux')
    return { ok: false, why: `the real-Thunderbird tests run on Linux only (this is ${process.platform})` };
  // Snap and flatpak builds cannot read a profile under /tmp, so only native ones count.
  const thunderbird = findProgram(['thunderbird', 'thunderbird-esr'], ['/usr/lib/thunderbird/thunderbird']);
  const xvfb = findProgram(['Xvfb'], ['/usr/bin/Xvfb']);
  const dbusDaemon = findProgram(['dbus-daemon'], ['/usr/bin/dbus-daemon', '/bin/dbus-daemon']);
  const missing = [
    ...(thunderbird === undefined ? ['thunderbird (apt-get install thunderbird)'] : []),
    ...(xvfb === undefined ? ['Xvfb (apt-get install xvfb)'] : []),
    ...(dbusDaemon === undefined ? ['dbus-daemon (apt-get install dbus)'] : []),
  ];
  if (thunderbird === undefined || xvfb === undefined || dbusDaemon === undefined) {
    return { ok: false, why: `missing: ${missing.join(', ')}` };
  }
  return { ok: true, tools: { thunderbird, xvfb, dbusDaemon } };
}

/** Whether this machine can run a real Thunderbird: Linux with thunderbird, Xvfb and dbus-daemon installed. */
export function thunderbirdAvailable(): { ok: true } | { ok: false; why: string } {
  const found = findTools();
  return found.ok ? { ok: true } : { ok: false, why: found.why };
}

/** The address of the profile's only identity. */
export const senderAddress = 'sender@example.invalid';

/** user.js: Marionette on a free port, one dummy account, no first-run UI, no network beyond loopback. */
function userJsPrefs(): Record<string, string | number | boolean> {
  return {
    // 0: a free port, written to <profile>/MarionetteActivePort once the server listens.
    'marionette.port': 0,

    // The default account (POP3 on a closed loopback port, never polled) and Local Folders.
    'mail.accountmanager.accounts': 'account1,account2',
    'mail.accountmanager.defaultaccount': 'account1',
    'mail.accountmanager.localfoldersserver': 'server2',
    'mail.account.account1.server': 'server1',
    'mail.account.account1.identities': 'id1',
    'mail.server.server1.type': 'pop3',
    'mail.server.server1.hostname': '127.0.0.1',
    'mail.server.server1.port': 1,
    'mail.server.server1.userName': 'nobody',
    'mail.server.server1.name': 'Test',
    'mail.server.server1.login_at_startup': false,
    'mail.server.server1.check_new_mail': false,
    'mail.server.server1.download_on_biff': false,
    'mail.account.account2.server': 'server2',
    'mail.server.server2.type': 'none',
    'mail.server.server2.hostname': 'Local Folders',
    'mail.server.server2.userName': 'nobody',
    'mail.server.server2.name': 'Local Folders',
    'mail.identity.id1.fullName': 'Test Sender',
    'mail.identity.id1.useremail': senderAddress,
    'mail.identity.id1.valid': true,
    // Thunderbird's default: new messages are HTML, as for most users.
    'mail.identity.id1.compose_html': true,

    // No first-run or nag UI.
    'mail.provider.suppress_dialog_on_startup': true,
    'mail.shell.checkDefaultClient': false,
    'mailnews.start_page.enabled': false,
    'mail.rights.override': true,
    'mail.inappnotifications.enabled': false,
    'mail.compose.attachment_reminder': false,
    'mail.compose.autosave': false,
    'mail.spellcheck.inline': false,
    'mail.biff.play_sound': false,
    'mail.biff.show_alert': false,
    'mail.chat.enabled': false,
    'mailnews.database.global.indexer.enabled': false,
    'browser.sessionstore.resume_from_crash': false,
    'toolkit.startup.max_resumed_crashes': -1,

    // Updates, telemetry and background network (MOZ_DISABLE_NONLOCAL_CONNECTIONS is the real guard).
    'app.update.auto': false,
    'app.update.disabledForTesting': true,
    'extensions.update.enabled': false,
    'extensions.update.autoUpdateDefault': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.usage.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.archive.enabled': false,
    'toolkit.telemetry.server': 'data:,',
    'services.settings.server': 'data:,#remote-settings-dummy/v1',
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.safebrowsing.update.enabled': false,
    'browser.region.network.url': '',
    'browser.region.update.enabled': false,
    'geo.provider.network.url': '',
    'media.gmp-manager.url': 'data:,',
    'media.gmp-provider.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'network.http.speculative-parallel-limit': 0,
    'network.trr.mode': 5,
    'security.OCSP.enabled': 0,
    'security.remote_settings.crlite_filters.enabled': false,
    'security.remote_settings.intermediates.enabled': false,
    'mail.cloud_files.enabled': false,
    'mailnews.auto_config_url': '',
    // Every HTTP(S) or SOCKS request goes to a dead proxy on loopback; SOCKS resolves no names locally.
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': 9,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': 9,
    'network.proxy.socks': '127.0.0.1',
    'network.proxy.socks_port': 9,
    'network.proxy.socks_remote_dns': true,
    'network.proxy.share_proxy_settings': true,
  };
}

function userJs(): string {
  return Object.entries(userJsPrefs())
    .map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});\n`)
    .join('');
}

/** A D-Bus session bus configuration with no service folders: nothing can be activated on it. */
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The live members of process group `pgid`, from /proc. Zombies do not count: PID 1 may reap orphans
 * slowly, and kill(-pgid, 0) would still see them.
 */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/** Processes whose command line mentions `needle` (our temporary folder): strays such as a hung `-compose`. */
function processesMentioning(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

/** Sends `signal` to one process (`pid` > 0) or process group (`pid` < 0); gone already is fine. */
function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalPid(-pgid, signal);
}

/** SIGTERM the process group of `child` (spawned detached), then SIGKILL what is left after `graceMs`. */
async function killGroup(child: ChildProcess | undefined, graceMs = 3_000): Promise<void> {
  const pgid = child?.pid;
  if (pgid === undefined) return;
  if (groupMembers(pgid).length === 0) return;
  signalGroup(pgid, 'SIGTERM');
  let deadline = Date.now() + graceMs;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(50);
  if (groupMembers(pgid).length === 0) return;
  signalGroup(pgid, 'SIGKILL');
  deadline = Date.now() + 2_000;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(50);
}

/** Resolves when `child` has exited, or after `timeoutMs` (false). */
function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Reads the first line `child` writes to `stream` (a pipe); rejects if it exits or `timeoutMs` passes first. */
function firstLine(
  child: ChildProcess,
  stream: NodeJS.ReadableStream | null | undefined,
  what: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!stream) {
      reject(new Error(`${what}: no pipe`));
      return;
    }
    let buffer = '';
    const timer = setTimeout(() => {
      finish(new Error(`${what} did not report within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) finish(null, buffer.slice(0, newline).trim());
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(new Error(`${what} exited early (${String(code ?? signal)})`));
    };
    const onError = (error: Error): void => {
      finish(error);
    };
    function finish(error: Error | null, line = ''): void {
      clearTimeout(timer);
      stream?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(line);
    }
    stream.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Every open compose window, `ready` once it has finished loading. Runs in Marionette's chrome context. */
const readComposeScript = `
const out = [];
for (const win of Services.wm.getEnumerator("msgcompose")) {
  const entry = { ready: !!(win.composeEditorReady && win.gLoadingComplete) };
  out.push(entry);
  if (!entry.ready) continue;
  const doc = win.document;
  const pills = (type) => Array.from(
    doc.querySelectorAll('.address-row[data-recipienttype="' + type + '"] mail-address-pill'),
    (pill) => pill.fullAddress
  );
  entry.toPills = pills("addr_to");
  entry.ccPills = pills("addr_cc");
  entry.bccPills = pills("addr_bcc");
  entry.subject = doc.getElementById("msgSubject").value;
  entry.from = win.gCurrentIdentity ? win.gCurrentIdentity.email : null;
  entry.isHTML = win.gMsgCompose.composeHTML;
  const editor = win.GetCurrentEditor();
  entry.bodyPlain = editor.outputToString(
    "text/plain",
    Ci.nsIDocumentEncoder.OutputLFLineBreak | Ci.nsIDocumentEncoder.OutputPersistNBSP
  );
  entry.bodyHTML = win.getBrowser().contentDocument.body.innerHTML;
  entry.attachments = Array.from(win.gAttachmentBucket.itemChildren, (item) => ({
    name: item.attachment.name,
    url: item.attachment.url,
    size: item.attachment.size,
  }));
}
return out;
`;

/** Closes every compose window; a script-initiated close with nothing changed asks nothing. */
const closeComposeScript = `
let closed = 0;
for (const win of [...Services.wm.getEnumerator("msgcompose")]) {
  try { win.gMsgCompose.bodyModified = false; } catch (e) {}
  win.gContentChanged = false;
  win.close();
  closed++;
}
return closed;
`;

const countComposeScript = 'return [...Services.wm.getEnumerator("msgcompose")].length;';

const windowStates = z.array(z.looseObject({ ready: z.boolean() }));
const composeWindows = z.array(
  z.object({
    toPills: z.array(z.string()),
    ccPills: z.array(z.string()),
    bccPills: z.array(z.string()),
    subject: z.string(),
    from: z.string().nullable(),
    isHTML: z.boolean(),
    bodyPlain: z.string(),
    bodyHTML: z.string(),
    attachments: z.array(z.object({ name: z.string(), url: z.string(), size: z.number() })),
  }),
);

async function tail(file: string, bytes = 3_000): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

/**
 * Starts Xvfb, a private bus and Thunderbird with a fresh profile, and opens a Marionette session in
 * chrome context. Takes about 4–5 s when warm; allow 90 s on a cold machine. Call {@link
 * RunningThunderbird.stop} when done (an afterAll); if the worker exits without it, the process groups
 * are killed on the way out. Throws (after cleaning up) when anything fails to start.
 */
export async function startThunderbird(timeoutMs = 80_000): Promise<RunningThunderbird> {
  const found = findTools();
  if (!found.ok) throw new Error(`cannot start Thunderbird: ${found.why}`);
  const { tools } = found;
  const deadline = Date.now() + timeoutMs;
  // Short: the bus socket lives in here, and a unix socket path has at most 107 bytes.
  const root = await mkdtemp(path.join(tmpdir(), 'kurier-tb-'));
  const home = path.join(root, 'home');
  const profile = path.join(root, 'profile');
  const busSocket = path.join(root, 'bus');
  const thunderbirdLog = path.join(root, 'thunderbird.log');
  const children: ChildProcess[] = [];
  let xvfb: ChildProcess | undefined;
  let thunderbird: ChildProcess | undefined;
  let client: MarionetteClient | undefined;

  // Last resort when the worker ends without stop() (vitest ends its fork workers with SIGTERM, and
  // our detached children would not get a Ctrl-C): synchronous, so no waiting. Xvfb gets SIGTERM to
  // remove its lock file; the others SIGKILL.
  const killNow = (): void => {
    for (const child of children) {
      if (child.pid !== undefined) signalGroup(child.pid, child === xvfb ? 'SIGTERM' : 'SIGKILL');
    }
    for (const pid of processesMentioning(root)) signalPid(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    killNow();
    removeLastResort();
    // Die of the signal as we would have without this handler, unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const removeLastResort = (): void => {
    process.off('exit', killNow);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.once('exit', killNow);
  for (const signal of signals) process.once(signal, onSignal);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (client && thunderbird && thunderbird.exitCode === null && thunderbird.signalCode === null) {
        try {
          // eForceQuit: no "save draft?" prompt even with compose windows open.
          await client.quit(['eForceQuit'], 15_000);
          await waitExit(thunderbird, 20_000);
        } catch {
          // Killed below.
        }
      }
      client?.close();
      // Thunderbird first (it talks to the display and the bus), then the bus, then the display.
      for (const child of [...children].reverse()) await killGroup(child);
      // A `-compose` process that never handed off names our profile on its command line.
      for (const pid of processesMentioning(root)) signalPid(pid, 'SIGKILL');
      removeLastResort();
      await rm(root, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    await mkdir(home, { recursive: true });
    await mkdir(path.join(home, 'run'), { recursive: true, mode: 0o700 });
    await mkdir(profile, { recursive: true });
    await writeFile(path.join(profile, 'user.js'), userJs());
    await writeFile(path.join(root, 'session-bus.conf'), busConfig(busSocket));

    // Xvfb picks the first free display and writes its number to fd 3 once it accepts clients.
    const xvfbLog = openSync(path.join(root, 'xvfb.log'), 'a');
    xvfb = spawn(tools.xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], {
      detached: true,
      stdio: ['ignore', xvfbLog, xvfbLog, 'pipe'],
    });
    closeSync(xvfbLog);
    children.push(xvfb);
    const display = `:${await firstLine(xvfb, xvfb.stdio[3] as NodeJS.ReadableStream | null, 'Xvfb', 15_000)}`;
    if (!/^:\d+$/u.test(display)) throw new Error(`Xvfb reported display ${JSON.stringify(display)}`);

    const dbusLog = openSync(path.join(root, 'dbus.log'), 'a');
    const dbus = spawn(
      tools.dbusDaemon,
      [`--config-file=${path.join(root, 'session-bus.conf')}`, '--nofork', '--nopidfile', '--print-address=1'],
      { detached: true, stdio: ['ignore', 'pipe', dbusLog] },
    );
    closeSync(dbusLog);
    children.push(dbus);
    const busAddress = await firstLine(dbus, dbus.stdout, 'dbus-daemon', 10_000);
    dbus.stdout?.resume();

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: home,
      DISPLAY: display,
      DBUS_SESSION_BUS_ADDRESS: busAddress,
      LANG: 'C.UTF-8',
      // No accessibility bus.
      NO_AT_BRIDGE: '1',
      GTK_A11Y: 'none',
      GNOME_ACCESSIBILITY: '0',
      MOZ_CRASHREPORTER_DISABLE: '1',
      MOZ_CRASHREPORTER_SHUTDOWN: '1',
      // No socket and no DNS beyond loopback; also makes Remote Settings honour services.settings.server.
      MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1',
      XDG_RUNTIME_DIR: path.join(home, 'run'),
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
    };

    const tbLog = openSync(thunderbirdLog, 'a');
    thunderbird = spawn(tools.thunderbird, ['--profile', profile, '--marionette', '--remote-allow-system-access'], {
      env,
      detached: true,
      stdio: ['ignore', tbLog, tbLog],
    });
    closeSync(tbLog);
    children.push(thunderbird);
    const started = thunderbird;
    let spawnFailure: Error | undefined;
    started.once('error', (error) => {
      spawnFailure = error;
    });

    // Marionette writes its port to the profile once it listens.
    const portFile = path.join(profile, 'MarionetteActivePort');
    while (client === undefined) {
      if (spawnFailure) throw spawnFailure;
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`Thunderbird exited before Marionette came up (${String(started.exitCode ?? started.signalCode)})`);
      }
      if (Date.now() > deadline) throw new Error(`Marionette did not come up within ${String(timeoutMs)} ms`);
      let port = 0;
      try {
        port = Number((await readFile(portFile, 'utf8')).trim());
      } catch {
        // Not yet written.
      }
      if (Number.isInteger(port) && port > 0) {
        try {
          client = await MarionetteClient.connect(port, 5_000);
        } catch {
          // Not accepting yet.
        }
      }
      await sleep(50);
    }
    const session = client;
    // "ignore": leave Thunderbird's own alerts open so acceptAlerts() can read them.
    await session.newSession({ unhandledPromptBehavior: 'ignore' }, Math.max(5_000, deadline - Date.now()));
    await session.setContext('chrome');
    const version = await session.executeScript('return Services.appinfo.version;');

    const acceptAlerts = async (): Promise<string[]> => {
      const texts: string[] = [];
      for (let i = 0; i < 20; i++) {
        let text: string;
        try {
          text = await session.getAlertText();
        } catch (error) {
          if (isMarionetteError(error, 'no such alert')) break;
          throw error;
        }
        texts.push(text);
        await session.acceptAlert();
        await sleep(100);
      }
      return texts;
    };

    /** Runs a chrome script; a modal alert in the way is accepted and reported. */
    const run = async (script: string): Promise<unknown> => {
      try {
        return await session.executeScript(script);
      } catch (error) {
        if (isMarionetteError(error, 'unexpected alert open')) throw new ThunderbirdAlertError(await acceptAlerts());
        throw error;
      }
    };

    const readComposeWindows = async (
      options: { readonly count?: number; readonly timeoutMs?: number } = {},
    ): Promise<ComposeWindow[]> => {
      const count = options.count ?? 1;
      const until = Date.now() + (options.timeoutMs ?? 20_000);
      let last: unknown = [];
      while (Date.now() < until) {
        last = await run(readComposeScript);
        const states = windowStates.parse(last);
        if (states.length >= count && states.every((state) => state.ready)) return composeWindows.parse(last);
        await sleep(50);
      }
      throw new Error(
        `no ${String(count)} ready compose window(s) within ${String(options.timeoutMs ?? 20_000)} ms: ${JSON.stringify(last)}`,
      );
    };

    const closeComposeWindows = async (): Promise<void> => {
      await acceptAlerts();
      await run(closeComposeScript);
      const until = Date.now() + 10_000;
      while (z.number().parse(await run(countComposeScript)) > 0) {
        if (Date.now() > until) throw new Error('compose windows still open 10 s after closing them');
        await sleep(50);
      }
    };

    return {
      program: [tools.thunderbird],
      profile,
      env,
      version: String(version),
      readComposeWindows,
      closeComposeWindows,
      acceptAlerts,
      stop,
    };
  } catch (error) {
    const log = await tail(thunderbirdLog);
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${log !== '' ? `\n--- thunderbird.log (end) ---\n${log}` : ''}`, { cause: error });
  }
}
