/**
 * The channel and event names alone, without schemas, for the preload and the web-shell bridge (which
 * must not carry zod into the page). `contract.ts` fails to compile if the two lists drift apart.
 */

/** Every channel, in a stable order. */
export const channels = [
  'app:getInfo',
  'documents:list',
  'documents:lastSends',
  'documents:openPdf',
  'ksef:readUpo',
  'ksef:storeNumbers',
  'companies:list',
  'companies:removeDemo',
  'companies:einvoice',
  'companies:updateEinvoice',
  'imports:choose',
  'imports:planFiles',
  'imports:replan',
  'imports:commit',
  'imports:planPartners',
  'imports:commitPartners',
  'imports:planPayroll',
  'imports:confirmPayrollRule',
  'imports:commitPayroll',
  'prefs:get',
  'prefs:updateUser',
  'prefs:updateGlobal',
  'prefs:updateCompanySmtp',
  'database:status',
  'database:save',
  'database:test',
  'database:move',
  'prefs:officeReview',
  'prefs:confirmOffice',
  'smtp:detect',
  'smtp:test',
  'oauth:begin',
  'oauth:finish',
  'oauth:cancel',
  'oauth:signOut',
  'export:prepare',
  'export:run',
  'export:handOff',
  'export:cancel',
  'export:fallback',
  'export:reveal',
  'payslips:list',
  'payslips:change',
  'payslips:handover',
  'inbox:settings',
  'inbox:update',
  'templates:preview',
  'outbox:dryRun',
  'outbox:start',
  'outbox:batches',
  'outbox:control',
  'outbox:history',
  'outbox:historyUsers',
  'outbox:retry',
  'outbox:markDelivered',
  'outbox:exportCsv',
  'attachments:choose',
  'attachments:addFiles',
  'uploads:begin',
  'uploads:part',
  'uploads:cancel',
  'dialogs:chooseFolder',
  'windows:open',
  'external:open',
] as const;

/** Every event main pushes to windows. */
export const eventNames = [
  'export:progressed',
  'outbox:progressed',
  'prefs:changed',
  'database:moveProgressed',
  'database:changed',
] as const;

/** A channel name. */
export type Channel = (typeof channels)[number];
/** An event name. */
export type EventName = (typeof eventNames)[number];
