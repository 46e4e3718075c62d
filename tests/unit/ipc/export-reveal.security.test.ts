/**
 * "Show the file" after a hand-off that cannot attach (mailto): main reveals the copy Kurier wrote in
 * this session, and nothing else a window names. The shell's file manager cannot run here, so the test
 * records the exact path handed to it (Electron's `shell.showItemInFolder`).
 */
import { describe, expect, it } from 'vitest';
import type { ExportOutcome } from '../../../shared/contract';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers, type ShellAdapter } from '../../../electron/ipc/handlers';
import { createAppFixture, keyringAvailable } from '../../support/app-fixture';
import { fakeProgramProbe } from '../../support/fake-program-probe';

describe.skipIf(!keyringAvailable)('export:reveal', () => {
  it('reveals the hand-off copy of a mailto export, and refuses any other path', async () => {
    const fixture = await createAppFixture({ handoff: { probe: fakeProgramProbe({}) } });
    const revealed: string[] = [];
    const shell = {
      kind: 'electron',
      version: '0.0.0-test',
      systemLanguage: 'en',
      chooseFolder: () => Promise.resolve({ supported: false, path: null }),
      openWindow: () => Promise.resolve({ opened: true, url: '' }),
      openExternal: () => Promise.resolve(false),
      revealFile: (filePath: string) => {
        revealed.push(filePath);
        return Promise.resolve(true);
      },
    } satisfies ShellAdapter;
    const handlers = createHandlers(fixture.services, shell);
    const [documentId = 0] = fixture.services.documents.listDocuments().map((doc) => doc.id);
    const copy = { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'mailto' };
    const exported = await dispatch(
      handlers,
      'export:run',
      { documentId, format: 'pdf', folder: fixture.exportDir, copy, smtpPassword: null },
      fixture.services.logger,
    );
    if (!exported.ok) throw new Error(JSON.stringify(exported.error));
    const outcome = exported.value as ExportOutcome;
    const attachment = outcome.mail?.ok === true ? outcome.mail.handedOff?.attachmentPath : null;
    if (!attachment) throw new Error('the mailto hand-off named no file to attach');

    expect(await dispatch(handlers, 'export:reveal', { filePath: attachment }, fixture.services.logger)).toEqual({
      ok: true,
      value: { revealed: true },
    });
    expect(await dispatch(handlers, 'export:reveal', { filePath: outcome.filePath }, fixture.services.logger)).toMatchObject({
      ok: true,
    });
    for (const filePath of ['/etc/passwd', `${attachment}/../../../..`, `${fixture.exportDir}/other.pdf`]) {
      expect(await dispatch(handlers, 'export:reveal', { filePath }, fixture.services.logger)).toMatchObject({
        ok: false,
        error: { code: 'input.invalid' },
      });
    }
    expect(revealed).toEqual([attachment, outcome.filePath]);
  });
});
