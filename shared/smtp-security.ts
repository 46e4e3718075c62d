/**
 * SMTP connection security modes, without schemas (the renderer imports these without pulling in zod).
 */

/** Connection security of an SMTP account. */
export const connectionSecurities = ['none', 'starttls', 'ssl'] as const;
/** One of {@link connectionSecurities}. */
export type ConnectionSecurity = (typeof connectionSecurities)[number];

/** The usual port for each security mode, offered when the user switches mode. */
export const defaultPortFor: Readonly<Record<ConnectionSecurity, number>> = {
  none: 25,
  starttls: 587,
  ssl: 465,
};

/** How old a TLS server Kurier agrees to talk to, strongest first. `weak` admits TLS 1.0/1.1 and warns. */
export const cipherStrengths = ['strong', 'default', 'medium', 'weak'] as const;
/** One of {@link cipherStrengths}. */
export type CipherStrength = (typeof cipherStrengths)[number];
