import { DatabaseSync } from 'node:sqlite';

/**
 * Forward-only schema migrations, in order. Entry `i` moves the database from `PRAGMA user_version = i`
 * to `i + 1`. Never edit or reorder an entry that has shipped: append a new one instead, because a
 * user's file records only how many entries it has already run.
 *
 * Amounts are integers in minor units and quantities in thousandths, as in `shared/domain.ts`.
 */
export const migrations: readonly string[] = [
  // 1: company, partners, documents and their lines.
  `
  CREATE TABLE company (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT NOT NULL,
    street              TEXT NOT NULL,
    city                TEXT NOT NULL,
    postal_code         TEXT NOT NULL,
    country             TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    tax_id              TEXT NOT NULL,
    email               TEXT NOT NULL,
    phone               TEXT NOT NULL,
    bank_account        TEXT NOT NULL,
    iban                TEXT NOT NULL
  ) STRICT;

  CREATE TABLE partners (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('business', 'employee')),
    name                TEXT NOT NULL,
    contact_person      TEXT NOT NULL,
    email               TEXT NOT NULL,
    street              TEXT NOT NULL,
    city                TEXT NOT NULL,
    postal_code         TEXT NOT NULL,
    country             TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    tax_id              TEXT NOT NULL,
    language            TEXT NOT NULL CHECK (language IN ('cs', 'pl', 'en'))
  ) STRICT;

  CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL
                        CHECK (kind IN ('invoice', 'creditNote', 'paymentReminder', 'payslip')),
    number              TEXT NOT NULL UNIQUE,
    partner_id          INTEGER NOT NULL REFERENCES partners (id),
    issue_date          TEXT NOT NULL,
    due_date            TEXT NOT NULL,
    taxable_supply_date TEXT NOT NULL,
    currency            TEXT NOT NULL,
    variable_symbol     TEXT NOT NULL,
    period              TEXT NOT NULL,
    related_number      TEXT NOT NULL,
    note                TEXT NOT NULL
  ) STRICT;
  CREATE INDEX documents_by_partner ON documents (partner_id);
  CREATE INDEX documents_by_issue_date ON documents (issue_date);

  CREATE TABLE document_lines (
    document_id         INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    description         TEXT NOT NULL,
    quantity_milli      INTEGER NOT NULL,
    unit                TEXT NOT NULL,
    unit_price_minor    INTEGER NOT NULL,
    vat_rate_percent    INTEGER NOT NULL,
    PRIMARY KEY (document_id, position)
  ) STRICT;
  `,
  // 2: what Kurier remembers about an SMTP account between runs (never a secret): a password the server
  // rejected is not tried again until the user enters it anew, so Kurier cannot lock the account.
  `
  CREATE TABLE smtp_account_state (
    account_id TEXT PRIMARY KEY,
    password_rejected_at TEXT,
    rejection_response TEXT NOT NULL DEFAULT ''
  ) STRICT;
  `,
  // 3: the outbox. A message row is committed before delivery starts and updated by every attempt, so a
  // crash loses nothing; times are epoch milliseconds.
  `
  CREATE TABLE outbox_batches (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('send', 'testToMe', 'copy', 'notification')),
    account_scope   TEXT NOT NULL CHECK (account_scope IN ('user', 'global')),
    status          TEXT NOT NULL CHECK (status IN ('running', 'paused', 'stopped', 'cancelled', 'done')),
    resume_at       INTEGER,
    reason_code     TEXT NOT NULL DEFAULT '',
    reason_details  TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL REFERENCES outbox_batches (id),
    document_id     INTEGER,
    recipient       TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    cc              TEXT NOT NULL DEFAULT '',
    bcc             TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    language        TEXT NOT NULL DEFAULT 'cs' CHECK (language IN ('cs', 'pl', 'en')),
    attachment_path TEXT NOT NULL,
    attachment_name TEXT NOT NULL,
    attachment_size INTEGER NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    route           TEXT NOT NULL DEFAULT 'smtp',
    status          TEXT NOT NULL
                    CHECK (status IN ('queued', 'sending', 'sent', 'retry', 'failed', 'uncertain', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      INTEGER NOT NULL,
    last_code       TEXT NOT NULL DEFAULT '',
    last_response   TEXT NOT NULL DEFAULT '',
    last_details    TEXT NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    -- Set when the whole message (final dot included) was handed to the server in the current attempt:
    -- after a crash, a row still 'sending' with this set may have arrived; without it, it cannot have.
    data_sent_at    INTEGER
  ) STRICT;
  CREATE INDEX outbox_due ON outbox_messages (status, not_before);
  CREATE INDEX outbox_by_batch ON outbox_messages (batch_id, status);
  CREATE INDEX outbox_sent_at ON outbox_messages (sent_at);
  `,
  // 4: payslip passwords live in the keychain; here only when each was set and by whom (never the
  // password), and which generation protected each exported payslip.
  `
  CREATE TABLE payslip_password_events (
    id          INTEGER PRIMARY KEY,
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    generation  INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('generated', 'set', 'cleared')),
    changed_at  INTEGER NOT NULL,
    changed_by  TEXT NOT NULL
  ) STRICT;
  CREATE INDEX payslip_password_events_by_partner ON payslip_password_events (partner_id, id);
  CREATE TABLE payslip_exports (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    generation  INTEGER NOT NULL,
    exported_at INTEGER NOT NULL,
    file_path   TEXT NOT NULL
  ) STRICT;
  `,
  // 5: every event occurrence that was notified by e-mail, once: the key makes a second notification of
  // the same occurrence impossible, across restarts too.
  `
  CREATE TABLE notifications (
    key         TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    batch_id    INTEGER REFERENCES outbox_batches (id)
  ) STRICT;
  `,
  // 6: the growing wait between failed login tests, so a restart does not start it from zero again.
  `
  CREATE TABLE login_cooldowns (
    key       TEXT PRIMARY KEY,
    failures  INTEGER NOT NULL,
    until_ms  INTEGER NOT NULL
  ) STRICT;
  `,
  // 7: addresses the user typed for a partner and sent a copy to: the export dialog offers (and
  // preselects) them for that partner only, never for another.
  `
  CREATE TABLE partner_recipients (
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    address     TEXT NOT NULL COLLATE NOCASE,
    chosen_at   INTEGER NOT NULL,
    PRIMARY KEY (partner_id, address)
  ) STRICT;
  `,
  // 8: a message the user sent again after its delivery was uncertain: the recipient may have it twice,
  // and the history says so (issue 22) — "sent (2 attempts)" alone hid it.
  `
  ALTER TABLE outbox_messages ADD COLUMN resent_after_uncertain INTEGER NOT NULL DEFAULT 0 CHECK (resent_after_uncertain IN (0, 1));
  `,
  // 9: many client companies (issue 15). The single `company` row becomes company 1 and every partner,
  // document, batch and history row belongs to one company (existing rows: company 1). Document numbers
  // are unique per company, not globally, and the kinds of ISDOC and FA(3) documents are allowed: both
  // live in column constraints, so `documents` is rebuilt (SQLite's 12-step procedure; applyMigrations
  // runs every entry with foreign keys off and checks them before committing).
  `
  CREATE TABLE companies (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    street              TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    registration_number TEXT NOT NULL DEFAULT '',
    tax_id              TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    bank_account        TEXT NOT NULL DEFAULT '',
    iban                TEXT NOT NULL DEFAULT '',
    logo                BLOB,
    -- The display name of From and the Reply-To of messages sent for this company; '' = the office's.
    sender_name         TEXT NOT NULL DEFAULT '',
    reply_to            TEXT NOT NULL DEFAULT '',
    -- '' = the office's default SMTP account; else the id of the company's own account.
    smtp_account        TEXT NOT NULL DEFAULT '',
    -- Per-company template overrides, JSON in the shape of shared/templates.ts Templates.
    templates_json      TEXT NOT NULL DEFAULT '{}',
    is_demo             INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    ksef_environment    TEXT NOT NULL DEFAULT 'production' CHECK (ksef_environment IN ('production', 'demo', 'test')),
    isdoc_attachment    TEXT NOT NULL DEFAULT 'separate' CHECK (isdoc_attachment IN ('separate', 'embedded', 'none'))
  ) STRICT;
  INSERT INTO companies (id, name, street, city, postal_code, country, registration_number, tax_id, email,
    phone, bank_account, iban)
    SELECT id, name, street, city, postal_code, country, registration_number, tax_id, email, phone,
      bank_account, iban FROM company;
  -- A file that has partners or documents but lost its company row still gets a company 1 to own them.
  INSERT INTO companies (id, name) SELECT 1, '' WHERE NOT EXISTS (SELECT 1 FROM companies)
    AND (EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM partners));
  DROP TABLE company;

  ALTER TABLE partners ADD COLUMN company_id INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX partners_by_company ON partners (company_id, registration_number);

  CREATE TABLE documents_new (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER NOT NULL REFERENCES companies (id),
    kind                TEXT NOT NULL CHECK (kind IN ('invoice', 'creditNote', 'paymentReminder', 'payslip',
                          'debitNote', 'proformaInvoice', 'advanceInvoice', 'advanceCorrection',
                          'simplifiedInvoice', 'settlementInvoice', 'settlementCorrection')),
    number              TEXT NOT NULL,
    partner_id          INTEGER NOT NULL REFERENCES partners (id),
    issue_date          TEXT NOT NULL,
    due_date            TEXT NOT NULL,
    taxable_supply_date TEXT NOT NULL,
    currency            TEXT NOT NULL,
    variable_symbol     TEXT NOT NULL,
    period              TEXT NOT NULL,
    related_number      TEXT NOT NULL,
    note                TEXT NOT NULL,
    UNIQUE (company_id, number)
  ) STRICT;
  INSERT INTO documents_new (id, company_id, kind, number, partner_id, issue_date, due_date,
    taxable_supply_date, currency, variable_symbol, period, related_number, note)
    SELECT id, 1, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
      variable_symbol, period, related_number, note FROM documents;
  DROP TABLE documents;
  ALTER TABLE documents_new RENAME TO documents;
  CREATE INDEX documents_by_partner ON documents (partner_id);
  CREATE INDEX documents_by_issue_date ON documents (issue_date);

  ALTER TABLE outbox_batches ADD COLUMN company_id INTEGER;
  ALTER TABLE outbox_messages ADD COLUMN company_id INTEGER;
  UPDATE outbox_batches SET company_id = 1;
  UPDATE outbox_messages SET company_id = 1;
  `,
  // 10: where a document came from (issue 15): the importer, the file's name, its KSeF number or ISDOC
  // UUID, the totals the file declared (with a flag when they do not add up), a foreign currency's rate
  // and the payment details printed in the file. The original files are kept byte for byte with their
  // SHA-256 (KSeF's verification code hashes exactly those bytes).
  `
  ALTER TABLE documents ADD COLUMN source TEXT NOT NULL DEFAULT 'demo';
  ALTER TABLE documents ADD COLUMN source_file TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN ksef_number TEXT;
  ALTER TABLE documents ADD COLUMN isdoc_uuid TEXT;
  ALTER TABLE documents ADD COLUMN totals_flagged INTEGER NOT NULL DEFAULT 0 CHECK (totals_flagged IN (0, 1));
  ALTER TABLE documents ADD COLUMN totals_flag_reason TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN declared_base_minor INTEGER;
  ALTER TABLE documents ADD COLUMN declared_vat_minor INTEGER;
  ALTER TABLE documents ADD COLUMN declared_total_minor INTEGER;
  ALTER TABLE documents ADD COLUMN local_currency TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN exchange_rate TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN payment_iban TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN payment_bic TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN payment_account TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN payment_bank_code TEXT NOT NULL DEFAULT '';
  ALTER TABLE documents ADD COLUMN imported_at INTEGER;
  CREATE UNIQUE INDEX documents_isdoc_uuid ON documents (company_id, isdoc_uuid) WHERE isdoc_uuid IS NOT NULL;
  CREATE INDEX documents_by_company ON documents (company_id, issue_date);

  CREATE TABLE document_originals (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('xml', 'pdf', 'isdocx')),
    bytes       BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (document_id, kind)
  ) STRICT;

  -- Small facts about the database itself, e.g. that the user removed the demo companies (so the demo
  -- is not seeded again on the next start).
  CREATE TABLE kurier_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // 11: per-company import settings (issue 15): the watched folder ("zásobník"), which document kinds
  // are e-mailed to their partner as soon as the folder imports them (JSON array, none by default), and
  // the confirmed rule that splits the company's payroll PDFs (JSON, NULL until the user confirms one).
  // `inbox_files` records every file the watched folder imported, by SHA-256, in the same transaction
  // as its documents: a crash before the file is moved never imports it a second time.
  `
  CREATE TABLE company_import_settings (
    company_id      INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    inbox_folder    TEXT NOT NULL DEFAULT '',
    auto_send_kinds TEXT NOT NULL DEFAULT '[]',
    payroll_rule    TEXT
  ) STRICT;
  CREATE TABLE inbox_files (
    company_id   INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    document_ids TEXT NOT NULL DEFAULT '[]',
    imported_at  INTEGER NOT NULL,
    PRIMARY KEY (company_id, sha256)
  ) STRICT;
  `,
  // 12: an outbox message may carry files beside its main attachment (issue 16: the ISDOC or the KSeF
  // XML beside the invoice's PDF), as a JSON list of {path, name, size, contentType}; and rows queued
  // since migration 10 without their company get their document's.
  `
  ALTER TABLE outbox_messages ADD COLUMN extra_attachments TEXT NOT NULL DEFAULT '[]';
  UPDATE outbox_messages SET company_id = (SELECT d.company_id FROM documents d WHERE d.id = outbox_messages.document_id)
    WHERE company_id IS NULL AND document_id IS NOT NULL;
  `,
  // 13: copies handed to a mail program (Thunderbird, Outlook, the default client, a mailto link): the
  // document list's "Sent" column shows the last send by any route, and these never pass the outbox.
  // The user presses Send in the mail program, so the row records the hand-off, not a delivery.
  `
  CREATE TABLE document_handoffs (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    route       TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    handed_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX document_handoffs_by_document ON document_handoffs (document_id, handed_at);
  `,
  // 14: a partner's (an employee's) mobile number, for the SMS list that hands over payslip passwords.
  `
  ALTER TABLE partners ADD COLUMN phone TEXT NOT NULL DEFAULT '';
  `,
  // 15: who sent it (issue 20): the user and the desk (computer) that queued each message or handed a
  // copy to a mail program, and the desk that delivered a message ('' on rows from before, and on a row
  // no desk has taken yet). Never a secret. The index serves the double-send guard: earlier copies of
  // the documents a batch is about to send.
  `
  ALTER TABLE outbox_messages ADD COLUMN queued_by_user TEXT NOT NULL DEFAULT '';
  ALTER TABLE outbox_messages ADD COLUMN queued_by_desk TEXT NOT NULL DEFAULT '';
  ALTER TABLE outbox_messages ADD COLUMN delivered_by_desk TEXT NOT NULL DEFAULT '';
  CREATE INDEX outbox_by_document ON outbox_messages (document_id);
  CREATE INDEX outbox_by_queued_user ON outbox_messages (queued_by_user);
  ALTER TABLE document_handoffs ADD COLUMN handed_by_user TEXT NOT NULL DEFAULT '';
  ALTER TABLE document_handoffs ADD COLUMN handed_by_desk TEXT NOT NULL DEFAULT '';
  `,
  // 16: a company may print the Polish banks' transfer QR code on its Polish invoices (issue 16); off
  // until the company turns it on.
  `
  ALTER TABLE companies ADD COLUMN polish_transfer_qr INTEGER NOT NULL DEFAULT 0 CHECK (polish_transfer_qr IN (0, 1));
  `,
  // 17: the partner CSV mapping a company last imported with (JSON by header name, NULL until the first
  // import by hand), and an employee's payroll personal number in its own column: until now it sat in
  // `registration_number`, which means IČO for a business partner. Existing employees keep both.
  `
  ALTER TABLE company_import_settings ADD COLUMN partner_csv_columns TEXT;
  ALTER TABLE partners ADD COLUMN personal_number TEXT NOT NULL DEFAULT '';
  UPDATE partners SET personal_number = registration_number WHERE kind = 'employee';
  `,
  // 18: a client company may send through its own SMTP account (issue 15), so a batch's account scope
  // may also be `company:<key>` (the company's key, shared/company-identifiers.ts companyKey). The scope
  // lives in a column constraint, so `outbox_batches` is rebuilt (as migration 9 rebuilt `documents`).
  `
  CREATE TABLE outbox_batches_new (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('send', 'testToMe', 'copy', 'notification')),
    account_scope   TEXT NOT NULL CHECK (account_scope IN ('user', 'global') OR account_scope GLOB 'company:[0-9A-Z]*'),
    status          TEXT NOT NULL CHECK (status IN ('running', 'paused', 'stopped', 'cancelled', 'done')),
    resume_at       INTEGER,
    reason_code     TEXT NOT NULL DEFAULT '',
    reason_details  TEXT NOT NULL DEFAULT '{}',
    company_id      INTEGER
  ) STRICT;
  INSERT INTO outbox_batches_new (id, created_at, kind, account_scope, status, resume_at, reason_code, reason_details,
    company_id)
    SELECT id, created_at, kind, account_scope, status, resume_at, reason_code, reason_details, company_id
    FROM outbox_batches;
  DROP TABLE outbox_batches;
  ALTER TABLE outbox_batches_new RENAME TO outbox_batches;
  `,
  // 19: how an imported document is to be paid and whether it has been (issue 16: QR Platba only for a
  // transfer with something still due). Documents from before keep what Kurier assumed of them: a
  // transfer of the whole total (NULL amount due).
  `
  ALTER TABLE documents ADD COLUMN payment_method TEXT NOT NULL DEFAULT 'transfer';
  ALTER TABLE documents ADD COLUMN amount_due_minor INTEGER;
  ALTER TABLE documents ADD COLUMN paid_on TEXT NOT NULL DEFAULT '';
  `,
  // 20: the company of the demo seed from before client companies (migration 9 made it company 1 with
  // is_demo = 0) is the demo: it has the demo's IČO and holds nothing imported. Marked, "Remove demo
  // companies" removes it as it removes the two demo companies of a new database.
  `
  UPDATE companies SET is_demo = 1
    WHERE is_demo = 0 AND registration_number = '27082440'
      AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.company_id = companies.id AND d.source <> 'demo');
  `,
];

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
const busyTimeoutMs = 5_000;

/**
 * Opens (creating if needed) the SQLite file at `filePath`, switches it to WAL with foreign keys on,
 * and brings its schema up to date with {@link migrations}.
 *
 * @throws when the file was written by a newer Kurier (its schema version is ahead of ours) or a
 *   migration fails; the connection is closed and the file is left at its last good version.
 */
export function openDatabase(filePath: string): DatabaseSync {
  const db = new DatabaseSync(filePath);
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA synchronous = NORMAL');
    applyMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Reads `PRAGMA user_version`: how many migrations the file has run. */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  const version = row?.['user_version'];
  if (typeof version !== 'number') {
    throw new Error('PRAGMA user_version returned no number');
  }
  return version;
}

/**
 * Runs the entries of `list` the database has not run yet, each in its own transaction together with
 * the `user_version` bump, so a crash leaves the file at a whole version. `BEGIN IMMEDIATE` takes the
 * write lock before re-reading the version, so two processes opening the same file cannot both migrate.
 *
 * @returns the schema version after migrating.
 */
export function applyMigrations(db: DatabaseSync, list: readonly string[]): number {
  const start = schemaVersion(db);
  if (start > list.length) {
    throw new Error(`Database schema version ${start} is newer than this build knows (${list.length}); refusing to open it.`);
  }
  if (start === list.length) return start;
  // Foreign keys off while migrating, as SQLite's procedure for rebuilding a table asks (a DROP TABLE
  // with them on would cascade-delete the rows that point at it); they are checked before each commit,
  // and the setting can change only outside a transaction.
  const foreignKeys = db.prepare('PRAGMA foreign_keys').get()?.['foreign_keys'] === 1;
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (let index = start; index < list.length; index += 1) {
      db.exec('BEGIN IMMEDIATE');
      try {
        if (schemaVersion(db) === index) {
          db.exec(list[index] ?? '');
          const broken = db.prepare('PRAGMA foreign_key_check').all();
          if (broken.length > 0) throw new Error(`Migration ${index + 1} leaves ${broken.length} broken foreign keys.`);
          db.exec(`PRAGMA user_version = ${index + 1}`);
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    }
  } finally {
    if (foreignKeys) db.exec('PRAGMA foreign_keys = ON');
  }
  return schemaVersion(db);
}
