/**
 * Payslip passwords as the windows see them: their state, never the password.
 */
import { z } from 'zod';

/** One employee's payslip password state. */
export interface PayslipPasswordStatus {
  readonly partnerId: number;
  readonly name: string;
  readonly email: string;
  readonly hasPassword: boolean;
  /** How many times the password was set, generated or removed (0: never). */
  readonly generation: number;
  readonly lastAction: 'generated' | 'set' | 'cleared' | null;
  /** When and by which OS user it last changed (epoch ms). */
  readonly changedAt: number | null;
  readonly changedBy: string;
}

/**
 * The fewest characters a typed payslip password may have. Main also refuses dates, birth numbers,
 * PESELs, phone numbers and the employee's own data (`payslip.passwordGuessable`, `…Personal`).
 */
export const payslipPasswordMinLength = 12;

/** What to do with an employee's payslip password. */
export const payslipPasswordChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('generate') }),
  z.object({
    action: z.literal('set'),
    value: z
      .string()
      .min(payslipPasswordMinLength, { message: 'passwordTooShort' })
      .max(128, { message: 'tooLong' })
      // It travels by SMS and on paper: no line breaks, and no leading = + - @ that a spreadsheet would run.
      .refine((text) => !/[\r\n]/.test(text) && !/^[=+\-@]/.test(text), { message: 'invalid' }),
  }),
  z.object({ action: z.literal('clear') }),
]);
