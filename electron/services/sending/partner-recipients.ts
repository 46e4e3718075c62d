/**
 * Who the export dialog may offer a document's copy to. Only addresses that belong to the document's
 * partner are ever preselected: the partner's own e-mail, else the address the user last typed and sent
 * to for this partner. Another partner's address is never offered — choosing the first entry of a list
 * that held every client once sent one client's invoice to another. The user's own (personal, office)
 * addresses are offered as explicit choices, never preselected: a copy to oneself is a choice, not a
 * default that quietly replaces the customer.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { RecipientOption } from '../../../shared/contract';
import type { Partner } from '../../../shared/domain';
import { isValidEmailAddress } from '../../../shared/mail-address';

/** How many remembered addresses per partner the dialog offers. */
const offeredPerPartner = 5;

/** Addresses typed for a partner and sent to, kept in the database. */
export class PartnerRecipients {
  readonly #db: Pick<DatabaseSync, 'prepare'>;

  constructor(db: Pick<DatabaseSync, 'prepare'>) {
    this.#db = db;
  }

  /** The addresses chosen for `partnerId`, the most recent first. */
  chosen(partnerId: number): string[] {
    const rows = this.#db
      .prepare('SELECT address FROM partner_recipients WHERE partner_id = ? ORDER BY chosen_at DESC, rowid DESC LIMIT ?')
      .all(partnerId, offeredPerPartner) as unknown as { address: string }[];
    return rows.map((row) => row.address);
  }

  /** The user sent a copy for `partnerId` to `address`: offered (and preselected) for this partner from now on. */
  remember(partnerId: number, address: string, now: number): void {
    this.#db
      .prepare(
        'INSERT INTO partner_recipients (partner_id, address, chosen_at) VALUES (?, ?, ?) ON CONFLICT (partner_id, address) DO UPDATE SET chosen_at = excluded.chosen_at',
      )
      .run(partnerId, address, now);
  }
}

/** The user's own addresses: offered as choices, never preselected. */
export interface OwnAddresses {
  readonly personal: string;
  readonly office: string;
}

/** The dialog's recipient list for a document of `partner`, and which one it preselects ('' for none). */
export function recipientChoices(
  partner: Partner,
  chosen: readonly string[],
  own: OwnAddresses,
): { recipients: RecipientOption[]; to: string } {
  const recipients: RecipientOption[] = [];
  const seen = new Set<string>();
  const add = (option: RecipientOption) => {
    const key = option.address.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    recipients.push(option);
  };
  if (isValidEmailAddress(partner.email))
    add({ source: 'partner', label: partner.name, address: partner.email, partnerId: partner.id });
  for (const address of chosen)
    if (isValidEmailAddress(address)) add({ source: 'chosen', label: partner.name, address, partnerId: partner.id });
  const to = recipients[0]?.address ?? '';
  if (own.personal !== '') add({ source: 'personal', label: '', address: own.personal });
  if (own.office !== '') add({ source: 'office', label: '', address: own.office });
  return { recipients, to };
}

/** Whether `address` was typed for the partner (not the partner's own, nor one of the user's): worth remembering. */
export function isTypedForPartner(address: string, partner: Partner, own: OwnAddresses): boolean {
  const key = address.trim().toLowerCase();
  return key !== '' && ![partner.email, own.personal, own.office].some((known) => known.trim().toLowerCase() === key);
}
