/**
 * Files the user adds to a document's copy in the export dialog. The window never names a path: in
 * Electron main's native picker chooses the files, in the web shell the page hands over the bytes of a
 * file the user picked in the browser (written into Kurier's own folder). Either way main checks each
 * file — a regular file it can read, and together with the others within the message size the account
 * the document's copy goes through accepts — and the window gets an id, a name and a size back. A copy names its files by those
 * ids only, so no window can make Kurier attach a file of its choosing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExtraAttachment } from '../../../shared/contract';
import { KurierError } from '../../../shared/errors';
import { safeFileName } from '../files/file-names';
import { SmtpSession } from '../mail/smtp-session';
import type { SmtpTimeouts } from '../mail/smtp-transport-options';
import type { OutboxAttachment } from '../outbox/outbox-store';
import type { PreferencesService } from '../prefs/preferences-service';

/**
 * How long files a page handed over are kept: a copy still queued in the outbox reads them when it goes
 * out, and the outbox gives up on a message long before this.
 */
export const pageFileRetentionMs = 30 * 24 * 60 * 60_000;

/** The message size assumed when the account does not say (a common provider limit). */
export const defaultMessageLimitBytes = 25_000_000;
/** Room kept for what is not an added file: the document's PDF, its e-invoice, the text and headers. */
const reserveBytes = 1_000_000;
/** A file as Base64 in an e-mail: 57 bytes per 76-character line and its line break. */
const encodedSize = (bytes: number) => Math.ceil(bytes / 57) * 78;

const contentTypes: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.xml': 'application/xml',
  '.isdoc': 'application/xml',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The content type an attachment named `name` travels as. */
export function attachmentContentType(name: string): string {
  return contentTypes[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

interface Known extends ExtraAttachment {
  readonly path: string;
  readonly contentType: string;
}

/** What the added files need. */
export interface ExtraAttachmentsOptions {
  /** Kurier's own folder for files a page handed over (the web shell). */
  readonly folder: string;
  /** The largest message the account a copy of the document goes through accepts, in bytes; 0 when it does not say. */
  readonly messageLimit: (documentId: number) => Promise<number>;
}

/** The files added to copies in this session, by id. */
export class ExtraAttachments {
  readonly #o: ExtraAttachmentsOptions;
  readonly #known = new Map<string, Known>();

  constructor(options: ExtraAttachmentsOptions) {
    this.#o = options;
  }

  /** Files the native picker chose for a copy of `documentId`, checked, added after the dialog's `selected` ones. */
  async addPaths(paths: readonly string[], selected: readonly string[], documentId: number): Promise<ExtraAttachment[]> {
    const checked: Known[] = [];
    for (const file of paths) {
      if (!path.isAbsolute(file)) throw new KurierError('input.invalid', { field: 'path' });
      const { real, size } = await regularReadableFile(file);
      const name = path.basename(file);
      checked.push({ id: randomUUID(), name, size, path: real, contentType: attachmentContentType(name) });
    }
    await this.#assertFits([...this.#selected(selected), ...checked], documentId);
    return checked.map((known) => this.#add(known));
  }

  /** Files a page read (the web shell), written into Kurier's folder, then checked like picked ones. */
  async addBytes(
    files: readonly { readonly name: string; readonly bytes: Uint8Array }[],
    selected: readonly string[],
    documentId: number,
  ): Promise<ExtraAttachment[]> {
    const named = files.map((file) => ({ ...file, name: cleanName(file.name) }));
    // Too large is said before anything is written.
    await this.#assertFits(
      [...this.#selected(selected), ...named.map((file) => ({ name: file.name, size: file.bytes.length }))],
      documentId,
    );
    const paths: string[] = [];
    for (const file of named) {
      const folder = path.join(this.#o.folder, randomUUID());
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const target = path.join(folder, file.name);
      await writeFile(target, file.bytes, { flag: 'wx', mode: 0o600 });
      paths.push(target);
    }
    return this.addPaths(paths, selected, documentId);
  }

  /**
   * Removes the files pages handed over more than {@link pageFileRetentionMs} before `now` (each lives in
   * a folder of its own); returns how many. A folder that cannot be removed stays until the next time.
   */
  async sweep(now: number): Promise<number> {
    const names = await readdir(this.#o.folder).catch(() => []);
    let removed = 0;
    for (const name of names) {
      const folder = path.join(this.#o.folder, name);
      const info = await stat(folder).catch(() => null);
      if (info === null || now - info.mtimeMs <= pageFileRetentionMs) continue;
      await rm(folder, { recursive: true, force: true }).then(
        () => (removed += 1),
        () => undefined,
      );
    }
    return removed;
  }

  /**
   * The files of `ids` as they travel, checked again now (still a regular readable file, all of them
   * within the message size of the account `documentId`'s copy goes through); `attachment.gone` for an
   * id this session does not know.
   */
  async resolve(ids: readonly string[], documentId: number): Promise<OutboxAttachment[]> {
    const files: OutboxAttachment[] = [];
    const sized: { name: string; size: number }[] = [];
    for (const known of this.#selected(ids)) {
      const { real, size } = await regularReadableFile(known.path, known.name);
      files.push({ path: real, name: known.name, size, contentType: known.contentType });
      sized.push({ name: known.name, size });
    }
    await this.#assertFits(sized, documentId);
    return files;
  }

  #selected(ids: readonly string[]): Known[] {
    return ids.map((id) => {
      const known = this.#known.get(id);
      if (!known) throw new KurierError('attachment.gone', {});
      return known;
    });
  }

  /** Throws `attachment.tooLarge` naming the first file that takes `documentId`'s copy over its account's size. */
  async #assertFits(files: readonly { readonly name: string; readonly size: number }[], documentId: number): Promise<void> {
    if (files.length === 0) return;
    const limit = (await this.#o.messageLimit(documentId)) || defaultMessageLimitBytes;
    let total = reserveBytes;
    for (const file of files) {
      total += encodedSize(file.size);
      if (total > limit)
        throw new KurierError('attachment.tooLarge', { name: file.name, limitMb: Math.floor(limit / 1_000_000) });
    }
  }

  #add(known: Known): ExtraAttachment {
    this.#known.set(known.id, known);
    return { id: known.id, name: known.name, size: known.size };
  }
}

/** The real path and size of `file` when it is a regular file Kurier can open for reading. */
async function regularReadableFile(file: string, name = path.basename(file)): Promise<{ real: string; size: number }> {
  const real = await realpath(file).catch(() => null);
  const info = real === null ? null : await stat(real).catch(() => null);
  if (real === null || info === null) throw new KurierError('attachment.unreadable', { name });
  // A folder, a device (/dev/zero never ends), a pipe or a socket is not a file to attach.
  if (!info.isFile()) throw new KurierError('attachment.notAFile', { name });
  const handle = await open(real, 'r').catch(() => null);
  if (handle === null) throw new KurierError('attachment.unreadable', { name });
  await handle.close();
  return { real, size: info.size };
}

/** A name from a page, safe as one file name on every system (its extension kept when plain). */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/u).pop() ?? '';
  const extension = path.extname(base);
  const plain = /^\.[\p{L}\p{N}]{1,10}$/u.test(extension) ? extension : '';
  const stem = plain === '' ? base : base.slice(0, -plain.length);
  return safeFileName(stem, plain);
}

/**
 * The largest message a copy of a document can be, as the server of the account it goes through says
 * (SMTP SIZE): its company's own account, else the one in force ({@link PreferencesService.sendingAccountFor}).
 * Asked once per server in a session; 0 with no SMTP account (a mail program) or when the server cannot
 * be asked.
 */
export function companyMessageLimit(
  prefs: Pick<PreferencesService, 'sendingAccountFor'>,
  companyOf: (documentId: number) => Parameters<PreferencesService['sendingAccountFor']>[0],
  timeouts?: SmtpTimeouts,
): (documentId: number) => Promise<number> {
  const asked = new Map<string, Promise<number>>();
  return (documentId) => {
    const account = prefs.sendingAccountFor(companyOf(documentId))?.account;
    if (!account) return Promise.resolve(0);
    const key = `${account.host}\n${String(account.port)}\n${account.security}`;
    let limit = asked.get(key);
    if (!limit) {
      limit = SmtpSession.probeSize(account, timeouts).catch(() => 0);
      asked.set(key, limit);
    }
    return limit;
  };
}
