/**
 * The office preferences' "Database" section (issue 20) as it crosses IPC: the choice, the store this
 * Kurier runs on, a connection test's findings and a move's counts. Never a password.
 */
import { z } from 'zod';
import type { KurierErrorShape } from './errors';
import { databasePrefsSchema, postgresDatabaseSchema, type DatabasePrefs } from './prefs';

/** The store in use since start: this desk's file, or the office PostgreSQL and whether it answers. */
export type DatabaseRunning =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'postgres'; readonly state: 'connecting' | 'connected' }
  | { readonly kind: 'postgres'; readonly state: 'unreachable'; readonly error: KurierErrorShape };

/** What the section shows. */
export interface DatabaseStatus {
  /** The choice in the office file (applies from the next start). */
  readonly saved: DatabasePrefs;
  /** Whether this OS user's keychain holds the office database's password. */
  readonly hasPassword: boolean;
  readonly running: DatabaseRunning;
}

/** What a successful connection test found. */
export interface DatabaseTestResult {
  readonly serverVersion: string;
  /** The schema version found (0: Kurier has not created its tables yet) and this build's. */
  readonly schemaVersion: number;
  readonly schemaLatest: number;
}

/** What a move copied now, and what an earlier move had copied already. */
export interface DatabaseMoveReport {
  readonly batches: number;
  readonly messages: number;
  readonly notifications: number;
  readonly alreadyMoved: number;
}

/** A step of the move, for the window's live status. */
export const moveStages = ['connecting', 'copying', 'done'] as const;
/** One of {@link moveStages}. */
export type MoveStage = (typeof moveStages)[number];

/** The office database's password change: keep the saved one, set a new one, or remove it. */
export const databasePasswordChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({ action: z.literal('set'), value: z.string().min(1, { message: 'required' }).max(1024) }),
  z.object({ action: z.literal('clear') }),
]);
/** One of keep / set / clear. */
export type DatabasePasswordChange = z.infer<typeof databasePasswordChangeSchema>;

/** `database:save`'s input. */
export const databaseSaveSchema = z.object({ database: databasePrefsSchema, password: databasePasswordChangeSchema });
/** `database:test`'s input: the settings as typed, and the password as typed (absent: the saved one). */
export const databaseTestSchema = z.object({
  database: postgresDatabaseSchema,
  password: z.string().min(1).max(1024).optional(),
});
