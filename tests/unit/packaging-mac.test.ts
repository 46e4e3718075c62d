/**
 * The macOS build can drive Mail: a hardened-runtime app needs the Apple-events entitlement (without
 * it macOS refuses with -1743 before asking the user) and an NSAppleEventsUsageDescription, the
 * sentence shown when macOS first asks whether Kurier may control Mail. Read from the real config and
 * entitlements file electron-builder signs with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { mac: Record<string, unknown> };

/** The `<key>` → value pairs of a flat plist `<dict>` (true/false/string), checking it is one well-formed dict. */
function plistDict(xml: string): Map<string, boolean | string> {
  const body = /<plist version="1\.0">\s*<dict>([\s\S]*)<\/dict>\s*<\/plist>\s*$/u.exec(xml.replace(/<!--[\s\S]*?-->/gu, ''));
  if (!body) throw new Error('not a plist with one dict');
  const entries = new Map<string, boolean | string>();
  const rest = (body[1] ?? '').replace(
    /<key>([^<]+)<\/key>\s*(?:<(true|false)\/>|<string>([^<]*)<\/string>)/gu,
    (_, key: string, flag?: string, text?: string) => {
      entries.set(key, flag !== undefined ? flag === 'true' : (text ?? ''));
      return '';
    },
  );
  if (rest.trim() !== '') throw new Error(`unexpected plist content: ${rest.trim().slice(0, 80)}`);
  return entries;
}

describe('macOS packaging for the Mail route', () => {
  it('signs with the Apple-events entitlement under the hardened runtime, for the app and its helpers', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const entitlements = plistDict(readFileSync(path.join(root, 'build', 'entitlements.mac.plist'), 'utf8'));
    expect(entitlements.get('com.apple.security.automation.apple-events')).toBe(true);
    // Nothing that would open the app up beyond what Electron's V8 needs.
    expect([...entitlements.keys()].sort()).toEqual([
      'com.apple.security.automation.apple-events',
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
    ]);
  });

  it('tells the user why Kurier asks to control Mail (NSAppleEventsUsageDescription)', () => {
    const info = config.mac.extendInfo as Record<string, unknown>;
    expect(typeof info.NSAppleEventsUsageDescription).toBe('string');
    expect(String(info.NSAppleEventsUsageDescription)).toMatch(/Mail/u);
  });

  it('uses only keys electron-builder knows for macOS', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      definitions: { MacConfiguration: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(config.mac).filter((key) => !(key in schema.definitions.MacConfiguration.properties))).toEqual([]);
  });
});
