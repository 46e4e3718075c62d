/**
 * Classic or new Outlook, decided from the registry facts Kurier collects (a fake probe answers as
 * reg.exe would), and the `.eml` draft for new Outlook, parsed back with a real MIME parser.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  collectOutlookFacts,
  emlDraft,
  newOutlookArgv,
  outlookFactQueries,
  outlookKind,
  type OutlookFacts,
} from '../../../../electron/services/handoff/new-outlook';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { tempDir } from '../../../support/temp-dir';

const classic = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE';
const olk = 'C:\\Users\\Jana\\AppData\\Local\\Microsoft\\WindowsApps\\olk.exe';

describe('outlookKind', () => {
  it.each<[string, OutlookFacts, string]>([
    ['only classic → classic', { useNewOutlook: null, classicProgram: classic, newProgram: null }, 'classic'],
    ['both, switch off → classic', { useNewOutlook: false, classicProgram: classic, newProgram: olk }, 'classic'],
    ['both, switch never touched → classic', { useNewOutlook: null, classicProgram: classic, newProgram: olk }, 'classic'],
    ['both, switch on → new', { useNewOutlook: true, classicProgram: classic, newProgram: olk }, 'new'],
    ['only new → new', { useNewOutlook: null, classicProgram: null, newProgram: olk }, 'new'],
    ['switch on, new not found → classic', { useNewOutlook: true, classicProgram: classic, newProgram: null }, 'classic'],
    ['switch on, neither found → none', { useNewOutlook: true, classicProgram: null, newProgram: null }, 'none'],
    ['nothing → none', { useNewOutlook: null, classicProgram: null, newProgram: null }, 'none'],
  ])('%s', (_, facts, kind) => {
    expect(outlookKind(facts)).toBe(kind);
  });
});

const env = { SystemRoot: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\Jana\\AppData\\Local' };
const reg = 'C:\\Windows\\System32\\reg.exe';

describe('outlookFactQueries', () => {
  it('asks reg.exe (absolute path) for the switch and both App Paths entries, and knows the alias', () => {
    expect(outlookFactQueries(env)).toEqual({
      useNewOutlook: [reg, 'query', 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Preferences', '/v', 'UseNewOutlook'],
      classicAppPaths: [
        [reg, 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE', '/ve'],
        [reg, 'query', 'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE', '/ve'],
      ],
      newAppPaths: [
        [reg, 'query', 'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\olk.exe', '/ve'],
        [reg, 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\olk.exe', '/ve'],
      ],
      newAlias: olk,
    });
  });
});

describe('collectOutlookFacts', () => {
  const appxQuery = `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoLogo -NoProfile -NonInteractive -Command Get-AppxPackage -Name 'Microsoft.OutlookForWindows' | ForEach-Object { $_.PackageFamilyName }`;
  const switchKey = `${reg} query HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Preferences /v UseNewOutlook`;
  const classicKey = `${reg} query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE /ve`;

  it('reads the switch, the classic program and the new Outlook alias', async () => {
    const probe = fakeProgramProbe({
      // The alias itself is not a file the probe can see (fs.stat cannot read execution aliases).
      files: [classic],
      answers: {
        [appxQuery]: 'Microsoft.OutlookForWindows_8wekyb3d8bbwe\r\n',
        [switchKey]:
          '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Preferences\r\n    UseNewOutlook    REG_DWORD    0x1\r\n\r\n',
        [classicKey]: `\r\nHKEY_LOCAL_MACHINE\\...\\OUTLOOK.EXE\r\n    (Standard)    REG_SZ    ${classic}\r\n`,
      },
    });
    const facts = await collectOutlookFacts(env, probe);
    expect(facts).toEqual({ useNewOutlook: true, classicProgram: classic, newProgram: olk });
    expect(outlookKind(facts)).toBe('new');
  });

  it('reads a switch set to 0 as off, and a missing one as unknown', async () => {
    const off = fakeProgramProbe({
      files: [classic],
      answers: {
        [switchKey]: '    UseNewOutlook    REG_DWORD    0x0\r\n',
        [classicKey]: `    (Default)    REG_SZ    ${classic}\r\n`,
      },
    });
    expect(await collectOutlookFacts(env, off)).toEqual({ useNewOutlook: false, classicProgram: classic, newProgram: null });
    expect(await collectOutlookFacts(env, fakeProgramProbe({}))).toEqual({
      useNewOutlook: null,
      classicProgram: null,
      newProgram: null,
    });
  });
});

describe('newOutlookArgv', () => {
  it('passes the draft as the only argument', () => {
    expect(newOutlookArgv(olk, 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura.eml')).toEqual([
      olk,
      'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura.eml',
    ]);
  });
});

describe('emlDraft', () => {
  it('is an unsent draft with recipients, a diacritic subject and the attachments byte for byte', async () => {
    const dir = await tempDir();
    const pdf = Buffer.from('%PDF-1.7\n\u00ff\u0000binary\r\n%%EOF\n', 'latin1');
    const csv = Buffer.from('číslo;částka\nFV-1;12 100,00\n', 'utf8');
    const pdfPath = path.join(dir, 'Faktura, č. 1 – Dvořák ř.pdf');
    const csvPath = path.join(dir, 'přehled.csv');
    await writeFile(pdfPath, pdf);
    await writeFile(csvPath, csv);

    const raw = await emlDraft(
      {
        from: { name: 'Účtárna Dvořák', address: 'uctarna@dvorak-stavby.cz' },
        to: ['jana@firma.cz', 'lukasz@łódź.pl'],
        cc: ['eva@firma.cz'],
        bcc: ['archiv@dvorak-stavby.cz'],
        subject: 'Faktura č. FV-2026-0001 – žluťoučký kůň, Łódź',
        text: 'Dobrý den,\nv příloze posíláme fakturu.\n',
        attachments: [
          { path: pdfPath, contentType: 'application/pdf' },
          { path: csvPath, fileName: 'Přehled, listopad.csv' },
        ],
        messageId: '<3f1c@dvorak-stavby.cz>',
      },
      'posix',
    );

    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('x-unsent')).toBe('1');
    expect(parsed.subject).toBe('Faktura č. FV-2026-0001 – žluťoučký kůň, Łódź');
    expect(parsed.messageId).toBe('<3f1c@dvorak-stavby.cz>');
    const addresses = (field: typeof parsed.to) =>
      (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));
    expect(addresses(parsed.to)).toEqual(['jana@firma.cz', 'lukasz@łódź.pl']);
    expect(addresses(parsed.cc)).toEqual(['eva@firma.cz']);
    expect(addresses(parsed.bcc)).toEqual(['archiv@dvorak-stavby.cz']);
    expect(parsed.from?.value).toEqual([{ name: 'Účtárna Dvořák', address: 'uctarna@dvorak-stavby.cz' }]);
    expect(parsed.text).toBe('Dobrý den,\nv příloze posíláme fakturu.\n');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['Faktura, č. 1 – Dvořák ř.pdf', 'application/pdf'],
      ['Přehled, listopad.csv', 'text/csv'],
    ]);
    expect(parsed.attachments[0]?.content.equals(pdf)).toBe(true);
    expect(parsed.attachments[1]?.content.equals(csv)).toBe(true);
    // File names travel as RFC 2231 parameters, not raw UTF-8 in the header.
    expect(raw.toString('latin1')).toMatch(/filename\*0?\*?=utf-8''/iu);
  });

  it('writes no From when none is given, and a Message-ID on no host name of this computer', async () => {
    const raw = await emlDraft({ to: ['jana@firma.cz'], cc: [], bcc: [], subject: 'x', text: '', attachments: [] }, 'posix');
    const parsed = await simpleParser(raw);
    expect(parsed.from).toBeUndefined();
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@kurier\.invalid>$/u);
  });

  it('names a missing attachment', async () => {
    const dir = await tempDir();
    const missing = path.join(dir, 'gone.pdf');
    await expect(
      emlDraft({ to: ['jana@firma.cz'], cc: [], bcc: [], subject: 'x', text: '', attachments: [{ path: missing }] }, 'posix'),
    ).rejects.toMatchObject({
      code: 'handoff.attachmentMissing',
      details: { path: missing },
    });
  });
});
