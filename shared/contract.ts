/**
 * The IPC contract: every channel once, with its input schema and its output type. Main validates each
 * input against `input` before any service sees it; the preload and the web-shell bridge derive their
 * API from the channel names; outputs are typed here and never declared a second time.
 *
 * Channel names are `domain:verb`; events are past tense (`export:progressed`).
 */
import { z } from 'zod';
import { languages, type CompanySummary, type DocumentSummary, type Language } from './domain';
import { importFileSchema, importOptionsSchema, typedKsefNumberSchema, type ImportPlan, type ImportResult } from './imports';
import {
  partnerCsvMappingSchema,
  payrollRequestSchema,
  payrollRuleSchema,
  type ImportChoice,
  type PartnerOutcome,
  type PartnerPreview,
  type PayrollOutcome,
  type PayrollPreview,
} from './import-desk';
import { payslipPasswordChangeSchema, type PayslipPasswordStatus } from './payslips';
import { inboxUpdateSchema, type InboxSettingsView } from './inbox';
import { companyEinvoiceUpdateSchema, type CompanyEinvoiceView } from './company-einvoice';
import { companyProfileSchema, type CompanyProfileView } from './company-profile';
import { templateKinds, templateSchema, templatesSchema, type Templates } from './templates';
import { uploadBeginSchema, uploadedFileSchema, uploadPartSchema } from './uploads';
import type { KurierErrorShape } from './errors';
import type { ConnectionCheckReport, SmtpDetection } from './diagnostics';
import {
  duplicateChoices,
  historyFilterSchema,
  type BatchProgress,
  type BatchStart,
  type DryRun,
  type MessageStatus,
  type OutboxMessageView,
} from './outbox';
import {
  accountScopes,
  accountScopeSchema,
  addressListSchema,
  emailAddressSchema,
  globalPrefsSchema,
  oauthProviders,
  passwordChangeSchema,
  smtpAccountSchema,
  userPrefsSchema,
  type AccountScope,
  type PasswordWithheld,
  type PrefsView,
  type SignInState,
  type UiLanguage,
} from './prefs';
import { copyRoutes, handoffRoutes, type CopyRoute, type HandoffNote, type HandoffRoute, type RouteOption } from './handoff';
import { hasLineBreak } from './mail-address';
import type { Channel, EventName } from './channels';
import { officeGroups, type OfficeGroup, type OfficeReview } from './office-review';
import {
  databaseSaveSchema,
  databaseTestSchema,
  type DatabaseMoveReport,
  type DatabaseRunning,
  type DatabaseStatus,
  type DatabaseTestResult,
  type MoveStage,
} from './office-database';

export { channels, eventNames, type Channel, type EventName } from './channels';

const noInput = z.undefined();
const id = z.number().int().positive();
const output = <T>() => z.custom<T>(() => true);

/** Which shell runs the UI. */
export type ShellKind = 'electron' | 'web';

/** A recipient the export dialog offers. */
export interface RecipientOption {
  /**
   * `partner`: the document's partner's e-mail; `chosen`: an address the user typed for this partner
   * before; `personal`: the user's own e-mail; `office`: the personal e-mail in the global preferences.
   */
  readonly source: 'partner' | 'chosen' | 'personal' | 'office';
  readonly label: string;
  readonly address: string;
  readonly partnerId?: number;
}

/** One copy of a document in the send history: to whom, how it went (or stands), when. */
export interface DocumentSend {
  readonly recipient: string;
  readonly status: MessageStatus;
  /** When it was delivered, else when its state last changed (epoch ms). */
  readonly at: number;
  readonly messageId: string;
  readonly attempts: number;
}

/** The last send of a document by any route: an SMTP copy the server accepted, or a hand-off to a mail program. */
export interface LastSend {
  readonly documentId: number;
  readonly route: CopyRoute;
  readonly recipient: string;
  /** When the server accepted it, or when it was handed to the mail program (epoch ms). */
  readonly at: number;
}

/** Everything the export dialog needs to open, prefilled. */
export interface ExportDraft {
  readonly document: DocumentSummary;
  readonly language: Language;
  readonly folder: string;
  readonly fileName: string;
  /**
   * The document's partner's address, then addresses typed for this partner before, then the user's own.
   * Never another partner's address.
   */
  readonly recipients: readonly RecipientOption[];
  /** The preselected recipient: an address of this partner only; '' when it has none (the copy starts off). */
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  /** CC and BCC prefilled from the sending preferences. */
  readonly cc: string;
  readonly bcc: string;
  /** Whether "Send a copy" starts ticked. */
  readonly sendCopy: boolean;
  readonly smtpConfigured: boolean;
  /**
   * The office account is in use and this OS user has no usable password for it (none yet, or the
   * server rejected it): the dialog asks for it once.
   */
  readonly smtpPasswordNeeded: null | {
    readonly scope: AccountScope;
    readonly reason: 'missing' | 'rejected' | 'withheld';
    readonly username: string;
    /** Why the saved password is not used (reason `withheld`). */
    readonly withheld: PasswordWithheld | null;
    /** The account has no encryption: a typed password needs the user's confirmation. */
    readonly unencrypted: boolean;
  };
  /** Every way the copy can go, with whether it works on this computer and why not. */
  readonly routes: readonly RouteOption[];
  /** The route the preferences choose. */
  readonly defaultRoute: CopyRoute;
  /** Copies of this document sent or on their way, newest first. */
  readonly sends: readonly DocumentSend[];
  /** A Polish KSeF invoice without its KSeF number yet: the PDF's KOD I carries OFFLINE. */
  readonly ksefOffline: boolean;
}

/** A template filled with a real document's data, for the editor's preview. */
export interface TemplatePreview {
  readonly subject: string;
  readonly body: string;
  readonly html: string;
  readonly documentNumber: string;
  readonly partnerName: string;
}

/** What an export did: the file always, the e-mail copy when asked for (with its own outcome). */
export interface ExportOutcome {
  readonly filePath: string;
  /** The document's send history after this export, newest first. */
  readonly sends: readonly DocumentSend[];
  readonly mail:
    | null
    | {
        readonly ok: true;
        readonly to: string;
        readonly messageId: string;
        /** Handed to a mail program (not sent yet: the user sends it there), with what it could not carry. */
        readonly handedOff?: {
          readonly route: HandoffRoute;
          /** The program sent it at once (classic Outlook with "send at once"): nothing left to do. */
          readonly sent: boolean;
          readonly notes: readonly HandoffNote[];
          /** mailto: the link the window opens. */
          readonly mailtoUrl: string | null;
          /** The file as the mail program got it (for mailto: to attach by hand). */
          readonly attachmentPath: string | null;
        };
      }
    | {
        readonly ok: false;
        readonly to: string;
        readonly error: KurierErrorShape;
        /** Not delivered yet: the outbox keeps the message and tries again (at `retryAt`, when known). */
        readonly pending?: { readonly retryAt: number | null };
        /** The connection broke after the whole message was sent: it may have arrived. */
        readonly uncertain?: true;
      };
}

/**
 * A file the user added to a copy beside the document's PDF. Main knows it by `id` only: the window never
 * names a path, so it cannot make Kurier attach a file the user did not pick.
 */
export interface ExtraAttachment {
  readonly id: string;
  readonly name: string;
  readonly size: number;
}

/** How many files a copy may carry besides the document. */
export const maxExtraAttachments = 20;

const attachmentIdsSchema = z
  .array(z.uuid())
  .max(maxExtraAttachments, { message: 'tooMany' })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate' });

const mailCopySchema = z.object({
  to: emailAddressSchema,
  subject: z
    .string()
    .max(998, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' }),
  body: z.string().max(100_000, { message: 'tooLong' }),
  cc: addressListSchema.default(''),
  bcc: addressListSchema.default(''),
  route: z.enum(copyRoutes).default('smtp'),
  /**
   * The user confirmed sending again to a recipient who got (or may get) this document already; without
   * it, such a send is refused with `export.alreadySent` before anything is exported.
   */
  again: z.boolean().optional(),
  /** Files added in the dialog ({@link ExtraAttachment} ids), sent after the document on every route. */
  attachments: attachmentIdsSchema.optional(),
});

// The same document twice in one batch would mail its partner twice.
const documentIdsSchema = z
  .array(id)
  .min(1, { message: 'required' })
  .max(10_000)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate' });
const messageIdsSchema = z.array(id).min(1).max(10_000);
const batchTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('partner') }),
  z.object({ kind: z.literal('address'), address: emailAddressSchema }),
]);

const typedPasswordSchema = z.object({
  value: z.string().min(1, { message: 'required' }).max(1024),
  remember: z.boolean(),
  /** Confirmed: the server takes this password unencrypted. */
  acceptPlainText: z.boolean().optional(),
});

const singleLineText = (max: number) =>
  z
    .string()
    .max(max, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' });

/** The channels, their input schemas and their output types. */
export const contract = {
  'app:getInfo': {
    input: noInput,
    output: output<{ version: string; shell: ShellKind; systemLanguage: Language }>(),
  },
  'documents:list': { input: noInput, output: output<readonly DocumentSummary[]>() },
  /** The last send of every document that has one (the document list's "Sent" column). */
  'documents:lastSends': { input: noInput, output: output<readonly LastSend[]>() },
  /**
   * Opens the document's PDF (the imported original, else freshly rendered) in the system's viewer;
   * where the shell has none (the web shell) the PDF comes back for the page to show in a new tab.
   */
  'documents:openPdf': {
    input: z.object({ documentId: id }),
    output: output<{ opened: boolean; fileName: string; base64: string }>(),
  },
  /**
   * The KSeF numbers a UPO file (its text, as the user picked it) gives to those of `documentIds` still
   * without one; nothing is stored (the window shows them to confirm).
   */
  'ksef:readUpo': {
    input: z.object({ documentIds: documentIdsSchema, xml: z.string().min(1, { message: 'required' }).max(4_000_000) }),
    output: output<
      { status: 'notUpo' } | { status: 'read'; matches: readonly { documentId: number; ksefNumber: string }[]; confirmed: number }
    >(),
  },
  /** Stores KSeF numbers of invoices still without one (printed under KOD I from then on). */
  'ksef:storeNumbers': {
    input: z.object({
      numbers: z
        .array(
          z.object({
            documentId: id,
            ksefNumber: typedKsefNumberSchema,
          }),
        )
        .min(1)
        .max(10_000),
    }),
    output: output<{ stored: number }>(),
  },
  /** The office's client companies, by name. */
  'companies:list': { input: noInput, output: output<readonly CompanySummary[]>() },
  /** Removes the demo companies with all they own; they are not seeded again. */
  'companies:removeDemo': { input: noInput, output: output<{ removed: number }>() },
  /** Each company's e-invoice settings: the ISDOC beside or inside the PDF, the Polish transfer QR. */
  'companies:einvoice': { input: noInput, output: output<readonly CompanyEinvoiceView[]>() },
  'companies:updateEinvoice': { input: companyEinvoiceUpdateSchema, output: output<readonly CompanyEinvoiceView[]>() },
  /** A company as the office edits it: issuer data, sender name and reply-to (issue 15). */
  'companies:profile': { input: z.object({ companyId: id }), output: output<CompanyProfileView>() },
  /** Changes a company; identifiers, IBAN and addresses are checked (`input.invalid` by field). */
  'companies:update': {
    input: z.object({ companyId: id, profile: companyProfileSchema }),
    output: output<CompanyProfileView>(),
  },
  /** Adds a company typed in by hand, checked like `companies:update`. */
  'companies:add': { input: z.object({ profile: companyProfileSchema }), output: output<CompanyProfileView>() },
  /**
   * Sets a company's logo from a file the page uploaded (`uploads:begin`/`uploads:part`, in Electron and
   * the web shell alike); main accepts a PNG or JPEG by its bytes, not its name (`company.logoNotImage`,
   * `company.logoTooLarge`). A file over the limit is not read by the page: only its size comes.
   */
  'companies:setLogo': {
    input: z.union([
      z.object({ companyId: id, uploadId: z.uuid() }),
      z.object({ companyId: id, size: z.number().int().nonnegative() }),
    ]),
    output: output<CompanyProfileView>(),
  },
  /**
   * A company's own e-mail templates (those it overrides; the office's stand for the others). A stored
   * value that is not valid templates reads as none, as sending treats it.
   */
  'companies:templates': { input: z.object({ companyId: id }), output: output<Templates>() },
  /** Replaces a company's own templates; `{}` makes it follow the office's for every message. */
  'companies:updateTemplates': {
    input: z.object({ companyId: id, templates: templatesSchema }),
    output: output<Templates>(),
  },
  /** Removes a company's logo: its documents' header is then text only. */
  'companies:removeLogo': { input: z.object({ companyId: id }), output: output<CompanyProfileView>() },
  /**
   * Electron: the native picker, then a plan of the chosen files (`plan: null` when cancelled); partner
   * lists and payroll PDFs among them are kept in main for their own previews.
   */
  'imports:choose': {
    input: importOptionsSchema,
    output: output<{ supported: boolean; plan: ImportChoice | null }>(),
  },
  /** A plan of files the page read (drag and drop, a file input) and uploaded (`uploads:begin`). */
  'imports:planFiles': {
    input: importOptionsSchema.extend({ files: z.array(importFileSchema).min(1).max(500) }),
    output: output<ImportChoice>(),
  },
  /**
   * The same files planned again with the KSeF number typed in the preview (a single FA file whose name
   * carries none); the earlier plan is forgotten.
   */
  'imports:replan': {
    input: z.object({ planId: z.uuid(), ksefNumber: typedKsefNumberSchema }),
    output: output<ImportPlan>(),
  },
  /** Writes a plan; `createCompanies` creates the issuing companies Kurier does not know yet. */
  'imports:commit': {
    input: z.object({ planId: z.uuid(), createCompanies: z.boolean() }),
    output: output<ImportResult>(),
  },
  /** The preview of a kept partner CSV for a company: the given mapping, else the remembered or guessed one. */
  'imports:planPartners': {
    input: z.object({
      companyId: z.number().int().positive(),
      sourceId: z.uuid(),
      mapping: partnerCsvMappingSchema.optional(),
    }),
    output: output<PartnerPreview>(),
  },
  /** Writes the partners of a kept CSV with the mapping, and remembers the mapping for the company. */
  'imports:commitPartners': {
    input: z.object({ companyId: z.number().int().positive(), sourceId: z.uuid(), mapping: partnerCsvMappingSchema }),
    output: output<PartnerOutcome>(),
  },
  /** The preview of kept payroll PDFs for a company, with the rule being edited or the company's. */
  'imports:planPayroll': { input: payrollRequestSchema, output: output<PayrollPreview>() },
  /** Confirms the company's payroll split rule (its watched folder then accepts payroll PDFs). */
  'imports:confirmPayrollRule': {
    input: z.object({ companyId: z.number().int().positive(), rule: payrollRuleSchema }),
    output: output<null>(),
  },
  /** Writes the payslips of kept payroll PDFs with the company's confirmed rule. */
  'imports:commitPayroll': { input: payrollRequestSchema.omit({ rule: true }), output: output<PayrollOutcome>() },
  'prefs:get': { input: noInput, output: output<PrefsView>() },
  'prefs:updateUser': {
    input: z.object({ prefs: userPrefsSchema, password: passwordChangeSchema }),
    output: output<PrefsView>(),
  },
  'prefs:updateGlobal': {
    input: z.object({ prefs: globalPrefsSchema, password: passwordChangeSchema }),
    output: output<PrefsView>(),
  },
  /**
   * A client company's own SMTP account in the office file (null: the company uses the office's
   * account), and this user's password for it (to the keychain, bound to the account's server).
   * Sign-in with a provider is not offered for a company's account: password logins only.
   */
  'prefs:updateCompanySmtp': {
    input: z.object({
      companyId: id,
      account: smtpAccountSchema
        .refine((account) => account.auth === 'password', { message: 'passwordOnly', path: ['auth'] })
        .nullable(),
      password: passwordChangeSchema,
    }),
    output: output<PrefsView>(),
  },
  /** The office database choice, whether its password is saved, and the store this Kurier runs on. */
  'database:status': { input: noInput, output: output<DatabaseStatus>() },
  /** Saves the choice to the office file (applies at the next start) and the password to the keychain. */
  'database:save': { input: databaseSaveSchema, output: output<DatabaseStatus>() },
  /** Connects with TLS as set, runs SELECT 1 and reads the schema version; `database.*` errors say why not. */
  'database:test': { input: databaseTestSchema, output: output<DatabaseTestResult>() },
  /** Copies this desk's outbox and history into the saved office database (re-runnable). */
  'database:move': { input: noInput, output: output<DatabaseMoveReport>() },
  /** What changed in the office file since this user confirmed it, and who else may write it. */
  'prefs:officeReview': { input: noInput, output: output<OfficeReview>() },
  /** Confirms the office groups as shown (their digests); held sending resumes. */
  'prefs:confirmOffice': {
    input: z.object({ digests: z.partialRecord(z.enum(officeGroups), z.string().regex(/^[0-9a-f]{64}$/)) }),
    output: output<{ confirmed: readonly OfficeGroup[]; review: OfficeReview }>(),
  },
  'smtp:detect': { input: z.object({ address: emailAddressSchema }), output: output<SmtpDetection>() },
  'smtp:test': {
    input: z.object({
      scope: accountScopeSchema,
      account: smtpAccountSchema,
      password: passwordChangeSchema,
      testMessage: z.object({ subject: singleLineText(200), text: z.string().max(2000) }).nullable(),
    }),
    output: output<ConnectionCheckReport>(),
  },
  /** Starts "sign in with Microsoft / Google": the window opens `authorizeUrl` in the system browser. */
  'oauth:begin': {
    input: z.object({
      scope: z.enum(accountScopes),
      provider: z.enum(oauthProviders),
      loginHint: z.union([emailAddressSchema, z.literal('')]),
    }),
    output: output<{ flowId: string; authorizeUrl: string }>(),
  },
  /** Waits until the browser comes back; the account signed in (never a token). */
  'oauth:finish': { input: z.object({ flowId: z.uuid() }), output: output<SignInState>() },
  'oauth:cancel': { input: z.object({ flowId: z.uuid() }), output: output<null>() },
  'oauth:signOut': { input: z.object({ scope: z.enum(accountScopes) }), output: output<SignInState>() },
  'export:prepare': { input: z.object({ documentId: id }), output: output<ExportDraft>() },
  'export:run': {
    input: z.object({
      documentId: id,
      format: z.literal('pdf'),
      folder: z.string().min(1, { message: 'required' }).max(4096),
      copy: mailCopySchema.nullable(),
      /** The office account's password, when the dialog had to ask for it. */
      smtpPassword: typedPasswordSchema.nullable().default(null),
    }),
    output: output<ExportOutcome>(),
  },
  /**
   * Hands a file this session exported to a mail program — the dialog's "Open it in … instead" after
   * SMTP failed, so the document is not exported twice. Main accepts only a file it wrote itself.
   */
  'export:handOff': {
    input: z.object({
      documentId: id,
      filePath: z.string().min(1).max(4096),
      copy: mailCopySchema.extend({ route: z.enum(handoffRoutes) }),
    }),
    output: output<ExportOutcome>(),
  },
  /**
   * The mail program the dialog offers when its SMTP copy failed: the route the preferences name when
   * it works on this computer, else Outlook, Thunderbird, the default client, mailto; null when none does.
   * Main decides (handoff/route-registry.ts), so the window never re-derives it.
   */
  'export:fallback': { input: z.object({ documentId: id }), output: output<{ route: HandoffRoute | null }>() },
  /** The dialog's Cancel while it waits for the copy: one not gone out yet is cancelled; true when one was awaited. */
  'export:cancel': { input: z.object({ documentId: id }), output: output<boolean>() },
  /**
   * Shows a file Kurier wrote in this session (the export, a hand-off copy) in the file manager, so the
   * user can attach it by hand; `revealed: false` where the shell cannot (the web shell).
   */
  'export:reveal': { input: z.object({ filePath: z.string().min(1).max(4096) }), output: output<{ revealed: boolean }>() },
  'payslips:list': { input: noInput, output: output<readonly PayslipPasswordStatus[]>() },
  'payslips:change': {
    input: z.object({ partnerId: id, change: payslipPasswordChangeSchema }),
    output: output<readonly PayslipPasswordStatus[]>(),
  },
  'payslips:handover': {
    input: z.object({ partnerIds: z.array(id).min(1, { message: 'required' }).max(10_000), format: z.enum(['pdf', 'csv']) }),
    output: output<{ path: string; count: number }>(),
  },
  'inbox:settings': { input: noInput, output: output<readonly InboxSettingsView[]>() },
  'inbox:update': { input: inboxUpdateSchema, output: output<readonly InboxSettingsView[]>() },
  'templates:preview': {
    input: z.object({ kind: z.enum(templateKinds), language: z.enum(languages), template: templateSchema }),
    output: output<TemplatePreview>(),
  },
  'outbox:dryRun': { input: z.object({ documentIds: documentIdsSchema, target: batchTargetSchema }), output: output<DryRun>() },
  'outbox:start': {
    input: z.object({
      documentIds: documentIdsSchema,
      target: batchTargetSchema,
      folder: z.string().min(1, { message: 'required' }).max(4096),
      testToMe: z.boolean(),
      spreadOverDays: z.boolean(),
      /**
       * Documents already sent (or on their way) to the same address within the preference's days:
       * `ask` queues nothing and returns them (the window asks), `skip` leaves them out, `send` sends them again.
       */
      duplicates: z.enum(duplicateChoices).default('ask'),
    }),
    output: output<BatchStart>(),
  },
  'outbox:batches': { input: noInput, output: output<readonly BatchProgress[]>() },
  'outbox:control': {
    input: z.object({ batchId: id, action: z.enum(['pause', 'resume', 'cancel']) }),
    output: output<BatchProgress | null>(),
  },
  'outbox:history': { input: historyFilterSchema, output: output<readonly OutboxMessageView[]>() },
  /** Everyone who queued a message (the history's "Sent by" filter). */
  'outbox:historyUsers': { input: noInput, output: output<readonly string[]>() },
  'outbox:retry': { input: z.object({ ids: messageIdsSchema }), output: output<{ changed: number }>() },
  'outbox:markDelivered': { input: z.object({ ids: messageIdsSchema }), output: output<{ changed: number }>() },
  'outbox:exportCsv': {
    input: z.object({
      filter: historyFilterSchema,
      labels: z.object({
        header: z.array(singleLineText(100)).length(15),
        status: z.record(z.string().max(20), singleLineText(100)),
        /** Added to the status of a message sent again after an uncertain delivery. */
        mayHaveArrivedTwice: singleLineText(200).default(''),
      }),
    }),
    output: output<{ path: string }>(),
  },
  /**
   * Electron: the native file picker for files to add to a copy; main checks each one (a regular file it
   * can read, within the message size of the account `documentId`'s copy goes through, with `selected`)
   * and returns them by id.
   */
  'attachments:choose': {
    input: z.object({ documentId: id, selected: attachmentIdsSchema }),
    output: output<{ supported: boolean; added: readonly ExtraAttachment[] }>(),
  },
  /** The web shell: files the page read (a file input) and uploaded (`uploads:begin`), checked like picked ones. */
  'attachments:addFiles': {
    input: z.object({
      documentId: id,
      selected: attachmentIdsSchema,
      files: z.array(uploadedFileSchema).min(1).max(maxExtraAttachments),
    }),
    output: output<readonly ExtraAttachment[]>(),
  },
  /**
   * Begins handing a file the page read to main in parts (at most 512 KiB each, in order; see uploads.ts); its
   * `uploadId` then names the file in `imports:planFiles` and `attachments:addFiles`, once all parts came.
   */
  'uploads:begin': { input: uploadBeginSchema, output: output<{ uploadId: string }>() },
  /** One part of an upload; `received` counts the bytes main holds so far. */
  'uploads:part': { input: uploadPartSchema, output: output<{ received: number }>() },
  /** Forgets an upload the page gave up on (its bytes are freed). */
  'uploads:cancel': { input: z.object({ uploadId: z.uuid() }), output: output<null>() },
  'dialogs:chooseFolder': {
    input: z.object({ defaultPath: z.string().max(4096) }),
    output: output<{ supported: boolean; path: string | null }>(),
  },
  'windows:open': {
    input: z.discriminatedUnion('window', [
      z.object({ window: z.literal('userPrefs') }),
      z.object({ window: z.literal('globalPrefs') }),
      z.object({ window: z.literal('bulk') }),
      z.object({ window: z.literal('history') }),
      z.object({ window: z.literal('payslips') }),
      z.object({ window: z.literal('export'), documentId: id }),
    ]),
    output: output<{ opened: boolean; url: string }>(),
  },
  /**
   * Opens a page in the system browser: only the consent page of a sign-in in progress, Kurier's help
   * pages ({@link helpLinks}) and `mailto:` drafts; anything else is refused with `external.notAllowed`.
   * `opened` is false in the web shell, where the page itself opens the (allowed) address.
   */
  'external:open': { input: z.object({ url: z.string().max(8192) }), output: output<{ opened: boolean }>() },
} as const;

/** Events main pushes to windows. */
export const events = {
  'export:progressed': output<{ documentId: number; stage: 'rendering' | 'writing' | 'sending' | 'done' }>(),
  'outbox:progressed': output<BatchProgress>(),
  /** A preferences file was saved: every open window takes the language (and reloads what it shows). */
  'prefs:changed': output<{ language: UiLanguage }>(),
  /** The move into the office database reached a step. */
  'database:moveProgressed': output<{ stage: MoveStage }>(),
  /** The outbox in use changed (another database chosen) or its database connected or was lost: windows read again. */
  'database:changed': output<DatabaseRunning>(),
  /**
   * A company was added, edited (name, IČO, logo…), created by an import or removed (the demo ones):
   * every window's company pickers and filters read the list again.
   */
  'companies:changed': output<Record<string, never>>(),
} as const;

// The name lists in channels.ts and the keys here must be the same sets, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Compile-time proof that channels.ts lists exactly the contract's channels and events. */
export type ContractMatchesNames = [Assert<Same<Channel, keyof typeof contract>>, Assert<Same<EventName, keyof typeof events>>];
/** The parsed input of a channel. */
export type InputOf<C extends Channel> = z.output<(typeof contract)[C]['input']>;
/** What a caller passes for a channel (before defaults are applied). */
export type RawInputOf<C extends Channel> = z.input<(typeof contract)[C]['input']>;
/** The value a channel resolves to. */
export type OutputOf<C extends Channel> = z.output<(typeof contract)[C]['output']>;
/** The payload of an event. */
export type PayloadOf<E extends EventName> = z.output<(typeof events)[E]>;
