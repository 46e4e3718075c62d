/**
 * What "the default mail program" means on Linux, decided before anything is copied or started:
 * Kurier's own Thunderbird route when the handler is Thunderbird, the documented compose command of
 * Evolution, KMail, Claws Mail or Geary, and xdg-email only for any other program. xdg-email attaches
 * nothing for most programs (xdg-utils 1.2 drops the file, 1.1.3 puts it in the mailto link, which
 * Thunderbird ignores), and on XFCE (exo-open), with $MAILER set or inside a Flatpak it fails with
 * exit code 3 when asked to attach: there it gets no attachment and the user is told which file to add.
 */
import type { KurierErrorShape } from '../../../shared/errors';
import type { HandoffNote } from '../../../shared/handoff';
import { attachesFiles } from './linux-compose';
import { onPath, resolveLinuxMailHandler, type LinuxMailProgram } from './linux-mail-handler';
import type { ProgramProbe } from './program-probe';
import type { ThunderbirdLocation } from './thunderbird-location';
import type { Environment } from './windows-commands';

/** How the Linux default mail program gets a message. */
export type LinuxMailPlan =
  | { readonly kind: 'thunderbird'; readonly thunderbird: ThunderbirdLocation }
  | {
      readonly kind: 'compose';
      readonly program: Exclude<LinuxMailProgram, 'thunderbird' | 'other'>;
      readonly command: readonly string[];
    }
  | { readonly kind: 'xdgEmail'; readonly xdgEmail: string; readonly attach: boolean }
  | { readonly kind: 'none'; readonly reason: KurierErrorShape };

/** Where xdg-email cannot pass a file: XFCE's exo-open, $MAILER, a Flatpak sandbox. */
export function xdgEmailCannotAttach(env: Environment, viaExoOpen: boolean): boolean {
  return viaExoOpen || /xfce/iu.test(env.XDG_CURRENT_DESKTOP ?? '') || (env.MAILER ?? '') !== '' || (env.FLATPAK_ID ?? '') !== '';
}

/** Resolves the handler and picks the route for it. */
export async function linuxMailPlan(probe: ProgramProbe, env: Environment): Promise<LinuxMailPlan> {
  const xdgMime = (await onPath(probe, env, 'xdg-mime')) ?? '/usr/bin/xdg-mime';
  const handler = await resolveLinuxMailHandler(probe, env, xdgMime);
  if (handler === null) return { kind: 'none', reason: { code: 'handoff.noMailHandler', details: {} } };
  if (handler.program === 'thunderbird')
    return { kind: 'thunderbird', thunderbird: { command: handler.command, packaging: handler.packaging } };
  if (handler.program !== 'other') return { kind: 'compose', program: handler.program, command: handler.command };
  const xdgEmail = await onPath(probe, env, 'xdg-email');
  if (xdgEmail === null) return { kind: 'none', reason: { code: 'handoff.noMailClient', details: { program: 'xdg-email' } } };
  return { kind: 'xdgEmail', xdgEmail, attach: !xdgEmailCannotAttach(env, handler.viaExoOpen) };
}

/** What the dialog says about a plan before the hand-off. */
export function linuxMailNotes(plan: LinuxMailPlan): HandoffNote[] {
  switch (plan.kind) {
    case 'thunderbird':
    case 'none':
      return [];
    case 'compose':
      return attachesFiles(plan.program) ? [] : ['attachmentsLost'];
    case 'xdgEmail':
      return plan.attach ? ['attachmentUncertain'] : ['attachmentsLost'];
  }
}
