/**
 * `kurier` on the command line (issue 15), for accounting programs that run a program after their export
 * (POHODA, Money S3…) and for scripts:
 *
 *   kurier import FILE|FOLDER… [--company IČO/NIP] [--dry-run] [--json] [--ksef-number N]
 *     (ISDOC, KSeF, PDF with ISDOC; partner lists .csv and payroll PDFs: see import-extras.ts)
 *   kurier documents [--company IČO/NIP] [--json]
 *   kurier export NUMBER [--company IČO/NIP] [--out FOLDER] [--json]
 *
 * The data folder is the app's (`KURIER_DATA_DIR` overrides it). Exit codes: 0 everything done, 1 some
 * files were rejected (or the document was not found), 2 bad usage. Messages are English: a script reads
 * them; `--json` gives one JSON object per line.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { computeTotals, documentTotalMinor, type CompanyRecord } from '../../shared/domain';
import { typedKsefNumber } from '../../shared/imports';
import { createAppServices } from '../services/app-services';
import { openDatabase } from '../services/data/database';
import { defaultExportFolder, userDataDir } from '../services/data/locations';
import { seedDemoCompany } from '../services/documents/demo-seed';
import { DocumentRepository } from '../services/documents/document-repository';
import { ImportDesk } from '../services/imports/import-desk';
import { ImportService } from '../services/imports/import-service';
import { KeytarSecretStore } from '../services/secrets/keytar-secret-store';
import { fileSink } from '../services/logging/logger';
import { machinePrefsDir } from '../services/prefs/prefs-files';
import { readOfficeAtStart } from '../services/prefs/office-file';
import { CompanyNeeded, importPartnerFiles, importPayrollFiles } from './import-extras';

const usage = `usage:
  kurier import FILE|FOLDER… [--company IČO/NIP] [--dry-run] [--json] [--ksef-number N]
  kurier documents [--company IČO/NIP] [--json]
  kurier export NUMBER [--company IČO/NIP] [--out FOLDER] [--json]
Partner lists (.csv) and payroll PDFs go into the company named by --company; payroll needs the rule
confirmed once in the app (Import… → Confirm the rule).
`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** What the caller knows about where it runs. */
export interface RunOptions {
  /**
   * The fonts PDFs are rendered with: bin/kurier.mjs passes the checkout's build/fonts, the packaged app
   * its resources folder, as its own export does. (Not found from this module's own place: the bundler
   * moves it into a chunk folder.)
   */
  readonly fontDir: string;
}

/** Runs one command; returns the exit code. */
export async function run(argv: readonly string[], options: RunOptions): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await importCommand(rest);
      case 'documents':
        return documentsCommand(rest);
      case 'export':
        return await exportCommand(rest, options.fontDir);
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command: ${command}`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof CompanyNeeded ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`kurier: ${error.message}\n${usage}`);
      return 2;
    }
    throw error;
  }
}

function openData() {
  const dataDir = userDataDir();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(path.join(dataDir, 'kurier.sqlite'));
  seedDemoCompany(db, () => new Date());
  const documents = new DocumentRepository(db);
  return { db, documents, dataDir };
}

function companyOption(documents: DocumentRepository, identifier: string | undefined): CompanyRecord | undefined {
  if (identifier === undefined) return undefined;
  const company = documents.companies.findByIdentifier(identifier);
  if (!company) throw new UsageError(`no company with IČO/NIP ${identifier}`);
  return company;
}

async function importCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      company: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'ksef-number': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one file or folder');
  const typedKsef = values['ksef-number'] === undefined ? undefined : typedKsefNumber(values['ksef-number']);
  if (typedKsef?.problem === 'ksefNumberChecksum') {
    throw new UsageError(`--ksef-number ${typedKsef.value} has a typo: its check characters do not match the number`);
  }
  const { db, documents } = openData();
  try {
    const company = companyOption(documents, values.company);
    const imports = new ImportService({ db, documents, clock: () => new Date() });
    const desk = new ImportDesk(imports);
    const plan = await desk.planPaths(
      positionals.map((p) => path.resolve(p)),
      { company, ksefNumber: values['ksef-number'] },
    );
    if (values['ksef-number'] !== undefined && plan.items.filter((i) => i.format === 'ksef').length > 1) {
      throw new UsageError('--ksef-number is for a single KSeF file');
    }
    const extras = {
      db,
      documents,
      staging: desk.staging,
      company,
      dryRun: values['dry-run'] === true,
      json: values.json === true,
      out,
      err: (line: string) => process.stderr.write(`${line}\n`),
    };
    // Asked first, so a missing --company is a usage error before anything is written.
    const partnersDone = importPartnerFiles(extras, plan.partnerFiles);
    const payrollDone = await importPayrollFiles(extras, plan.payrollFiles);
    const extrasFailed = !partnersDone || !payrollDone;
    if (values['dry-run'] === true) {
      for (const item of plan.items) {
        out(
          values.json === true
            ? JSON.stringify({ dryRun: true, ...item })
            : `${item.status === 'ready' ? 'would import' : 'rejected'}  ${item.fileName}${item.document ? `  ${item.document.number}` : ''}${item.reason ? `  (${item.reason.code} ${JSON.stringify(item.reason.details)})` : ''}`,
        );
      }
      return extrasFailed || plan.items.some((item) => item.status === 'rejected') ? 1 : 0;
    }
    const result = imports.commit(plan.planId, true);
    for (const item of result.items) {
      out(
        values.json === true
          ? JSON.stringify(item)
          : `${item.status}  ${item.fileName}${item.number ? `  ${item.number}` : ''}${item.reason ? `  (${item.reason.code} ${JSON.stringify(item.reason.details)})` : ''}`,
      );
    }
    return extrasFailed || result.rejected > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

function documentsCommand(args: readonly string[]): number {
  const { values } = parseArgs({
    args: [...args],
    options: { company: { type: 'string' }, json: { type: 'boolean' } },
  });
  const { db, documents } = openData();
  try {
    const company = companyOption(documents, values.company);
    for (const summary of documents.listDocuments({ companyId: company?.id })) {
      const document = documents.getDocument(summary.id);
      const partner = document && documents.getPartner(document.partnerId);
      if (!document || !partner) continue;
      const owner = documents.getCompany(document.companyId);
      // The file's declared net and VAT for an imported document, else its lines'.
      const stated = document.origin.declaredTotals ?? computeTotals(document.lines);
      const row = {
        company: { name: owner.name, registrationNumber: owner.registrationNumber, taxId: owner.taxId },
        partner: { name: partner.name, registrationNumber: partner.registrationNumber, taxId: partner.taxId },
        kind: document.kind,
        number: document.number,
        issueDate: document.issueDate,
        dueDate: document.dueDate,
        currency: document.currency,
        netMinor: stated.baseMinor,
        vatMinor: stated.vatMinor,
        totalMinor: documentTotalMinor(document),
        email: partner.email,
        sourceFile: document.origin.sourceFile,
        source: document.origin.source,
        status: document.origin.totalsMismatch ? 'totalsFlagged' : 'ok',
        ksefNumber: document.origin.ksefNumber,
      };
      out(
        values.json === true
          ? JSON.stringify(row)
          : `${row.number}\t${row.kind}\t${row.company.name}\t${row.partner.name}\t${row.issueDate}\t${(row.totalMinor / 100).toFixed(2)} ${row.currency}`,
      );
    }
    return 0;
  } finally {
    db.close();
  }
}

async function exportCommand(args: readonly string[], fontDir: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { company: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('export needs exactly one document number');
  const [number = ''] = positionals;
  const { db, documents } = openData();
  const company = companyOption(documents, values.company);
  const matches = documents.listDocuments({ companyId: company?.id }).filter((d) => d.number === number);
  db.close();
  if (matches.length > 1) throw new UsageError(`${number} exists in several companies; name one with --company`);
  const [match] = matches;
  if (match === undefined) {
    process.stderr.write(`kurier: no document numbered ${number}\n`);
    return 1;
  }
  const dataDir = userDataDir();
  // The same services as the app, so the PDF is the one the export dialog writes.
  const prefsDir = machinePrefsDir(process.platform, process.env);
  // Within a deadline: an office share that hangs must not hang the command.
  const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir: prefsDir, env: process.env });
  const services = createAppServices({
    dataDir,
    officeStart,
    fontDir,
    defaultExportFolder: defaultExportFolder(),
    secrets: new KeytarSecretStore(),
    machinePrefsDir: prefsDir,
    logSink: fileSink(path.join(dataDir, 'kurier.log')),
    emit: () => undefined,
    // The command runs beside an open Kurier: it must not start a second outbox worker (whose start
    // would take the app's messages in flight back as interrupted) nor a second watched-folder reader.
    outbox: { manualStart: true },
  });
  try {
    const folder = path.resolve(values.out ?? services.exporter.defaultFolder());
    mkdirSync(folder, { recursive: true });
    const file = await services.exporter.exportFile(match.id, folder);
    out(values.json === true ? JSON.stringify({ number, path: file.filePath, bytes: file.bytes }) : file.filePath);
    return 0;
  } finally {
    await services.close();
  }
}
