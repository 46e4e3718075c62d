/**
 * The packaging config validated against electron-builder's own schema, and every fuse stated.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('states every security fuse explicitly', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds NSIS for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    const targets = (platform: string) => JSON.stringify((config[platform] as { target: unknown }).target);
    expect(targets('win')).toContain('nsis');
    expect(targets('mac')).toContain('dmg');
    expect(targets('linux')).toContain('AppImage');
    expect(targets('linux')).toContain('deb');
  });

  it('only uses keys electron-builder knows', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const unknownKeys = Object.keys(config).filter((key) => !(key in schema.properties));
    expect(unknownKeys).toEqual([]);
  });
});
