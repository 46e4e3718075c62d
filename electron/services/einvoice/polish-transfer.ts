/**
 * The Polish banks' transfer QR code ("QR kod dla przelewu"): the Polish Bank Association's (ZBP)
 * recommendation "Standard 2D" of 2013-12-03, read by the mobile apps of the Polish banks. Nine fields
 * separated by `|`:
 *
 * `NIP|PL|account (26-digit NRB)|amount in grosze (at least 6 digits)|payee name (≤ 20)|title (≤ 32)|||`
 *
 * The last three (direct debit id, Invoobill id, reserve) stay empty. A `|` can never appear inside a
 * value: free text keeps letters (Polish ones included), digits, spaces and `,./\-@#&*_`, as the
 * recommendation allows.
 */

/** What a Polish transfer QR needs. */
export interface PolishTransferInput {
  /** The payee's NIP; anything but ten digits (after removing `PL`, spaces and dashes) is left out. */
  readonly nip: string;
  /** The account: a Polish IBAN (`PL` + 26 digits) or the 26-digit NRB, spaces allowed. */
  readonly account: string;
  /** The amount still due in grosze. */
  readonly amountMinor: number;
  readonly payeeName: string;
  /** The transfer title, e.g. the invoice number. */
  readonly title: string;
}

/** Longest payee name and title the recommendation allows. */
export const polishTransferLimits = { payeeName: 20, title: 32 } as const;

/**
 * The QR text, or `undefined` when there is nothing to pay this way (no Polish account, nothing due).
 */
export function buildPolishTransfer(input: PolishTransferInput): string | undefined {
  const account = input.account.replace(/[\s-]/gu, '').toUpperCase().replace(/^PL/u, '');
  if (!/^\d{26}$/u.test(account)) return undefined;
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) return undefined;
  const nip = input.nip.replace(/[\s-]/gu, '').toUpperCase().replace(/^PL/u, '');
  return [
    /^\d{10}$/u.test(nip) ? nip : '',
    'PL',
    account,
    String(input.amountMinor).padStart(6, '0'),
    freeText(input.payeeName, polishTransferLimits.payeeName),
    freeText(input.title, polishTransferLimits.title),
    '',
    '',
    '',
  ].join('|');
}

/** Keeps what the recommendation allows in a text field, spaces collapsed, cut to `limit` characters. */
function freeText(text: string, limit: number): string {
  const allowed = text
    .replace(/[^\p{L}\p{N} ,./\\\-@#&*_]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(allowed).slice(0, limit).join('').trim();
}
