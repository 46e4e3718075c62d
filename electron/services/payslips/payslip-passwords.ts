/**
 * Payslip passwords: one per employee, in the OS keychain (never in the database, a file or a log), set by
 * the office or generated. The database keeps only the history — when each password was set, generated
 * or removed and by whom, and its generation number — and which generation protected each exported
 * payslip, so the office knows which password opens which file.
 *
 * Passwords reach the employee by another channel than the payslip: a printed handover sheet or a CSV
 * for an SMS gateway. Kurier never puts a password into an e-mail (see {@link assertNoPasswordIn}).
 */
import { randomInt } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Partner } from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import { payslipPasswordMinLength, type PayslipPasswordStatus } from '../../../shared/payslips';
import type { SecretKey, SecretStore } from '../secrets/secret-store';
import { digitsOnly, payslipPasswordProblem } from './password-rules';

// No 0/o, 1/l/i: a password read from paper or an SMS must not be mistyped.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A readable password: four groups of four (31^16, about 79 bits), e.g. `k7mq-4x9c-tr2h-8wpe`. Drawn
 * again in the (tiny) chance that it breaks the rules for `employee` (say, digits that read as a PESEL).
 */
export function generatePayslipPassword(employee: Pick<Partner, 'name' | 'email' | 'taxId' | 'registrationNumber'>): string {
  for (;;) {
    const password = Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(''),
    ).join('-');
    if (payslipPasswordProblem(password, employee) === null) return password;
  }
}

/** The keychain key of an employee's payslip password. */
export function payslipPasswordKey(partnerId: number): SecretKey {
  return { scope: 'user', id: `payslip:${String(partnerId)}` };
}

/** Stores, changes and records payslip passwords. */
export class PayslipPasswords {
  readonly #db: DatabaseSync;
  readonly #secrets: SecretStore;
  readonly #whoAmI: () => string;
  readonly #now: () => number;

  constructor(options: { db: DatabaseSync; secrets: SecretStore; whoAmI: () => string; now?: () => number }) {
    this.#db = options.db;
    this.#secrets = options.secrets;
    this.#whoAmI = options.whoAmI;
    this.#now = options.now ?? Date.now;
  }

  /** The employee's password, for main-process use only (encrypting, the handover sheet). */
  get(partnerId: number): Promise<string | null> {
    return this.#secrets.get(payslipPasswordKey(partnerId));
  }

  /** The generation of the password now in force (0: never set). */
  generation(partnerId: number): number {
    const row = this.#db
      .prepare('SELECT MAX(generation) AS g FROM payslip_password_events WHERE partner_id = ?')
      .get(partnerId) as { g: number | null };
    return row.g ?? 0;
  }

  /**
   * Generates a password, sets the one given, or removes it. The keychain is written first, so a locked
   * keychain records nothing. A typed password that breaks the rules of `password-rules.ts` is refused
   * with its reason (`payslip.passwordTooShort`, `…Guessable`, `…Personal`). Returns the new generation.
   */
  async change(
    employee: Partner,
    change: { action: 'generate' } | { action: 'set'; value: string } | { action: 'clear' },
  ): Promise<number> {
    if (employee.kind !== 'employee') throw new KurierError('payslip.notEmployee', { partner: employee.name });
    const key = payslipPasswordKey(employee.id);
    if (change.action === 'set') {
      const problem = payslipPasswordProblem(change.value, employee);
      if (problem !== null) throw new KurierError(problem, { partner: employee.name, min: payslipPasswordMinLength });
    }
    if (change.action === 'clear') await this.#secrets.delete(key);
    else await this.#secrets.set(key, change.action === 'set' ? change.value : generatePayslipPassword(employee));
    const generation = this.generation(employee.id) + 1;
    this.#db
      .prepare(
        'INSERT INTO payslip_password_events (partner_id, generation, action, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)',
      )
      // The history's words for the actions ('clear' was stored as is and broke the table's CHECK).
      .run(employee.id, generation, eventAction[change.action], this.#now(), this.#whoAmI());
    return generation;
  }

  /** Records that `documentId` was written protected by the current generation. */
  recordExport(documentId: number, partnerId: number, filePath: string): void {
    this.#db
      .prepare('INSERT INTO payslip_exports (document_id, partner_id, generation, exported_at, file_path) VALUES (?, ?, ?, ?, ?)')
      .run(documentId, partnerId, this.generation(partnerId), this.#now(), filePath);
  }

  /** Every employee with their password's state (never the password). */
  async statuses(employees: readonly Partner[]): Promise<PayslipPasswordStatus[]> {
    const last = this.#db.prepare(
      'SELECT generation, action, changed_at AS changedAt, changed_by AS changedBy FROM payslip_password_events WHERE partner_id = ? ORDER BY id DESC LIMIT 1',
    );
    const out: PayslipPasswordStatus[] = [];
    for (const employee of employees.filter((partner) => partner.kind === 'employee')) {
      const event = last.get(employee.id) as
        { generation: number; action: string; changedAt: number; changedBy: string } | undefined;
      out.push({
        partnerId: employee.id,
        name: employee.name,
        email: employee.email,
        hasPassword: (await this.get(employee.id)) !== null,
        generation: event?.generation ?? 0,
        lastAction: (event?.action ?? null) as PayslipPasswordStatus['lastAction'],
        changedAt: event?.changedAt ?? null,
        changedBy: event?.changedBy ?? '',
      });
    }
    return out;
  }
}

/** Separators people put inside a number or a grouped password: spaces, dashes, dots, slashes, brackets. */
const separators = /[\s\u00a0\u202f./\\\-–—_()+,:;]+/gu;

/** `text` without separators, in lower case: `800 101/1234` → `8001011234`, `K7MQ-4X9C` → `k7mq4x9c`. */
function compact(text: string): string {
  return text.replace(separators, '').toLowerCase();
}

/**
 * Refuses a message that would carry an employee's payslip password (the same mailbox gets the PDF) —
 * also spelled with other separators or case (`800101/1234` for `8001011234`, `K7MQ 4X9C` for
 * `k7mq-4x9c`), and, for a password of digits, with anything between its digits (`RČ 800101, 1234`).
 */
export function assertNoPasswordIn(password: string | null, texts: readonly string[]): void {
  if (password === null || password === '') return;
  const compactPassword = compact(password);
  const digits = digitsOnly(password);
  // Only a password that is all digits (six or more) is compared digit by digit: for `k7mq-4x9c-…`
  // the digits `7494` alone would match any amount in the message.
  const isNumber = digits.length >= 6 && compactPassword === digits;
  const carries = (text: string) =>
    text.includes(password) ||
    (compactPassword !== '' && compact(text).includes(compactPassword)) ||
    (isNumber && digitsOnly(text).includes(digits));
  if (texts.some(carries)) throw new KurierError('payslip.passwordInMail');
}

/** How each change is recorded in `payslip_password_events.action`. */
const eventAction = { generate: 'generated', set: 'set', clear: 'cleared' } as const;
