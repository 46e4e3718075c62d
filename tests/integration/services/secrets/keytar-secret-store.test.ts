/**
 * The keychain for real: keytar against gnome-keyring's Secret Service inside the private D-Bus session
 * that `npm test` starts. Then the whole save path of preferences, after which neither the preferences
 * file nor the database may contain the password.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../../electron/services/secrets/keytar-secret-store';
import type { SecretKey } from '../../../../electron/services/secrets/secret-store';
import { createAppFixture, savedSmtpPassword, keyringAvailable } from '../../../support/app-fixture';

const password = `Heslo-${randomUUID()}-žluťoučký`;

describe.skipIf(!keyringAvailable)('KeytarSecretStore on the Secret Service (gnome-keyring)', () => {
  it('sets, reads, replaces and deletes a secret', async () => {
    const store = new KeytarSecretStore({ service: `Kurier-test-${randomUUID()}` });
    const key: SecretKey = { scope: 'user', id: 'smtp:default' };

    expect(await store.isAvailable()).toBe(true);
    expect(await store.get(key)).toBeNull();
    await store.set(key, password);
    expect(await store.get(key)).toBe(password);
    await store.set(key, `${password}-2`);
    expect(await store.get(key)).toBe(`${password}-2`);
    expect(await store.delete(key)).toBe(true);
    expect(await store.get(key)).toBeNull();
    expect(await store.delete(key)).toBe(false);
  });

  it('keeps the SMTP password out of the preferences file and the database', async () => {
    const app = await createAppFixture();
    const view = await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          language: 'cs',
          personalEmail: 'ja@kancelar.example',
          smtp: {
            senderName: 'Kancelář',
            senderAddress: 'ucetni@kancelar.example',
            replyTo: '',
            bccSelf: false,
            host: 'smtp.kancelar.example',
            port: 465,
            security: 'ssl',
            cipherStrength: 'default',
            auth: 'password',
            username: 'ucetni@kancelar.example',
            trustedCertificate: '',
          },
        },
      },
      { action: 'set', value: password },
    );

    expect(view.passwords.user.saved).toBe(true);
    expect(JSON.stringify(view)).not.toContain(password);
    expect(await savedSmtpPassword(app.secrets, { scope: 'user', id: 'smtp:default' })).toBe(password);

    app.services.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const files = await readdir(app.dataDir);
    expect(files).toContain('user-preferences.json');
    expect(files).toContain('kurier.sqlite');
    for (const file of files) {
      const bytes = await readFile(path.join(app.dataDir, file));
      expect(bytes.includes(Buffer.from(password)), `${file} must not contain the password`).toBe(false);
    }

    const cleared = await app.services.prefs.updateUser(view.user, { action: 'clear' });
    expect(cleared.passwords.user.saved).toBe(false);
    expect(await app.secrets.get({ scope: 'user', id: 'smtp:default' })).toBeNull();
  });
});
