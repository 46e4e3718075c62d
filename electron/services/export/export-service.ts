/**
 * Renders a document to a PDF and saves it (with its e-invoice beside it when the company wants one).
 * The file is written beside its final name and renamed into place, so a full disk or a crash never
 * leaves half a PDF under the real name. Sending a copy is sending/'s business (document-sender.ts).
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AccountingDocument, CompanyRecord, Partner } from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import type { DocumentRepository } from '../documents/document-repository';
import { documentMarks, electronicInvoice } from '../einvoice/outgoing';
import { writeNewFile } from '../files/new-file';
import type { Logger } from '../logging/logger';
import type { PayslipPasswords } from '../payslips/payslip-passwords';
import type { PreferencesService } from '../prefs/preferences-service';
import { embedElectronicInvoice } from './einvoice-files';
import { exportFileName } from './file-names';
import { InThreadRenderer, type DocumentRenderer } from './document-renderer';

/** Progress stages reported while exporting (and, by sending/, while a copy goes out). */
export type ExportStage = 'rendering' | 'writing' | 'sending' | 'done';

/** What the export service needs. */
export interface ExportServiceOptions {
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly fontDir: string;
  /** Renders the PDFs: a worker pool in the app; by default this thread, fonts parsed once. */
  readonly renderer?: DocumentRenderer;
  readonly defaultFolder: string;
  readonly payslips: PayslipPasswords;
  readonly progress: (documentId: number, stage: ExportStage) => void;
  readonly logger: Logger;
}

/** A document with the partner it is for and the issuing company. */
export interface Loaded {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: CompanyRecord;
}

/** A file written beside a PDF that travels with it as its own attachment. */
export interface CompanionFile {
  readonly path: string;
  readonly fileName: string;
  readonly contentType: string;
}

/** A PDF written by {@link ExportService.exportFile}. */
export interface ExportedFile extends Loaded {
  /** The attachment name: the document's file name (the file on disk may carry a " (2)"). */
  readonly fileName: string;
  readonly filePath: string;
  readonly bytes: number;
  /** The e-invoice written beside the PDF (company preference `separate`), to travel as its own attachment. */
  readonly companion?: CompanionFile;
}

const logoOf = (logo: Uint8Array | undefined) => (logo ? { logo } : {});

/** Renders and saves documents. */
export class ExportService {
  readonly #o: ExportServiceOptions;
  readonly #renderer: DocumentRenderer;
  /** Files are written one at a time, so two documents rendered at once never race for one name. */
  #writing: Promise<unknown> = Promise.resolve();

  constructor(options: ExportServiceOptions) {
    this.#o = options;
    this.#renderer = options.renderer ?? new InThreadRenderer(options.fontDir);
  }

  /** How many documents a batch should keep in flight through {@link exportFile} to keep the renderer busy. */
  get renderParallelism(): number {
    return this.#renderer.parallelism * 2;
  }

  /**
   * Renders one document to a new PDF in `folder` (never overwriting an earlier one). Reports progress
   * for the document; throws `export.*` errors for the folder and the disk. A `preview` (Open PDF) writes
   * the same file but is no export: no payslip export is recorded, no progress reported, no export logged.
   */
  async exportFile(documentId: number, folder: string, options: { readonly preview?: boolean } = {}): Promise<ExportedFile> {
    const { document, partner, company } = this.load(documentId);
    const password = await this.payslipPassword(document, partner);
    const target = await this.#checkFolder(folder);
    const preview = options.preview === true;
    const progress = (stage: ExportStage) => {
      if (!preview) this.#o.progress(document.id, stage);
    };
    progress('rendering');
    // An imported document that came with its own PDF (a PDF with embedded ISDOC, the PDF inside an
    // .isdocx) is exported as exactly those bytes: it is what the issuer's program printed, never re-rendered.
    const own = password === null ? this.#o.documents.getOriginal(document.id, 'pdf') : undefined;
    const outgoing = { document, partner, company, originalXml: this.#o.documents.getOriginal(document.id, 'xml')?.bytes };
    const rendered = own
      ? Buffer.from(own.bytes)
      : await this.#renderer.render({
          document,
          partner,
          company,
          language: partner.language,
          marks: documentMarks(outgoing),
          ...(company.hasLogo ? logoOf(this.#o.documents.companies.logo(company.id)) : {}),
          ...(password !== null ? { protection: { userPassword: password } } : {}),
        });
    const invoice = password === null ? electronicInvoice(outgoing) : undefined;
    const embedded = invoice !== undefined && company.isdocAttachment === 'embedded' && !own;
    const pdf = embedded
      ? await embedElectronicInvoice(rendered, invoice, new Date(`${document.issueDate}T00:00:00Z`))
      : rendered;
    progress('writing');
    const fileName = exportFileName(document, partner, partner.language);
    const written = this.#writing.then(() => this.#write(target, fileName, pdf, invoice, embedded));
    this.#writing = written.catch(() => undefined);
    const { filePath, companion } = await written;
    if (password !== null && !preview) this.#o.payslips.recordExport(document.id, partner.id, filePath);
    this.#o.logger.info(preview ? 'previewed' : 'exported', {
      documentId: document.id,
      filePath,
      bytes: pdf.length,
      protected: password !== null,
      einvoice: invoice?.origin ?? 'none',
    });
    return { document, partner, company, fileName, filePath, bytes: pdf.length, ...(companion ? { companion } : {}) };
  }

  async #write(
    target: string,
    fileName: string,
    pdf: Buffer,
    invoice: ReturnType<typeof electronicInvoice>,
    embedded: boolean,
  ): Promise<{ filePath: string; companion: ExportedFile['companion'] }> {
    const filePath = await writeNewFile(target, fileName, pdf);
    const companion =
      invoice !== undefined && !embedded
        ? {
            path: await writeNewFile(target, invoice.fileName, Buffer.from(invoice.bytes)),
            fileName: invoice.fileName,
            contentType: invoice.contentType,
          }
        : undefined;
    return { filePath, companion };
  }

  /**
   * The password a payslip is protected with: the employee's, when set; null for other documents and
   * employees without one — unless the office made protection mandatory (`payslip.passwordMissing`).
   */
  async payslipPassword(document: AccountingDocument, partner: Partner): Promise<string | null> {
    if (document.kind !== 'payslip') return null;
    const password = await this.#o.payslips.get(partner.id);
    // The office's "mandatory" holds even for a user who took the sending section over.
    const mandatory =
      this.#o.prefs.resolved().effective.sending.payslipProtection === 'mandatory' ||
      this.#o.prefs.globalPrefs().sending?.payslipProtection === 'mandatory';
    if (password === null && mandatory) {
      throw new KurierError('payslip.passwordMissing', { partner: partner.name });
    }
    return password;
  }

  /** The document with its partner and the company (throws `document.notFound`). */
  load(documentId: number): Loaded {
    const document = this.#o.documents.getDocument(documentId);
    const partner = document && this.#o.documents.getPartner(document.partnerId);
    if (!document || !partner) throw new KurierError('document.notFound', { documentId });
    return { document, partner, company: this.#o.documents.getCompany(document.companyId) };
  }

  /** The folder exports go to when the user has not chosen one. */
  defaultFolder(): string {
    return this.#o.prefs.userPrefs().exportFolder || this.#o.defaultFolder;
  }

  async #checkFolder(folder: string): Promise<string> {
    const resolved = path.resolve(folder);
    if (resolved === path.resolve(this.#o.defaultFolder)) await mkdir(resolved, { recursive: true });
    const info = await stat(resolved).catch(() => null);
    if (!info?.isDirectory()) throw new KurierError('export.folderNotFound', { folder });
    try {
      await access(resolved, constants.W_OK);
    } catch (error) {
      throw new KurierError('export.folderNotWritable', { folder }, { cause: error });
    }
    return resolved;
  }
}
