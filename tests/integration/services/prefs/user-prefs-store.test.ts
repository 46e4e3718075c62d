/**
 * The preferences file on a real disk: round trip, a corrupted file and a hand-edited invalid file
 * (each backed up beside itself, reported, and replaced by defaults for that file only).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { UserPrefsStore } from '../../../../electron/services/prefs/user-prefs-store';
import { userPrefsSchema } from '../../../../shared/prefs';
import { tempDir } from '../../../support/temp-dir';

const logger = createLogger('test', nullSink);
const clock = () => new Date('2026-11-23T10:00:00Z');

describe('UserPrefsStore', () => {
  it('saves and reads back preferences, with defaults for what was never set', async () => {
    const dir = await tempDir();
    const store = UserPrefsStore.open({ dir, logger, clock });
    expect(store.get()).toEqual(userPrefsSchema.parse({}));

    store.set({ ...store.get(), personalEmail: 'jana@kancelar.example', language: 'pl' });
    const reopened = UserPrefsStore.open({ dir, logger, clock });
    expect(reopened.get().personalEmail).toBe('jana@kancelar.example');
    expect(reopened.get().language).toBe('pl');
    expect(reopened.recovery).toBeNull();
  });

  it.each([
    { kind: 'corrupted JSON', content: '{"version":1,"prefs":{"language":"cs"', reason: 'notJson' },
    { kind: 'a hand-edited invalid value', content: '{"version":1,"prefs":{"smtp":{"host":"a b","port":99999}}}', reason: 'invalid' },
    { kind: 'a file from a newer Kurier', content: '{"version":7,"prefs":{}}', reason: 'newerVersion' },
  ])('backs up $kind beside itself and starts with defaults', async ({ content, reason }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'user-preferences.json'), content);

    const store = UserPrefsStore.open({ dir, logger, clock });

    expect(store.recovery?.reason).toBe(reason);
    expect(store.get()).toEqual(userPrefsSchema.parse({}));
    const files = await readdir(dir);
    const backup = files.find((file) => file.startsWith('user-preferences.invalid-'));
    expect(backup).toBeDefined();
    expect(await readFile(path.join(dir, backup!), 'utf8')).toBe(content);
  });

  it('refuses to save what the schema refuses (a header-breaking sender name)', async () => {
    const store = UserPrefsStore.open({ dir: await tempDir(), logger, clock });
    expect(() => {
      store.set({
        ...store.get(),
        smtp: {
          senderName: 'Eve\r\nBcc: everyone@example.com',
          senderAddress: 'eve@example.com',
          replyTo: '',
          host: 'smtp.example.com',
          port: 587,
          security: 'starttls',
          cipherStrength: 'default',
          username: '',
          trustedCertificate: '',
        },
      });
    }).toThrow();
  });
});
