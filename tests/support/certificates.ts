/**
 * A throwaway self-signed certificate for 127.0.0.1/localhost, made with the openssl command line
 * (argv array, no shell) in a temporary folder. Nothing is committed: key material is created per run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A PEM key and certificate. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

/** Creates a certificate valid for localhost and 127.0.0.1 (or for `names` when given). */
export function createTestCertificate(names: readonly string[] = ['DNS:localhost', 'IP:127.0.0.1']): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'kurier-cert-'));
  try {
    const keyPath = path.join(dir, 'key.pem');
    const certPath = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=Kurier test server',
        '-addext',
        `subjectAltName=${names.join(',')}`,
        '-days',
        '2',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
