import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../../../electron/services/logging/logger';

describe('logger redaction', () => {
  it('removes passwords, tokens and message bodies at any depth', () => {
    const lines: string[] = [];
    const log = createLogger(
      'smtp',
      (line) => lines.push(line),
      () => new Date('2026-11-23T10:00:00Z'),
    );
    log.info('sent', {
      host: 'smtp.example.com',
      auth: { user: 'jana', pass: 'tajne-heslo' },
      accessToken: 'ya29.token',
      mail: { subject: 'Faktura', text: 'Mzda 45 000 Kč', html: '<p>Mzda</p>' },
    });
    const line = lines[0] ?? '';
    expect(line).toContain('smtp.example.com');
    expect(line).toContain('Faktura');
    for (const secret of ['tajne-heslo', 'ya29.token', '45 000', '<p>Mzda']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ level: 'info', scope: 'smtp', event: 'sent', time: '2026-11-23T10:00:00.000Z' });
  });

  it('keeps the useful fields of an error', () => {
    const error = Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' });
    expect(redact({ error })).toEqual({
      error: { name: 'Error', message: 'Invalid login', code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' },
    });
  });

  it("keeps the logger's scope when an event has a field of the same name", () => {
    const lines: string[] = [];
    const log = createLogger('outbox', (line) => lines.push(line));
    log.info('batchStopped', { scope: 'global', event: 'x', batchId: 7 });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      scope: 'outbox',
      event: 'batchStopped',
      'field.scope': 'global',
      'field.event': 'x',
      batchId: 7,
    });
  });
});
