/**
 * The ISDOC fixtures are what the specification says: each validates against the official ISDOC 6.0.2
 * schema (vendored in tests/fixtures/isdoc-schema) with libxml2's xmllint. A fixture that drifted from the
 * schema would make the importer tests prove nothing about real files.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures');
const schema = path.join(fixtures, 'isdoc-schema', 'isdoc-invoice-6.0.2.xsd');
const isdocFiles = [
  ...readdirSync(path.join(fixtures, 'documents'))
    .filter((name) => name.endsWith('.isdoc'))
    .map((name) => path.join(fixtures, 'documents', name)),
  path.join(fixtures, 'documents', 'parts', 'isdocx-inner-FV-2026-0906.isdoc'),
];

describe('ISDOC fixtures', () => {
  it.each(isdocFiles.map((file) => [path.basename(file), file]))(
    '%s validates against isdoc-invoice-6.0.2.xsd',
    (_name, file) => {
      // --nonet: the schema is local; xmllint never reaches the network.
      const output = execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(output).toBe('');
    },
  );

  it('covers all seven document types', () => {
    expect(isdocFiles.filter((file) => /isdoc-[1-7]-/.test(path.basename(file)))).toHaveLength(7);
  });
});
