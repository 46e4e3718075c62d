/**
 * Which hand-off routes a system has, in the order the dialog offers them — the one place that says
 * so. The dialog's fallback when SMTP fails is decided here too, so the window never re-derives it.
 */
import type { HandoffRoute, RouteOption } from '../../../shared/handoff';
import type { HandoffContext, MailRoute } from './mail-route';
import { LinuxMailClientRoute } from './routes/linux-mail-client-route';
import { MacMailRoute } from './routes/mac-mail-route';
import { mailtoRoute } from './routes/mailto-route';
import { MapiRoute } from './routes/mapi-route';
import { OutlookRoute } from './routes/outlook-route';
import { ThunderbirdRoute } from './routes/thunderbird-route';
import { unavailableRoute } from './routes/unavailable-route';

/** The routes of `context`'s platform: Thunderbird, the default mail client, Outlook, mailto. */
export function mailRoutesFor(context: HandoffContext): readonly MailRoute[] {
  const { platform, mapiRunner } = context.o;
  const mailClient: MailRoute =
    platform === 'linux'
      ? new LinuxMailClientRoute(context)
      : platform === 'darwin'
        ? new MacMailRoute(context)
        : platform === 'win32' && mapiRunner !== undefined
          ? new MapiRoute(context, mapiRunner)
          : unavailableRoute('mailClient', platform);
  // Outlook answers "not on this system" by itself off Windows (see windows-routes.ts).
  return [new ThunderbirdRoute(context), mailClient, new OutlookRoute(context), mailtoRoute];
}

/** The order a mail program is tried in when SMTP failed, after the one the preferences name. */
const fallbackOrder: readonly HandoffRoute[] = ['outlook', 'thunderbird', 'mailClient', 'mailto'];

/**
 * The route the export dialog offers when SMTP failed: the mail program the preferences name when it
 * works here, else Outlook, Thunderbird, the default client, mailto — the first available; null: none.
 */
export function fallbackRoute(preferred: RouteOption['route'], options: readonly RouteOption[]): HandoffRoute | null {
  for (const candidate of [preferred, ...fallbackOrder]) {
    if (candidate === 'smtp') continue;
    if (options.some((option) => option.route === candidate && option.available)) return candidate;
  }
  return null;
}
