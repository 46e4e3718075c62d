/**
 * A throwaway self-signed certificate for 127.0.0.1/localhost, made with the openssl command line
 * (argv array, no shell) in a temporary folder. Nothing is committed: key material is created per run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A certificate authority of the office's own, made with openssl, and the server certificates it issues. */
export interface TestAuthority {
  /** The authority's certificate (PEM): what a desk pastes under "Trusted certificate". */
  readonly cert: string;
  /** A key and a certificate signed by this authority for `names`. */
  readonly issue: (names?: readonly string[]) => TestCertificate;
}

/** Creates a throwaway certificate authority (key material per run, never committed). */
export function createTestAuthority(name = 'Kurier test office CA'): TestAuthority {
  const dir = mkdtempSync(path.join(tmpdir(), 'kurier-ca-'));
  const caKey = path.join(dir, 'ca-key.pem');
  const caCert = path.join(dir, 'ca.pem');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...ec,
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-days',
      '2',
      '-keyout',
      caKey,
      '-out',
      caCert,
    ],
    { stdio: 'ignore' },
  );
  const authority = readFileSync(caCert, 'utf8');
  let issued = 0;
  return {
    cert: authority,
    issue: (names = ['DNS:localhost', 'IP:127.0.0.1']) => {
      issued += 1;
      const base = path.join(dir, `server-${String(issued)}`);
      execFileSync(
        'openssl',
        ['req', ...ec, '-subj', '/CN=Kurier test server', '-keyout', `${base}-key.pem`, '-out', `${base}.csr`],
        {
          stdio: 'ignore',
        },
      );
      writeFileSync(`${base}.ext`, `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          caCert,
          '-CAkey',
          caKey,
          '-CAcreateserial',
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
          '-out',
          `${base}.pem`,
        ],
        { stdio: 'ignore' },
      );
      return { key: readFileSync(`${base}-key.pem`, 'utf8'), cert: readFileSync(`${base}.pem`, 'utf8') };
    },
  };
}
