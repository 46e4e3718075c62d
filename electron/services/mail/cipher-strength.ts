/**
 * Cipher strength: how old a TLS server Kurier agrees to talk to. Each choice maps to concrete Node TLS
 * options (minimum/maximum protocol version, OpenSSL cipher string, legacy flags). Certificate
 * verification is no part of this: every strength verifies the certificate the same way.
 *
 * OpenSSL 3 (bundled with Node 24) refuses TLS 1.0/1.1 and SHA-1 handshake signatures at security level 1
 * and above, so the weak choice must lower the level with `@SECLEVEL=0` in the cipher string; lowering
 * `minVersion` alone still fails the handshake.
 */
import { constants } from 'node:crypto';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import { cipherStrengths, type CipherStrength } from '../../../shared/smtp-security';

export { cipherStrengths, type CipherStrength };

/** The TLS options a strength owns; anything else in a connection's options is left alone. */
export interface CipherStrengthTls {
  readonly minVersion: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** An OpenSSL cipher string; absent means Node's default list. */
  readonly ciphers?: string;
  /** OpenSSL `SSL_OP_*` flags to add. */
  readonly secureOptions?: number;
}

/** What a strength means, for the connection and for the UI. */
export interface CipherStrengthProfile {
  readonly strength: CipherStrength;
  /** True when the choice admits protocols or ciphers known to be broken: the UI shows a warning. */
  readonly isWeak: boolean;
  readonly tls: CipherStrengthTls;
}

// Exclusions shared by the broader lists: no anonymous or null ciphers, no export grade, RC4 or MD5,
// and no PSK/SRP suites (they need a pre-shared secret an SMTP server never has).
const neverAllowed = '!aNULL:!eNULL:!EXPORT:!RC4:!MD5:!PSK:!SRP';

const profiles: Readonly<Record<CipherStrength, CipherStrengthProfile>> = {
  // TLS 1.3 only (Mozilla "modern"): every TLS 1.3 suite is AEAD with forward secrecy.
  strong: { strength: 'strong', isWeak: false, tls: { minVersion: 'TLSv1.3' } },
  // Node's own cipher list; only the protocol floor is ours (the same as smtpTransportOptions).
  default: { strength: 'default', isWeak: false, tls: { minVersion: 'TLSv1.2' } },
  // TLS 1.2 still, with OpenSSL's full default list (adds CAMELLIA, ARIA, the plain-RSA and CBC suites)
  // at security level 1, which accepts the 1024-bit DH groups older office servers are set up with.
  medium: {
    strength: 'medium',
    isWeak: false,
    tls: { minVersion: 'TLSv1.2', ciphers: `DEFAULT:${neverAllowed}:!DES:@SECLEVEL=1` },
  },
  // TLS 1.0 and 1.1, 3DES, SHA-1 signatures and servers without secure renegotiation (RFC 5746), as
  // on Windows Server 2008 / Exchange 2010 era machines. Security level 0 is what lets OpenSSL 3 agree.
  weak: {
    strength: 'weak',
    isWeak: true,
    tls: {
      minVersion: 'TLSv1',
      ciphers: `DEFAULT:3DES:${neverAllowed}:@SECLEVEL=0`,
      secureOptions: constants.SSL_OP_LEGACY_SERVER_CONNECT,
    },
  },
};

/** The profile of one strength. */
export function cipherStrengthProfile(strength: CipherStrength): CipherStrengthProfile {
  return profiles[strength];
}

/** True when `value` is one of {@link cipherStrengths} (for values read from disk or IPC). */
export function isCipherStrength(value: unknown): value is CipherStrength {
  return typeof value === 'string' && (cipherStrengths as readonly string[]).includes(value);
}

/**
 * `base` with the protocol versions and ciphers of `strength`. The strength owns `minVersion`,
 * `maxVersion` and `ciphers` outright (a value in `base` is replaced or removed), and adds its
 * `secureOptions` flags to those of `base`. Everything else — `ca`, `servername`, `rejectUnauthorized` —
 * is kept as it is.
 */
export function tlsOptionsFor(strength: CipherStrength, base: ConnectionOptions = {}): ConnectionOptions {
  const tls = profiles[strength].tls;
  const merged: ConnectionOptions = { ...base, minVersion: tls.minVersion };
  delete merged.maxVersion;
  delete merged.ciphers;
  delete merged.secureOptions;
  if (tls.maxVersion !== undefined) merged.maxVersion = tls.maxVersion;
  if (tls.ciphers !== undefined) merged.ciphers = tls.ciphers;
  const flags = (base.secureOptions ?? 0) | (tls.secureOptions ?? 0);
  if (flags !== 0) merged.secureOptions = flags;
  return merged;
}

/** The strengths weaker than `strength`, nearest first: what to try when a handshake fails. */
export function weakerStrengths(strength: CipherStrength): readonly CipherStrength[] {
  return cipherStrengths.slice(cipherStrengths.indexOf(strength) + 1);
}
