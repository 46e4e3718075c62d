/**
 * The handler table: contract channel → service call. Both transports (Electron IPC and the web shell)
 * serve exactly this table through `dispatch`.
 */
import type { Language } from '../../shared/domain';
import type { InputOf, OutputOf } from '../../shared/contract';
import type { AppServices } from '../services/app-services';
import { externalUrlPolicy } from '../services/external-links';
import { KurierError } from '../../shared/errors';
import { createTranslator } from '../../shared/i18n';
import { writeHandover } from '../services/payslips/handover';
import path from 'node:path';
import type { InboxSettingsView } from '../../shared/inbox';
import type { CompanyEinvoiceView } from '../../shared/company-einvoice';
import { ImportRejection } from '../services/imports/import-error';
import { checkLogo } from '../services/export/logo-image';
import { checkCompanyProfile, maxLogoBytes } from '../../shared/company-profile';
import { companyKey, companyKeyField } from '../../shared/company-identifiers';
import { ownTemplates } from '../services/sending/company-templates';
import type { Templates } from '../../shared/templates';
import type { Handlers } from './dispatch';
import type { ImportBytes } from '../../shared/imports';

/** What only the shell (Electron or the web shell) can do. */
export interface ShellAdapter {
  readonly kind: 'electron' | 'web';
  readonly version: string;
  readonly systemLanguage: Language;
  chooseFolder(defaultPath: string): Promise<OutputOf<'dialogs:chooseFolder'>>;
  /** The native file picker for files to add to a copy; `supported: false` where the page reads them itself. */
  chooseAttachmentFiles?(): Promise<{ supported: boolean; paths: string[] }>;
  /** The native file picker for imports; `supported: false` where the page must read the files itself. */
  chooseImportFiles?(folder: boolean): Promise<{ supported: boolean; paths: string[] }>;
  openWindow(spec: InputOf<'windows:open'>): Promise<OutputOf<'windows:open'>>;
  /** Opens an address the policy allowed in the system browser; false where the page must open it. */
  openExternal(url: string): Promise<boolean>;
  /** Shows a file in the system's file manager; false where the shell has none (the web shell). */
  revealFile(filePath: string): Promise<boolean>;
  /** Opens a file Kurier wrote in the system's viewer; false where the shell has none (the web shell). */
  openFile?(filePath: string): Promise<boolean>;
}

/** Builds the table from the services and the shell. */
export function createHandlers(services: AppServices, shell: ShellAdapter): Handlers {
  return {
    'app:getInfo': () => ({ version: shell.version, shell: shell.kind, systemLanguage: shell.systemLanguage }),
    'documents:list': () => services.documents.listDocuments(),
    'documents:lastSends': () => services.sends.lastSends(),
    'documents:openPdf': async ({ documentId }) => {
      const preview = await services.preview.render(documentId);
      if (shell.openFile && (await shell.openFile(preview.filePath)))
        return { opened: true, fileName: preview.fileName, base64: '' };
      return { opened: false, fileName: preview.fileName, base64: Buffer.from(preview.bytes).toString('base64') };
    },
    'companies:list': () => services.documents.companies.list(),
    'companies:removeDemo': () => ({ removed: services.documents.companies.removeDemo() }),
    'companies:einvoice': () => companyEinvoice(services),
    'companies:updateEinvoice': ({ companyId, isdocAttachment, polishTransferQr, ksefEnvironment }) => {
      const companies = services.documents.companies;
      const company = companies.get(companyId);
      if (!company) throw new KurierError('input.invalid', { field: 'companyId' });
      // The Polish banks' code is for Polish companies: another company's switch stays off.
      if (polishTransferQr && company.address.country !== 'PL')
        throw new KurierError('input.invalid', { field: 'polishTransferQr' });
      // KSeF is Poland's: another company has no environment to choose, it stays production.
      if (ksefEnvironment !== 'production' && company.address.country !== 'PL')
        throw new KurierError('input.invalid', { field: 'ksefEnvironment' });
      companies.setIsdocAttachment(companyId, isdocAttachment);
      companies.setPolishTransferQr(companyId, polishTransferQr);
      companies.setKsefEnvironment(companyId, ksefEnvironment);
      return companyEinvoice(services);
    },
    'companies:profile': ({ companyId }) => services.documents.companies.view(companyId),
    'companies:update': ({ companyId, profile }) => {
      keepAccountKey(services, companyId, profile);
      return services.documents.companies.update(companyId, profile);
    },
    'companies:add': ({ profile }) => services.documents.companies.add(profile),
    'companies:setLogo': (input) => {
      const { companyId } = input;
      if ('size' in input) throw new KurierError('company.logoTooLarge', { size: input.size, limit: maxLogoBytes });
      const { bytes } = services.uploads.take(input.uploadId);
      // What is stored is the checked logo's own bytes: a PNG re-encoded so the PDF renderer can always draw it.
      return services.documents.companies.setLogo(companyId, checkLogo(bytes).bytes);
    },
    'companies:templates': ({ companyId }) => companyOwnTemplates(services, companyId),
    'companies:updateTemplates': ({ companyId, templates }) => {
      services.documents.companies.setTemplates(companyId, templates);
      return companyOwnTemplates(services, companyId);
    },
    'companies:removeLogo': ({ companyId }) => services.documents.companies.setLogo(companyId, null),
    'imports:choose': async ({ ksefNumber, folder }) => {
      const chosen = shell.chooseImportFiles ? await shell.chooseImportFiles(folder === true) : { supported: false, paths: [] };
      if (!chosen.supported) return { supported: false, plan: null };
      if (chosen.paths.length === 0) return { supported: true, plan: null };
      return { supported: true, plan: await services.importDesk.planPaths(chosen.paths, { ksefNumber }) };
    },
    'imports:planFiles': ({ files, ksefNumber }) => {
      const uploaded = services.uploads.takeAll(files.flatMap((file) => ('uploadId' in file ? [file.uploadId] : [])));
      return services.importDesk.planBytes(
        files.map((file) => ('uploadId' in file ? (uploaded.shift() as ImportBytes) : { name: file.name, size: file.size })),
        { ksefNumber },
      );
    },
    'imports:replan': async ({ planId, ksefNumber }) => {
      try {
        return await services.imports.replan(planId, ksefNumber);
      } catch (error) {
        if (error instanceof ImportRejection) throw new KurierError('input.invalid', { planId: 'invalid' });
        throw error;
      }
    },
    'imports:commit': ({ planId, createCompanies }) => {
      try {
        return services.imports.commit(planId, createCompanies);
      } catch (error) {
        if (error instanceof ImportRejection) throw new KurierError('input.invalid', { planId: 'invalid' });
        throw error;
      }
    },
    'imports:planPartners': ({ companyId, sourceId, mapping }) => services.partnerDesk.plan(companyId, sourceId, mapping),
    'imports:commitPartners': ({ companyId, sourceId, mapping }) => services.partnerDesk.commit(companyId, sourceId, mapping),
    'imports:planPayroll': (request) => services.payrollDesk.plan(request),
    'imports:confirmPayrollRule': ({ companyId, rule }) => {
      services.payrollDesk.confirmRule(companyId, rule);
      return null;
    },
    'imports:commitPayroll': (request) => services.payrollDesk.commit(request),
    'prefs:get': () => services.prefs.view(),
    'prefs:updateUser': ({ prefs, password }) => services.prefs.updateUser(prefs, password),
    'prefs:updateGlobal': ({ prefs, password }) => services.prefs.updateGlobal(prefs, password),
    'prefs:updateCompanySmtp': ({ companyId, account, password }) => {
      const company = services.documents.companies.get(companyId);
      if (!company) throw new KurierError('input.invalid', { field: 'companyId' });
      const key = companyKey(company);
      if (key === null) throw new KurierError('prefs.companyWithoutKey', { company: company.name });
      return services.prefs.updateCompanySmtp(key, account, password);
    },
    'database:status': () => services.databaseSettings.status(),
    'database:save': ({ database, password }) => services.databaseSettings.save(database, password),
    'database:test': ({ database, password }) => services.databaseSettings.test(database, password ?? null),
    'database:move': () => services.databaseSettings.move(),
    'prefs:officeReview': () => services.prefs.officeReview(),
    'prefs:confirmOffice': ({ digests }) => services.confirmOffice(digests),
    'smtp:detect': ({ address }) => services.detectSmtp(address),
    'smtp:test': (request) => services.connectionCheck.run(request),
    'oauth:begin': ({ scope, provider, loginHint }) => services.oauth.begin(scope, provider, loginHint),
    'oauth:finish': ({ flowId }) => services.oauth.finish(flowId),
    'oauth:cancel': ({ flowId }) => {
      services.oauth.cancel(flowId);
      return null;
    },
    'oauth:signOut': async ({ scope }) => {
      await services.oauth.signOut(scope);
      return services.oauth.state(scope);
    },
    'export:prepare': ({ documentId }) => services.sender.prepare(documentId),
    'export:run': (input) => services.sender.run(input),
    'export:handOff': (input) => services.sender.handOffExported(input),
    'export:cancel': ({ documentId }) => services.sender.cancelCopy(documentId),
    'export:fallback': async ({ documentId }) => ({ route: await services.sender.fallback(documentId) }),
    'export:reveal': async ({ filePath }) => {
      if (!services.sender.revealable.has(filePath)) throw new KurierError('input.invalid', { filePath: 'invalid' });
      return { revealed: await shell.revealFile(filePath) };
    },
    'payslips:list': () => services.payslips.statuses(services.documents.listPartners()),
    'payslips:change': async ({ partnerId, change }) => {
      const employee = services.documents.getPartner(partnerId);
      if (!employee) throw new KurierError('document.notFound', { partnerId });
      await services.payslips.change(employee, change);
      return services.payslips.statuses(services.documents.listPartners());
    },
    'inbox:settings': () => inboxSettings(services),
    'inbox:update': async ({ companyId, inboxFolder, autoSendKinds }) => {
      const folder = inboxFolder.trim();
      if (folder !== '' && !path.isAbsolute(folder)) throw new KurierError('input.invalid', { field: 'inboxFolder' });
      if (!services.documents.companies.get(companyId)) throw new KurierError('input.invalid', { field: 'companyId' });
      services.importSettings.update(companyId, { inboxFolder: folder, autoSendKinds });
      await services.inbox.reconfigure(companyId);
      return inboxSettings(services);
    },
    'payslips:handover': ({ partnerIds, format }) => {
      const chosen = services.prefs.resolved().effective.language;
      const language = chosen === 'system' ? shell.systemLanguage : chosen;
      const t = createTranslator(language);
      return writeHandover(
        {
          employees: services.documents.listPartners(),
          password: (partnerId) => services.payslips.get(partnerId),
          generation: (partnerId) => services.payslips.generation(partnerId),
          company: services.documents.getCompany().name,
          fontDir: services.fontDir,
          folder: services.exporter.defaultFolder(),
          language,
          texts: {
            title: t('payslips.sheetTitle'),
            intro: t('payslips.sheetIntro'),
            generation: t('payslips.sheetGeneration'),
            keep: t('payslips.sheetKeep'),
            sms: (password) => t('payslips.smsText', { password }),
            csvHeader: [
              t('payslips.csvName'),
              t('payslips.csvPhone'),
              t('payslips.csvEmail'),
              t('payslips.csvPassword'),
              t('payslips.csvSms'),
            ],
          },
        },
        partnerIds,
        format,
      );
    },
    'templates:preview': ({ kind, language, template }) => services.sender.previewTemplate(kind, language, template),
    'outbox:dryRun': ({ documentIds, target }) => services.batches.dryRun(documentIds, target),
    'ksef:readUpo': ({ documentIds, xml }) => services.ksefNumbers.readUpo(Buffer.from(xml, 'utf8'), documentIds),
    'ksef:storeNumbers': ({ numbers }) => ({ stored: services.ksefNumbers.store(numbers) }),
    'outbox:start': (request) => services.batches.begin(request),
    'outbox:batches': () => services.batches.recentProgress(),
    'outbox:control': async ({ batchId, action }) => {
      await services.worker[action](batchId);
      return services.worker.progress(batchId);
    },
    'outbox:history': (filter) => services.batches.history(filter),
    'outbox:historyUsers': () => services.batches.historyUsers(),
    'outbox:retry': async ({ ids }) => ({ changed: await services.batches.retry(ids) }),
    'outbox:markDelivered': async ({ ids }) => ({ changed: await services.batches.markDelivered(ids) }),
    'outbox:exportCsv': async ({ filter, labels }) => ({
      path: await services.batches.exportCsv(filter, services.exporter.defaultFolder(), labels),
    }),
    'attachments:choose': async ({ documentId, selected }) => {
      const chosen = shell.chooseAttachmentFiles ? await shell.chooseAttachmentFiles() : { supported: false, paths: [] };
      if (!chosen.supported) return { supported: false, added: [] };
      return { supported: true, added: await services.attachments.addPaths(chosen.paths, selected, documentId) };
    },
    'attachments:addFiles': ({ documentId, selected, files }) =>
      services.attachments.addBytes(services.uploads.takeAll(files.map((file) => file.uploadId)), selected, documentId),
    'uploads:begin': ({ name, size }) => ({ uploadId: services.uploads.begin(name, size) }),
    'uploads:part': ({ uploadId, index, base64 }) => ({
      received: services.uploads.part(uploadId, index, new Uint8Array(Buffer.from(base64, 'base64'))),
    }),
    'uploads:cancel': ({ uploadId }) => {
      services.uploads.cancel(uploadId);
      return null;
    },
    'dialogs:chooseFolder': ({ defaultPath }) => shell.chooseFolder(defaultPath),
    'windows:open': (spec) => shell.openWindow(spec),
    'external:open': async ({ url }) => {
      if (!externalUrlPolicy((asked) => services.oauth.isPendingAuthorizeUrl(asked))(url)) {
        throw new KurierError('external.notAllowed', { scheme: URL.canParse(url) ? new URL(url).protocol : '' });
      }
      return { opened: await shell.openExternal(url) };
    },
  };
}

/**
 * Refuses a change of a company's identifiers that would change its key (shared/company-identifiers.ts
 * companyKey) while the office file keeps the company's own SMTP account under that key: the account
 * (and its password in each keychain) would be orphaned and its messages would silently go out through
 * the office's account. The field that carries the key is marked; the account has to be removed first.
 */
function keepAccountKey(services: AppServices, companyId: number, profile: unknown): void {
  const company = services.documents.companies.get(companyId);
  const checked = checkCompanyProfile(profile);
  // An unknown company or a profile with problems is refused by the repository, naming them.
  if (!company || !checked.ok) return;
  const key = companyKey(company);
  if (key === null || services.prefs.globalPrefs().companySmtp?.[key] === undefined) return;
  if (companyKey(checked.profile) === key) return;
  const field = checked.profile.country === company.address.country ? companyKeyField(checked.profile.country) : 'country';
  throw new KurierError('input.invalid', { [`profile.${field}`]: 'keyOfOwnAccount' });
}

function companyOwnTemplates(services: AppServices, companyId: number): Templates {
  const company = services.documents.companies.get(companyId);
  if (!company) throw new KurierError('input.invalid', { field: 'companyId' });
  const own = ownTemplates(company);
  return own === 'damaged' ? {} : own;
}

function companyEinvoice(services: AppServices): CompanyEinvoiceView[] {
  return services.documents.companies.list().map((summary) => {
    const company = services.documents.getCompany(summary.id);
    return {
      companyId: company.id,
      companyName: company.name,
      country: company.address.country,
      isdocAttachment: company.isdocAttachment,
      polishTransferQr: company.polishTransferQr,
      ksefEnvironment: company.ksefEnvironment,
    };
  });
}

function inboxSettings(services: AppServices): InboxSettingsView[] {
  return services.documents.companies.list().map((company) => {
    const settings = services.importSettings.get(company.id);
    return {
      companyId: company.id,
      companyName: company.name,
      inboxFolder: settings.inboxFolder,
      autoSendKinds: settings.autoSendKinds,
    };
  });
}
