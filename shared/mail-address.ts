/**
 * E-mail address and header-value checks shared by the forms (instant feedback) and by main (the
 * authority: every value is checked again before it reaches a message).
 */

// A pragmatic subset of RFC 5322 addr-spec: a dot-atom local part and a domain of LDH labels (or an
// IDN in Unicode, which nodemailer encodes). Quoted local parts and IP literals are rejected on purpose:
// they are never typed by a bookkeeper and are a favourite of injection attempts.
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/** True when `address` is a single plain e-mail address such as `jana@firma.cz`. */
export function isValidEmailAddress(address: string): boolean {
  if (address.length > 254 || address !== address.trim()) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !localPart.test(local)) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => domainLabel.test(label));
}

/** True when the text contains a character that could end a header line or smuggle one in. */
export function hasLineBreak(text: string): boolean {
  return /[\r\n\u2028\u2029\u0085\0]/u.test(text);
}
