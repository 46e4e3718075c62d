/**
 * The watched folder ("zásobník") settings of a client company as the preferences window shows and
 * changes them. The folder is a path on the computer Kurier runs on; the renderer never reads it.
 */
import { z } from 'zod';
import { documentKinds, type DocumentKind } from './domain';

/** One company's watched-folder settings. */
export interface InboxSettingsView {
  readonly companyId: number;
  readonly companyName: string;
  /** Absolute folder path; empty = not watched. */
  readonly inboxFolder: string;
  /** Kinds e-mailed to their partner as soon as the folder imports them (none by default). */
  readonly autoSendKinds: readonly DocumentKind[];
}

/** Input of `inbox:update`. */
export const inboxUpdateSchema = z.object({
  companyId: z.number().int().positive(),
  // Empty stops watching; anything else must be an absolute path (checked again in main).
  inboxFolder: z
    .string()
    .max(4096)
    .refine((value) => !/[\0\r\n]/.test(value), { message: 'invalid' }),
  autoSendKinds: z.array(z.enum(documentKinds)).max(documentKinds.length),
});
