/**
 * Cipher strengths map to concrete TLS options that OpenSSL accepts, and merging them into a
 * connection's options replaces only what a strength owns.
 */
import { constants } from 'node:crypto';
import { createSecureContext, rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  cipherStrengthProfile,
  cipherStrengths,
  isCipherStrength,
  tlsOptionsFor,
  weakerStrengths,
} from '../../../../electron/services/mail/cipher-strength';

describe('tlsOptionsFor', () => {
  it('default keeps Node’s cipher list and sets TLS 1.2 as the floor', () => {
    expect(tlsOptionsFor('default')).toEqual({ minVersion: 'TLSv1.2' });
  });

  it('strong allows TLS 1.3 only', () => {
    expect(tlsOptionsFor('strong')).toEqual({ minVersion: 'TLSv1.3' });
  });

  it('medium stays at TLS 1.2 with a broader list', () => {
    const options = tlsOptionsFor('medium');
    expect(options.minVersion).toBe('TLSv1.2');
    expect(options.ciphers).toMatch(/^DEFAULT:/);
    expect(options.ciphers).toContain('@SECLEVEL=1');
    expect(options.ciphers).toContain('!aNULL');
  });

  it('weak admits TLS 1.0 with security level 0 and legacy renegotiation', () => {
    const options = tlsOptionsFor('weak');
    expect(options.minVersion).toBe('TLSv1');
    expect(options.ciphers).toContain('@SECLEVEL=0');
    expect(options.ciphers).toContain('!eNULL');
    expect(options.secureOptions).toBe(constants.SSL_OP_LEGACY_SERVER_CONNECT);
  });

  it('replaces the versions and ciphers of the base and keeps everything else', () => {
    const ca = [...rootCertificates];
    const base = {
      host: 'smtp.kancelar.example',
      servername: 'smtp.kancelar.example',
      rejectUnauthorized: true,
      ca,
      minVersion: 'TLSv1.2' as const,
      maxVersion: 'TLSv1.3' as const,
      ciphers: 'HIGH',
    };
    expect(tlsOptionsFor('default', base)).toEqual({
      host: 'smtp.kancelar.example',
      servername: 'smtp.kancelar.example',
      rejectUnauthorized: true,
      ca,
      minVersion: 'TLSv1.2',
    });
    expect(tlsOptionsFor('weak', base)).toMatchObject({ minVersion: 'TLSv1', rejectUnauthorized: true, ca });
    expect(base.ciphers).toBe('HIGH');
  });

  it('adds its secureOptions flags to those of the base', () => {
    const merged = tlsOptionsFor('weak', { secureOptions: constants.SSL_OP_NO_TICKET });
    expect(merged.secureOptions).toBe(constants.SSL_OP_NO_TICKET | constants.SSL_OP_LEGACY_SERVER_CONNECT);
    expect(tlsOptionsFor('strong', { secureOptions: constants.SSL_OP_NO_TICKET }).secureOptions).toBe(constants.SSL_OP_NO_TICKET);
  });

  it.each(cipherStrengths)('OpenSSL accepts the %s options', (strength) => {
    expect(() => createSecureContext(tlsOptionsFor(strength))).not.toThrow();
  });
});

describe('cipher strength profiles', () => {
  it('only weak is flagged for a warning', () => {
    expect(cipherStrengths.filter((strength) => cipherStrengthProfile(strength).isWeak)).toEqual(['weak']);
  });

  it('lists weaker strengths nearest first', () => {
    expect(weakerStrengths('strong')).toEqual(['default', 'medium', 'weak']);
    expect(weakerStrengths('default')).toEqual(['medium', 'weak']);
    expect(weakerStrengths('weak')).toEqual([]);
  });

  it('recognises its own values only', () => {
    expect(isCipherStrength('medium')).toBe(true);
    expect(isCipherStrength('ultra')).toBe(false);
    expect(isCipherStrength(1)).toBe(false);
  });
});
