/**
 * The one IPC wrapper against hostile callers: unknown channels, invalid payloads, header injection
 * in every field that reaches a header, and exceptions that must not leak their text.
 */
import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../electron/ipc/dispatch';
import { createLogger } from '../../../electron/services/logging/logger';
import { channels, contract } from '../../../shared/contract';
import { KurierError } from '../../../shared/errors';

const lines: string[] = [];
const logger = createLogger('test', (line) => lines.push(line));

function handlers(overrides: Partial<Record<keyof Handlers, (input: unknown) => unknown>> = {}): Handlers {
  const calls = Object.fromEntries(channels.map((channel) => [channel, () => ({ called: channel })]));
  return { ...calls, ...overrides } as unknown as Handlers;
}

const validRun = {
  documentId: 1,
  format: 'pdf',
  folder: '/tmp',
  copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den' },
};

describe('dispatch', () => {
  it('the preload and bridge channel list is exactly the contract', () => {
    expect([...channels].sort()).toEqual(Object.keys(contract).sort());
  });

  it('passes a valid call through', async () => {
    expect(await dispatch(handlers(), 'export:run', validRun, logger)).toEqual({ ok: true, value: { called: 'export:run' } });
  });

  it.each([undefined, 42, 'export:delete', '__proto__', 'constructor', 'toString'])(
    'refuses unknown channel %j',
    async (channel) => {
      const result = await dispatch(handlers(), channel, {}, logger);
      expect(result).toEqual({ ok: false, error: { code: 'input.invalid', details: { _: 'unknownChannel' } } });
    },
  );

  it.each([
    ['a negative id', { ...validRun, documentId: -1 }, 'documentId'],
    ['a string id', { ...validRun, documentId: '1; DROP TABLE documents' }, 'documentId'],
    ['another format', { ...validRun, format: 'exe' }, 'format'],
    [
      'CR/LF in the subject',
      { ...validRun, copy: { ...validRun.copy, subject: 'Faktura\r\nBcc: all@example.com' } },
      'copy.subject',
    ],
    ['two recipients in one', { ...validRun, copy: { ...validRun.copy, to: 'a@firma.example, b@firma.example' } }, 'copy.to'],
    ['a header in the address', { ...validRun, copy: { ...validRun.copy, to: 'a@firma.example\nBcc: b@x.example' } }, 'copy.to'],
  ])('refuses %s and names the field', async (_name, input, field) => {
    const result = await dispatch(handlers(), 'export:run', input, logger);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('input.invalid');
      expect(Object.keys(result.error.details)).toContain(field);
    }
  });

  const headerBreakingAccount = {
    senderName: 'Eve\r\nBcc: all@example.com',
    senderAddress: 'eve@example.com',
    replyTo: '',
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    username: '',
  };

  it.each([
    {
      channel: 'prefs:updateUser' as const,
      input: { prefs: { overrides: { smtp: headerBreakingAccount } }, password: { action: 'keep' } },
      field: 'prefs.overrides.smtp.senderName',
    },
    {
      channel: 'prefs:updateGlobal' as const,
      input: { prefs: { smtp: headerBreakingAccount }, password: { action: 'keep' } },
      field: 'prefs.smtp.senderName',
    },
    {
      channel: 'smtp:test' as const,
      input: { scope: 'user', account: headerBreakingAccount, password: { action: 'keep' }, testMessage: null },
      field: 'account.senderName',
    },
  ])('refuses a sender name that would add a header on $channel', async ({ channel, input, field }) => {
    const result = await dispatch(handlers(), channel, input, logger);
    expect(result).toEqual({ ok: false, error: { code: 'input.invalid', details: { [field]: 'lineBreak' } } });
  });

  it('refuses an office folder that is not a full path, and keys no form has', async () => {
    const relative = await dispatch(
      handlers(),
      'prefs:updateUser',
      { prefs: { globalPrefsFolder: 'kancelar/kurier' }, password: { action: 'keep' } },
      logger,
    );
    expect(relative).toEqual({
      ok: false,
      error: { code: 'input.invalid', details: { 'prefs.globalPrefsFolder': 'notAbsolute' } },
    });
    for (const folder of ['/mnt/kancelar/kurier', 'C:\\Kurier', '\\\\server\\kurier']) {
      const accepted = await dispatch(
        handlers(),
        'prefs:updateUser',
        { prefs: { globalPrefsFolder: folder }, password: { action: 'keep' } },
        logger,
      );
      expect(accepted.ok, folder).toBe(true);
    }
    const smuggled = await dispatch(
      handlers(),
      'prefs:updateGlobal',
      { prefs: { language: 'cs', secretKey: 'x' }, password: { action: 'keep' } },
      logger,
    );
    expect(smuggled.ok).toBe(false);
  });

  it.each([
    ['no documents', 'outbox:dryRun', { documentIds: [], target: { kind: 'partner' } }, 'documentIds'],
    [
      'more than 10,000 documents',
      'outbox:dryRun',
      { documentIds: Array.from({ length: 10_001 }, (_, i) => i + 1), target: { kind: 'partner' } },
      'documentIds',
    ],
    [
      'the same document twice (its partner would get two messages)',
      'outbox:start',
      { documentIds: [3, 5, 3], target: { kind: 'partner' }, folder: '/tmp', testToMe: false, spreadOverDays: false },
      'documentIds',
    ],
    [
      'a header in the single address',
      'outbox:start',
      {
        documentIds: [1],
        target: { kind: 'address', address: 'a@firma.example\r\nBcc: x@y.example' },
        folder: '/tmp',
        testToMe: false,
        spreadOverDays: false,
      },
      'target.address',
    ],
    [
      'a payslip password a spreadsheet would run',
      'payslips:change',
      { partnerId: 1, change: { action: 'set', value: '=HYPERLINK("x")' } },
      'change.value',
    ],
    [
      'a payslip password with a line break',
      'payslips:change',
      { partnerId: 1, change: { action: 'set', value: 'abcdefgh\r\nBcc: x' } },
      'change.value',
    ],
    ['an unknown batch action', 'outbox:control', { batchId: 1, action: 'delete' }, 'action'],
    ['an SQL-ish history filter', 'outbox:history', { status: "sent' OR 1=1 --" }, 'status'],
    [
      'CSV labels with a line break',
      'outbox:exportCsv',
      { filter: {}, labels: { header: ['a\r\nb', ...Array.from({ length: 10 }, () => 'x')], status: {} } },
      'labels.header.0',
    ],
  ] as const)('refuses %s on %s', async (_name, channel, input, field) => {
    const result = await dispatch(handlers(), channel, input, logger);
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.error.details).toHaveProperty([field]);
  });

  it('refuses CC and BCC presets that are not a list of addresses', async () => {
    const result = await dispatch(
      handlers(),
      'prefs:updateGlobal',
      {
        prefs: {
          sending: { route: 'smtp', sendCopy: true, cc: 'sef@kancelar.example, not an address', bcc: 'a@b.example\r\nX: y' },
        },
        password: { action: 'keep' },
      },
      logger,
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'input.invalid', details: { 'prefs.sending.cc': 'invalidAddress', 'prefs.sending.bcc': 'invalidAddress' } },
    });
  });

  it('returns a KurierError as its code and details', async () => {
    const failing = handlers({
      'export:run': () => {
        throw new KurierError('export.diskFull');
      },
    });
    expect(await dispatch(failing, 'export:run', validRun, logger)).toEqual({
      ok: false,
      error: { code: 'export.diskFull', details: {} },
    });
  });

  it('hides an unexpected exception behind internal.unexpected and logs it redacted', async () => {
    lines.length = 0;
    const failing = handlers({
      'export:run': () => {
        throw Object.assign(new Error('ECONNRESET at /home/jana/secret path'), { password: 'x' });
      },
    });
    const result = await dispatch(failing, 'export:run', validRun, logger);
    expect(result).toEqual({ ok: false, error: { code: 'internal.unexpected', details: {} } });
    expect(JSON.stringify(result)).not.toContain('ECONNRESET');
    expect(lines.join('\n')).toContain('callCrashed');
  });
});
