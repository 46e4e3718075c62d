/**
 * The platform registry of hand-off routes (route-registry.ts) and the fallback main tells the export
 * dialog about (`export:fallback`): every platform offers the same four routes in the same order, each
 * its own object; the fallback is the preferred program when it works here, else the first that does.
 */
import { describe, expect, it } from 'vitest';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { HandoffContext } from '../../../../electron/services/handoff/mail-route';
import { fallbackRoute, mailRoutesFor } from '../../../../electron/services/handoff/route-registry';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import type { RouteOption } from '../../../../shared/handoff';
import { fakeProgramProbe } from '../../../support/fake-program-probe';

const context = (platform: NodeJS.Platform, files: string[] = []) =>
  new HandoffContext({
    platform,
    env: { HOME: '/home/jana', PATH: '/usr/bin', XDG_DATA_DIRS: '/usr/share' },
    probe: fakeProgramProbe({ files }),
    documentsDir: '/home/jana/Documents',
    logger: createLogger('test', nullSink),
  });

const option = (route: RouteOption['route'], available: boolean): RouteOption =>
  available
    ? { route, available, notes: [] }
    : { route, available, reason: { code: 'handoff.notOnThisSystem', details: {} }, notes: [] };

describe('the route registry', () => {
  it.each(['linux', 'darwin', 'win32', 'freebsd'] as const)(
    'offers Thunderbird, the mail client, Outlook and mailto on %s',
    (platform) => {
      expect(mailRoutesFor(context(platform)).map((route) => route.route)).toEqual([
        'thunderbird',
        'mailClient',
        'outlook',
        'mailto',
      ]);
    },
  );

  it('says why the default mail client is missing where Kurier knows no way to it', async () => {
    const [, mailClient] = mailRoutesFor(context('freebsd'));
    expect(await mailClient?.availability()).toMatchObject({ available: false, reason: { code: 'handoff.notOnThisSystem' } });
    await expect(
      mailClient?.handOff({ to: [], cc: [], bcc: [], subject: '', text: '', attachments: [] }, {}),
    ).rejects.toMatchObject({
      code: 'handoff.notOnThisSystem',
    });
  });
});

describe('the fallback when SMTP failed', () => {
  const options = [
    option('smtp', true),
    option('thunderbird', true),
    option('mailClient', true),
    option('outlook', false),
    option('mailto', true),
  ];

  it('is the preferred program when it works here, else the first that does, never SMTP', () => {
    expect(fallbackRoute('mailClient', options)).toBe('mailClient');
    expect(fallbackRoute('smtp', options)).toBe('thunderbird');
    expect(fallbackRoute('outlook', options)).toBe('thunderbird');
    expect(fallbackRoute('smtp', [option('smtp', true), option('thunderbird', false)])).toBeNull();
  });

  it('on a computer without mail programs is the mailto link', async () => {
    const service = new HandoffService(context('linux').o);
    expect(await service.fallback('thunderbird')).toBe('mailto');
  });
});
