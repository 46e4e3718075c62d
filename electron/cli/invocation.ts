/**
 * How the app binary was started: as the app, or as the `kurier` command line (issue 15). The packaged
 * app has no Node of its own to run bin/kurier.mjs (the `runAsNode` fuse is off), so its launchers
 * (build/cli/kurier, build/cli/kurier.cmd) start the app binary itself as `Kurier --cli -- ARGS…`.
 *
 * Electron's argv differs between the two ways the app runs:
 * - packaged: `[Kurier, --cli, --, ARGS…]` (the binary, then what it was given);
 * - from the checkout: `[electron, APP_PATH, --cli, --, ARGS…]` (the app's folder comes first).
 *
 * `--cli` must be the first argument after those, give or take Chromium switches put before it (the
 * AppImage's AppRun adds `--no-sandbox` where user namespaces are missing), so a file or URL the app is
 * opened with never turns it into the command line. Everything after the `--` is the user's, handed over
 * as it is (Chromium also stops reading its own switches at `--`, so an argument such as `--no-sandbox`
 * there stays an argument).
 */

/** What main does with this start. */
export type AppInvocation = { readonly kind: 'app' } | { readonly kind: 'cli'; readonly args: readonly string[] };

/** Reads `process.argv` (with `app.isPackaged`). */
export function appInvocation(argv: readonly string[], isPackaged: boolean): AppInvocation {
  let next = 1;
  const skipSwitches = () => {
    while (next < argv.length && isSwitch(argv[next] ?? '')) next++;
  };
  skipSwitches();
  if (!isPackaged) {
    // The app's folder (`electron .`), and any switches after it.
    next++;
    skipSwitches();
  }
  if (argv[next] !== '--cli') return { kind: 'app' };
  // `Kurier --cli -- ARGS` is what the launchers write; `Kurier --cli ARGS` is taken too when typed by hand.
  const rest = argv.slice(next + 1);
  return { kind: 'cli', args: rest[0] === '--' ? rest.slice(1) : rest };
}

/** A Chromium or Electron switch (`--no-sandbox`, `--ozone-platform=x11`); not `--` and not `--cli`. */
function isSwitch(arg: string): boolean {
  return arg.startsWith('--') && arg !== '--' && arg !== '--cli';
}
