/**
 * The layering rule of electron/services (eslint-rules/service-layers.js): RuleTester proves it fires on
 * an upward import, an import between siblings, a room without a layer and a value import of electron,
 * and lets downward imports pass; the real config proves it is switched on for the services, and every
 * room on disk has a layer.
 */
import { ESLint, RuleTester } from 'eslint';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { roomOf, serviceLayers, serviceLayersRule } from '../../../eslint-rules/service-layers.js';

// RuleTester reports through the test framework's describe/it.
Object.assign(RuleTester, { afterAll, describe, it, itOnly: it.only });

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const services = path.join(root, 'electron', 'services');
const at = (file: string) => path.join(services, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2024, sourceType: 'module' } });

tester.run('kurier/service-layers', serviceLayersRule, {
  valid: [
    // Down the layers, inside a room, from the composition root, from outside services.
    { code: "import { ExportService } from '../export/export-service';", filename: at('sending/document-sender.ts') },
    { code: "import { SmtpSession } from '../mail/smtp-session';", filename: at('outbox/outbox-worker.ts') },
    { code: "import { writeNewFile } from '../files/new-file';", filename: at('handoff/script-file.ts') },
    { code: "import { Pacer } from './pacer';", filename: at('outbox/outbox-worker.ts') },
    { code: "import { DocumentSender } from './sending/document-sender';", filename: at('app-services.ts') },
    { code: "import { createAppServices } from '../services/app-services';", filename: path.join(root, 'electron', 'main.ts') },
    { code: "import type { App } from 'electron';", filename: at('prefs/preferences-service.ts') },
    { code: "export { systemRoot } from '../data/windows-env';", filename: at('handoff/windows-commands.ts') },
  ],
  invalid: [
    {
      // The outbox reaching up into the use case that calls it (what batch-service.ts once did to export/).
      code: "import type { SmtpCopy } from '../sending/smtp-copy';",
      filename: at('outbox/send-one.ts'),
      errors: [{ messageId: 'upward' }],
    },
    {
      code: "import { exportFileName } from '../export/file-names';",
      filename: at('handoff/handoff-folder.ts'),
      errors: [{ messageId: 'upward' }],
    },
    {
      code: "import { systemRoot } from '../handoff/windows-commands';",
      filename: at('prefs/preferences-service.ts'),
      errors: [{ messageId: 'upward' }],
    },
    { code: "export * from '../outbox/outbox-store';", filename: at('mail/smtp-session.ts'), errors: [{ messageId: 'upward' }] },
    {
      code: "const m = import('../sending/document-sender');",
      filename: at('export/export-service.ts'),
      errors: [{ messageId: 'upward' }],
    },
    {
      code: "import { x } from '../reports/x';",
      filename: at('sending/document-sender.ts'),
      errors: [{ messageId: 'unknownRoom' }],
    },
    {
      code: "import { app } from 'electron';",
      filename: at('prefs/preferences-service.ts'),
      errors: [{ messageId: 'electron' }],
    },
  ],
});

describe('service layers in the real config', () => {
  it('reports an upward import in a service file', async () => {
    const eslint = new ESLint({ cwd: root });
    const code = "import { DocumentSender } from '../sending/document-sender';\nexport const x = DocumentSender;\n";
    const [result] = await eslint.lintText(code, { filePath: at('outbox/outbox-store.ts') });
    expect(result?.messages.map((message) => message.ruleId)).toContain('kurier/service-layers');
  });

  it('gives every room on disk a layer', () => {
    const rooms = readdirSync(services, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(rooms.filter((room) => !serviceLayers.some((layer) => layer.includes(room)))).toEqual([]);
    expect(roomOf(at('sending/smtp-copy.ts'))).toBe('sending');
    expect(roomOf(at('app-services.ts'))).toBe('');
  });
});
