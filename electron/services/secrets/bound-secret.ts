/**
 * A secret is kept together with the destination it was saved for, in the same keychain entry: an SMTP
 * password with (host, port, connection security, user name), a sign-in's tokens with (provider, token
 * endpoint, client ID, mailbox). The preferences files say where mail goes and anyone who can write the
 * office file can change them; the keychain entry belongs to this OS user alone. So the binding lives in
 * the keychain, and a secret is handed out only for the destination it names — any difference and it is
 * withheld until the user enters it again (saying what changed), wherever it was asked for.
 *
 * Entries written before bindings existed (a bare password) have no destination: they are withheld too,
 * and the user is asked for the password once more. Binding them to whatever the files say today would
 * bind them to a file an attacker may already have changed.
 */
import type { BindingField, ConnectionSecurity, SmtpAccount } from '../../../shared/prefs';

/** Where an SMTP password may be sent. */
export interface SmtpBinding {
  readonly host: string;
  readonly port: number;
  readonly security: ConnectionSecurity;
  readonly username: string;
  /**
   * The user confirmed that this password travels unencrypted (connection security "none"); asked
   * when the password is entered for such a server, and remembered with it.
   */
  readonly plainTextAccepted: boolean;
}

/** A password as the keychain holds it. */
interface SealedPassword {
  readonly kurier: 1;
  readonly password: string;
  readonly boundTo: SmtpBinding;
}

/** What the keychain entry says, once read. */
export type OpenedPassword =
  { readonly kind: 'bound'; readonly password: string; readonly boundTo: SmtpBinding } | { readonly kind: 'unbound' };

/** The destination of `account`, as a binding. */
export function smtpBindingOf(account: SmtpAccount, plainTextAccepted: boolean): SmtpBinding {
  return {
    host: normalHost(account.host),
    port: account.port,
    security: account.security,
    username: account.username,
    plainTextAccepted: account.security === 'none' && plainTextAccepted,
  };
}

/** The keychain text for `password` bound to `binding`. */
export function sealPassword(password: string, binding: SmtpBinding): string {
  const sealed: SealedPassword = { kurier: 1, password, boundTo: binding };
  return JSON.stringify(sealed);
}

/** Reads a keychain entry; a bare password from before bindings is `unbound`. */
export function openPassword(stored: string): OpenedPassword {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { kind: 'unbound' };
  }
  if (!isSealed(parsed)) return { kind: 'unbound' };
  return { kind: 'bound', password: parsed.password, boundTo: parsed.boundTo };
}

/** The fields in which `account` differs from the destination a password was saved for. */
export function bindingChanges(boundTo: SmtpBinding, account: SmtpAccount): BindingField[] {
  const changes: BindingField[] = [];
  if (boundTo.host !== normalHost(account.host)) changes.push('host');
  if (boundTo.port !== account.port) changes.push('port');
  if (boundTo.security !== account.security) changes.push('security');
  if (boundTo.username !== account.username) changes.push('username');
  return changes;
}

// Host names compare without case and without a final dot; everything else compares exactly.
function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function isSealed(value: unknown): value is SealedPassword {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const boundTo = record.boundTo as Record<string, unknown> | null | undefined;
  return (
    record.kurier === 1 &&
    typeof record.password === 'string' &&
    typeof boundTo === 'object' &&
    boundTo !== null &&
    typeof boundTo.host === 'string' &&
    typeof boundTo.port === 'number' &&
    typeof boundTo.security === 'string' &&
    typeof boundTo.username === 'string' &&
    typeof boundTo.plainTextAccepted === 'boolean'
  );
}
