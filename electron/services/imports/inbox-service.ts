/**
 * Runs the watched folder of every company that has one, and decides what each arriving file is:
 * ISDOC and KSeF files (and PDFs carrying an ISDOC) go to the document importer, other PDFs are payroll
 * split by the company's confirmed rule, CSV files are partner lists. Every file's import is recorded in
 * the ledger inside its own transaction; e-mail copies are queued afterwards for the kinds the company
 * switched on (off by default).
 */
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { DocumentKind, Language } from '../../../shared/domain';
import { createTranslator, type MessageKey, type MessageParams } from '../../../shared/i18n';
import { tooLargeDetails } from '../../../shared/imports';
import { integer, text } from '../documents/rows';
import type { Logger } from '../logging/logger';
import type { ImportSettingsRepository } from './import-settings';
import type { InboxLedger } from './inbox-ledger';
import { InboxWatcher, type InboxFile, type InboxOutcome } from './inbox-watcher';
import { readCsv } from './csv-text';
import { commitPartnerImport } from './partner-import';
import { rememberedMapping } from './partner-desk';
import type { PartnerCsvProblem } from './partner-csv';
import { analysePayroll, buildPayslipPdfs, commitPayroll, planPayroll } from './payroll-import';

/** A translatable reason. */
export interface Reason {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

/** What the document importer (ISDOC, KSeF) answers for one file. */
export type DocumentImportAnswer =
  | { readonly status: 'imported'; readonly documentIds: readonly number[]; readonly notes?: readonly Reason[] }
  | { readonly status: 'rejected'; readonly reasons: readonly Reason[] }
  /** Not a file it reads (a PDF without an embedded ISDOC). */
  | { readonly status: 'notMine' };

/** The ISDOC/KSeF importer of `import-core`, as the watched folder uses it. */
export interface DocumentFileImporter {
  /**
   * Imports one file into the company; `inTransaction` must run inside the transaction that writes the
   * documents (it records the file in the ledger).
   */
  importFile(input: {
    readonly companyId: number;
    readonly name: string;
    readonly bytes: Uint8Array;
    readonly inTransaction: (documentIds: readonly number[]) => void;
  }): Promise<DocumentImportAnswer>;
}

/** What the service needs. */
export interface InboxServiceOptions {
  readonly db: DatabaseSync;
  readonly settings: ImportSettingsRepository;
  readonly ledger: InboxLedger;
  readonly logger: Logger;
  /** The language of reason files (the user's UI language). */
  readonly language: () => Language;
  readonly documents?: DocumentFileImporter;
  /** Queues the e-mail copies of these documents to their partners. */
  readonly autoSend: (companyId: number, documentIds: readonly number[]) => Promise<void>;
  readonly stableMs?: number;
  readonly pollMs?: number;
  readonly now?: () => number;
}

const documentExtensions = new Set(['.isdoc', '.isdocx', '.xml']);

/** The watched folders of all companies. */
export class InboxService {
  readonly #o: InboxServiceOptions;
  readonly #watchers = new Map<number, InboxWatcher>();

  constructor(options: InboxServiceOptions) {
    this.#o = options;
  }

  /** Starts a watcher for every company with a folder. */
  async start(): Promise<void> {
    for (const settings of this.#o.settings.withInbox()) await this.#startOne(settings.companyId, settings.inboxFolder);
  }

  /** Stops every watcher (waits for files in hand). */
  async stop(): Promise<void> {
    const all = [...this.#watchers.values()];
    this.#watchers.clear();
    await Promise.all(all.map((watcher) => watcher.stop()));
  }

  /** Applies changed settings of one company: stops its watcher and starts the new folder's. */
  async reconfigure(companyId: number): Promise<void> {
    await this.#watchers.get(companyId)?.stop();
    this.#watchers.delete(companyId);
    const folder = this.#o.settings.get(companyId).inboxFolder;
    if (folder !== '') await this.#startOne(companyId, folder);
  }

  /** The running watcher of a company (for "check now" and tests). */
  watcher(companyId: number): InboxWatcher | undefined {
    return this.#watchers.get(companyId);
  }

  async #startOne(companyId: number, folder: string): Promise<void> {
    const watcher = new InboxWatcher({
      folder,
      logger: this.#o.logger.child(`company${String(companyId)}`),
      ...(this.#o.stableMs === undefined ? {} : { stableMs: this.#o.stableMs }),
      ...(this.#o.pollMs === undefined ? {} : { pollMs: this.#o.pollMs }),
      handler: {
        wasImported: (sha256) => this.#o.ledger.wasImported(companyId, sha256),
        importFile: (file) => this.#import(companyId, file),
        tooLarge: ({ size }) => this.#outcome(rejected('imports.reasons.tooLarge', tooLargeDetails(size))),
      },
    });
    try {
      await watcher.start();
      this.#watchers.set(companyId, watcher);
    } catch (error) {
      this.#o.logger.error('inbox.startFailed', { companyId, error: String(error) });
    }
  }

  async #import(companyId: number, file: InboxFile): Promise<InboxOutcome> {
    const answer = await this.#dispatch(companyId, file);
    const outcome = this.#outcome(answer);
    if (answer.status === 'imported') await this.#autoSend(companyId, answer.documentIds);
    return outcome;
  }

  /** The answer with its reasons in the user's language, as the reason file says them. */
  #outcome(answer: Exclude<DocumentImportAnswer, { status: 'notMine' }>): InboxOutcome {
    const t = createTranslator(this.#o.language());
    // A reason without a sentence in the catalog (a code newer than the texts) still names its code.
    const say = (reasons: readonly Reason[]) =>
      reasons
        .map((reason) => {
          const sentence = t(reason.key, reason.params);
          return sentence === reason.key ? t('inbox.reasons.refused', { code: reason.key.split('.').pop() ?? '' }) : sentence;
        })
        .join('\n');
    if (answer.status === 'rejected') return { status: 'rejected', reason: say(answer.reasons) };
    return answer.notes && answer.notes.length > 0
      ? { status: 'imported', documentIds: answer.documentIds, note: say(answer.notes) }
      : { status: 'imported', documentIds: answer.documentIds };
  }

  async #dispatch(companyId: number, file: InboxFile): Promise<Exclude<DocumentImportAnswer, { status: 'notMine' }>> {
    const extension = path.extname(file.name).toLowerCase();
    const record = (documentIds: readonly number[]) => {
      this.#o.ledger.record(companyId, file.sha256, file.name, documentIds);
    };
    if (extension === '.csv') return this.#partners(companyId, file, record);
    if (documentExtensions.has(extension) || extension === '.pdf') {
      const documents = this.#o.documents;
      if (documents) {
        const answer = await documents.importFile({ companyId, name: file.name, bytes: file.bytes, inTransaction: record });
        if (answer.status !== 'notMine') return answer;
      } else if (extension !== '.pdf') {
        return rejected('inbox.reasons.unsupportedType', { extension });
      }
      if (extension === '.pdf') return this.#payroll(companyId, file, record);
    }
    return rejected('inbox.reasons.unsupportedType', { extension: extension === '' ? file.name : extension });
  }

  #partners(
    companyId: number,
    file: InboxFile,
    record: (ids: readonly number[]) => void,
  ): Exclude<DocumentImportAnswer, { status: 'notMine' }> {
    const language = this.#companyLanguage(companyId);
    // The columns as the user last mapped them for this company, else guessed from the header.
    const header = readCsv(file.bytes).rows[0] ?? [];
    const mapping = rememberedMapping(this.#o.settings.get(companyId).partnerColumns, header) ?? undefined;
    const { plan } = commitPartnerImport(this.#o.db, {
      companyId,
      bytes: file.bytes,
      mapping,
      defaultLanguage: language,
      inTransaction: () => {
        record([]);
      },
    });
    const refused = plan.rows.filter((row) => row.action === 'refused');
    const details = refused.flatMap((row) => rowReasons(row.line, row.problems));
    if (refused.length === plan.rows.length) {
      return { status: 'rejected', reasons: [{ key: 'inbox.reasons.csvNoRows' }, ...details] };
    }
    return {
      status: 'imported',
      documentIds: [],
      notes: refused.length > 0 ? [{ key: 'inbox.reasons.csvRowsRefused', params: { count: refused.length } }, ...details] : [],
    };
  }

  async #payroll(
    companyId: number,
    file: InboxFile,
    record: (ids: readonly number[]) => void,
  ): Promise<Exclude<DocumentImportAnswer, { status: 'notMine' }>> {
    const company = this.#companyName(companyId);
    const rule = this.#o.settings.get(companyId).payrollRule;
    if (rule === null) return rejected('inbox.reasons.noPayrollRule', { company });
    const analysis = await analysePayroll([{ name: file.name, bytes: file.bytes }]);
    const plan = planPayroll(this.#o.db, analysis, { companyId, confirmedRule: rule });
    const problem = plan.unreadable[0]?.problem;
    if (problem) return rejected(problem === 'encrypted' ? 'inbox.reasons.pdfEncrypted' : 'inbox.reasons.pdfDamaged');
    if (plan.period === null) return rejected('inbox.reasons.noPeriod');
    const unmatched = plan.payslips.filter((item) => item.action === 'unmatched' || item.action === 'unassigned');
    const notes: Reason[] =
      unmatched.length > 0
        ? [
            {
              key: 'inbox.reasons.unmatchedPayslips',
              params: {
                count: unmatched.length,
                keys: unmatched.map((item) => item.key ?? String(item.firstPage + 1)).join(', '),
              },
            },
          ]
        : [];
    if (!plan.payslips.some((item) => item.action === 'create')) {
      const allKnown = plan.payslips.length > 0 && plan.payslips.every((item) => item.action === 'duplicate');
      return {
        status: 'rejected',
        reasons: allKnown
          ? [{ key: 'inbox.reasons.nothingNew' }]
          : [{ key: 'inbox.reasons.noEmployeeMatched', params: { company } }, ...notes],
      };
    }
    const pdfs = await buildPayslipPdfs(analysis, plan);
    const documentIds = commitPayroll(this.#o.db, plan, pdfs, {
      currency: this.#companyCountry(companyId) === 'PL' ? 'PLN' : 'CZK',
      now: (this.#o.now ?? Date.now)(),
      inTransaction: record,
    });
    return { status: 'imported', documentIds, notes };
  }

  async #autoSend(companyId: number, documentIds: readonly number[]): Promise<void> {
    const kinds = this.#o.settings.get(companyId).autoSendKinds;
    if (kinds.length === 0 || documentIds.length === 0) return;
    const kindOf = this.#o.db.prepare('SELECT kind FROM documents WHERE id = ?');
    const chosen = documentIds.filter((id) => {
      const row = kindOf.get(id);
      return row !== undefined && kinds.includes(text(row, 'kind') as DocumentKind);
    });
    if (chosen.length === 0) return;
    try {
      await this.#o.autoSend(companyId, chosen);
    } catch (error) {
      // The documents are imported; the user can still send them from the list.
      this.#o.logger.warn('inbox.autoSendFailed', { companyId, documents: chosen.length, error: String(error) });
    }
  }

  #companyRow(companyId: number) {
    return this.#o.db.prepare('SELECT id, name, country FROM companies WHERE id = ?').get(companyId);
  }

  #companyName(companyId: number): string {
    const row = this.#companyRow(companyId);
    return row ? text(row, 'name') : String(companyId);
  }

  #companyCountry(companyId: number): string {
    const row = this.#companyRow(companyId);
    return row && integer(row, 'id') === companyId ? text(row, 'country') : '';
  }

  #companyLanguage(companyId: number): Language {
    const country = this.#companyCountry(companyId);
    return country === 'PL' ? 'pl' : country === 'CZ' || country === 'SK' ? 'cs' : 'en';
  }
}

function rejected(key: MessageKey, params?: MessageParams): { status: 'rejected'; reasons: Reason[] } {
  return { status: 'rejected', reasons: [params ? { key, params } : { key }] };
}

function rowReasons(line: number, problems: readonly PartnerCsvProblem[]): Reason[] {
  return problems.map((problem) => ({ key: `inbox.partnerProblems.${problem.code}`, params: { line, value: problem.value } }));
}
