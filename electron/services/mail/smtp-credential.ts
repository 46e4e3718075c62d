/**
 * How an SMTP connection logs in: a password (or app password), or an OAuth2 access token sent with
 * SASL XOAUTH2 (nodemailer speaks it, see smtp-session.ts). Token credentials fetch their token when
 * the login happens and once more, renewed, when the server rejects it.
 */
import { KurierError } from '../../../shared/errors';
import { withheldErrorShape } from '../../../shared/password-binding';
import type { PasswordWithheld } from '../../../shared/prefs';

/** A login for one connection. */
export type SmtpCredential =
  | {
      readonly kind: 'password';
      readonly password: string | null;
      /** A password is saved but not for this account: nothing may log in (see bound-secret.ts). */
      readonly withheld?: PasswordWithheld;
    }
  | {
      readonly kind: 'oauth2';
      /** The mailbox the token was issued for (XOAUTH2's `user=`). */
      readonly user: string;
      /** The current access token; `renew`: the server rejected the last one. */
      readonly accessToken: (renew: boolean) => Promise<string>;
      /** The account's server is not one of the provider's (or not encrypted): no token may go there. */
      readonly withheld?: boolean;
    };

/** No password may be sent: the saved one belongs to another destination, or needs a confirmation. */
export function withheldCredential(withheld: PasswordWithheld): SmtpCredential {
  return { kind: 'password', password: null, withheld };
}

/** The error that says why a password was withheld, with both destinations for the message. */
export function withheldError(withheld: PasswordWithheld): KurierError {
  const { code, details } = withheldErrorShape(withheld);
  return new KurierError(code, details);
}

/** A password credential (null: none saved). */
export function passwordCredential(password: string | null): SmtpCredential {
  return { kind: 'password', password };
}
