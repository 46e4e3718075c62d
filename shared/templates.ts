/**
 * E-mail templates: one subject and body per message type and language, with `{{placeholder}}` fields for
 * the document's and the partner's data. Kurier ships a careful default for every pair; the office (and,
 * when they take the section over, a user) may replace any of them. Rendering lives here too, so the
 * editor's check and preview and the sending side use the same rules.
 *
 * Safety: values replace placeholders after the template was checked, never parsed again. A subject is
 * one line whatever a value contains; the HTML part escapes every character of the text, values included.
 */
import { z } from 'zod';
import { languages, type Language } from './domain';
import { hasLineBreak } from './mail-address';

/** The kinds of message a template exists for; reminders have three levels. */
export const templateKinds = [
  'invoice',
  'creditNote',
  'paymentReminder1',
  'paymentReminder2',
  'paymentReminderFinal',
  'payslip',
  'generic',
] as const;
/** One of {@link templateKinds}. */
export type TemplateKind = (typeof templateKinds)[number];

/** Every placeholder a template may use. */
export const placeholders = [
  'number',
  'issueDate',
  'dueDate',
  'amount',
  'variableSymbol',
  'bankAccount',
  'iban',
  'partnerName',
  'contactPerson',
  'companyName',
  'senderName',
  'period',
  'relatedNumber',
  'documentTitle',
  'ksefNumber',
] as const;
/** One of {@link placeholders}. */
export type Placeholder = (typeof placeholders)[number];
/** Values for every placeholder, already formatted for the message's language. */
export type PlaceholderValues = Readonly<Record<Placeholder, string>>;

/** One well-formed `{{ name }}` in a text: where it starts, where it ends (exclusive), and the name. */
interface PlaceholderSpan {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/u.test(char);
const isNameChar = (char: string | undefined): boolean => char !== undefined && char !== '{' && char !== '}' && !isSpace(char);

/**
 * Every `{{ name }}` in `text`, left to right and not overlapping: `{{`, optional white space, a name of
 * characters that are neither braces nor white space (possibly empty), optional white space, `}}`.
 * This is what the regular expression `/\{\{\s*([^{}\s]*)\s*\}\}/g` found, scanned in linear time: that
 * expression backtracked over every split of a long run of spaces between its two `\s*` (`{{` and
 * 20,000 spaces took 0.67 s, growing with the square of the run) and froze the editor's check. Each
 * attempt here stops at the first character that cannot follow, and the characters it passed hold no
 * `{`, so the next attempt starts beyond them: every character is looked at a bounded number of times.
 */
function placeholderSpans(text: string): PlaceholderSpan[] {
  const spans: PlaceholderSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    if (start === -1) return spans;
    let at = start + 2;
    while (isSpace(text[at])) at++;
    const nameStart = at;
    while (isNameChar(text[at])) at++;
    const nameEnd = at;
    while (isSpace(text[at])) at++;
    if (text.startsWith('}}', at)) {
      spans.push({ start, end: at + 2, name: text.slice(nameStart, nameEnd) });
      from = at + 2;
    } else {
      from = start + 1;
    }
  }
}

/** `text` with each placeholder replaced by what `replace` returns for it. */
function replacePlaceholders(text: string, replace: (span: PlaceholderSpan) => string): string {
  let out = '';
  let last = 0;
  for (const span of placeholderSpans(text)) {
    out += text.slice(last, span.start) + replace(span);
    last = span.end;
  }
  return out + text.slice(last);
}

const isPlaceholder = (name: string): name is Placeholder => (placeholders as readonly string[]).includes(name);

/**
 * Names used in `text` that are not placeholders (misspelt or unknown), each once, in order — and any
 * stray `{{` or `}}` left once the well-formed ones are taken out (`{{number}`, `{{due Date}}`). The
 * stray pattern's repetitions are bounded (at most 40 characters), so it stays linear too.
 */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const { name } of placeholderSpans(text)) if (!isPlaceholder(name)) unknown.add(name);
  const rest = replacePlaceholders(text, () => ' ');
  for (const stray of rest.matchAll(/\{\{([^{}]{0,40})\}\}|\{\{[^{}]{0,20}|[^{}]{0,20}\}\}/g)) {
    const inner = (stray[1] ?? stray[0].replace(/^\{\{|\}\}$/g, '')).trim();
    unknown.add(inner === '' ? stray[0].trim() : inner);
  }
  return [...unknown];
}

/** The known placeholder closest to a misspelt one (for "did you mean"), or null. */
export function closestPlaceholder(name: string): Placeholder | null {
  let best: Placeholder | null = null;
  let bestDistance = Infinity;
  for (const candidate of placeholders) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** One template. The message key `unknownPlaceholder` marks a field using a name that is not a placeholder. */
export const templateSchema = z.strictObject({
  subject: z
    .string()
    .max(300, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' })
    .refine((text) => unknownPlaceholders(text).length === 0, { message: 'unknownPlaceholder' }),
  body: z
    .string()
    .max(20_000, { message: 'tooLong' })
    .refine((text) => unknownPlaceholders(text).length === 0, { message: 'unknownPlaceholder' }),
});
/** A subject and a body. */
export type Template = z.infer<typeof templateSchema>;

/** `invoice.cs`: where a template is kept. */
export type TemplateKey = `${TemplateKind}.${Language}`;
/** Every template key. */
export const templateKeys = templateKinds.flatMap((kind) =>
  languages.map((language) => `${kind}.${language}` as const),
) as readonly TemplateKey[];

/** The templates an office or user changed; every other one is the shipped default. */
export const templatesSchema = z.partialRecord(z.enum(templateKeys as [TemplateKey, ...TemplateKey[]]), templateSchema);
/** Changed templates by key. */
export type Templates = z.infer<typeof templatesSchema>;

/** Fills a template: the subject stays one line, the body keeps its lines. Unknown names stay as typed. */
export function renderTemplate(
  template: Template,
  values: PlaceholderValues,
): { readonly subject: string; readonly body: string } {
  const fill = (text: string) =>
    replacePlaceholders(text, (span) => (isPlaceholder(span.name) ? values[span.name] : text.slice(span.start, span.end)));
  return {
    subject: fill(template.subject)
      .replace(/[\r\n\u2028\u2029\u0085\0]+/gu, ' ')
      .trim(),
    body: fill(template.body),
  };
}

/** A plain-text body as a small HTML document: everything escaped, blank lines to paragraphs. */
export function textToHtml(text: string, language: Language): string {
  const escape = (value: string) =>
    value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, '<br>\n')}</p>`);
  return `<!DOCTYPE html>\n<html lang="${language}"><head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif">\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/** The template in force for `kind` and `language`: the changed one, else the shipped default. */
export function templateFor(templates: Templates, kind: TemplateKind, language: Language): Template {
  return templates[`${kind}.${language}`] ?? defaultTemplates[language][kind];
}

const en: Record<TemplateKind, Template> = {
  invoice: {
    subject: 'Invoice {{number}} from {{companyName}}',
    body: 'Hello,\n\nplease find attached invoice {{number}} for {{amount}}, due on {{dueDate}}.\nPlease pay to account {{bankAccount}} with the reference {{variableSymbol}}.\n\nKind regards\n{{senderName}}',
  },
  creditNote: {
    subject: 'Credit note {{number}} from {{companyName}}',
    body: 'Hello,\n\nplease find attached credit note {{number}} for invoice {{relatedNumber}}. The amount to be refunded to you is {{amount}}.\n\nKind regards\n{{senderName}}',
  },
  paymentReminder1: {
    subject: 'Payment reminder: invoice {{relatedNumber}}',
    body: 'Hello,\n\naccording to our records, invoice {{relatedNumber}} has not been paid yet. Please find attached reminder {{number}} for {{amount}}.\nPlease pay to account {{bankAccount}} with the reference {{variableSymbol}}. If you have already paid, please disregard this message.\n\nKind regards\n{{senderName}}',
  },
  paymentReminder2: {
    subject: 'Second reminder: invoice {{relatedNumber}}',
    body: 'Hello,\n\ndespite our first reminder, invoice {{relatedNumber}} remains unpaid. Please find attached reminder {{number}} for {{amount}} and pay it by {{dueDate}} to account {{bankAccount}}, reference {{variableSymbol}}.\n\nKind regards\n{{senderName}}',
  },
  paymentReminderFinal: {
    subject: 'Final notice before collection: invoice {{relatedNumber}}',
    body: 'Hello,\n\ninvoice {{relatedNumber}} is still unpaid despite our earlier reminders. Please find attached final notice {{number}} for {{amount}}. Unless the amount reaches account {{bankAccount}} (reference {{variableSymbol}}) by {{dueDate}}, we will pass the claim on for collection without further notice.\n\nYours sincerely\n{{senderName}}',
  },
  payslip: {
    subject: 'Payslip for {{period}}',
    body: 'Hello,\n\nplease find attached your payslip for {{period}}.\n\nKind regards\n{{senderName}}',
  },
  generic: {
    subject: '{{documentTitle}} {{number}} from {{companyName}}',
    body: 'Hello,\n\nplease find attached document {{number}}.\n\nKind regards\n{{senderName}}',
  },
};

const cs: Record<TemplateKind, Template> = {
  invoice: {
    subject: 'Faktura {{number}} – {{companyName}}',
    body: 'Dobrý den,\n\nv příloze Vám zasíláme fakturu {{number}} na částku {{amount}} se splatností {{dueDate}}.\nProsíme o úhradu na účet {{bankAccount}} s variabilním symbolem {{variableSymbol}}.\n\nS pozdravem\n{{senderName}}',
  },
  creditNote: {
    subject: 'Dobropis {{number}} – {{companyName}}',
    body: 'Dobrý den,\n\nv příloze Vám zasíláme dobropis {{number}} k faktuře {{relatedNumber}}. Částka k vrácení činí {{amount}}.\n\nS pozdravem\n{{senderName}}',
  },
  paymentReminder1: {
    subject: 'Upomínka k faktuře {{relatedNumber}}',
    body: 'Dobrý den,\n\npodle našich záznamů dosud nebyla uhrazena faktura {{relatedNumber}}. V příloze zasíláme upomínku {{number}} na částku {{amount}}.\nProsíme o úhradu na účet {{bankAccount}} s variabilním symbolem {{variableSymbol}}. Pokud jste již zaplatili, považujte prosím tuto zprávu za bezpředmětnou.\n\nS pozdravem\n{{senderName}}',
  },
  paymentReminder2: {
    subject: 'Druhá upomínka k faktuře {{relatedNumber}}',
    body: 'Dobrý den,\n\nani po první upomínce jsme neobdrželi úhradu faktury {{relatedNumber}}. V příloze zasíláme upomínku {{number}} na částku {{amount}} a prosíme o úhradu nejpozději do {{dueDate}} na účet {{bankAccount}}, variabilní symbol {{variableSymbol}}.\n\nS pozdravem\n{{senderName}}',
  },
  paymentReminderFinal: {
    subject: 'Poslední upomínka před předáním k vymáhání: faktura {{relatedNumber}}',
    body: 'Dobrý den,\n\nfaktura {{relatedNumber}} zůstává i přes předchozí upomínky neuhrazena. V příloze zasíláme poslední upomínku {{number}} na částku {{amount}}. Nebude-li částka připsána na účet {{bankAccount}} (variabilní symbol {{variableSymbol}}) do {{dueDate}}, předáme pohledávku k vymáhání bez dalšího upozornění.\n\nS pozdravem\n{{senderName}}',
  },
  payslip: {
    subject: 'Výplatní páska za {{period}}',
    body: 'Dobrý den,\n\nv příloze Vám zasíláme výplatní pásku za {{period}}.\n\nS pozdravem\n{{senderName}}',
  },
  generic: {
    subject: '{{documentTitle}} {{number}} – {{companyName}}',
    body: 'Dobrý den,\n\nv příloze Vám zasíláme doklad {{number}}.\n\nS pozdravem\n{{senderName}}',
  },
};

const pl: Record<TemplateKind, Template> = {
  invoice: {
    subject: 'Faktura {{number}} – {{companyName}}',
    body: 'Dzień dobry,\n\nw załączeniu przesyłamy fakturę {{number}} na kwotę {{amount}} z terminem płatności {{dueDate}}.\nProsimy o wpłatę na rachunek {{bankAccount}}, w tytule przelewu: {{variableSymbol}}.\n\nZ poważaniem\n{{senderName}}',
  },
  creditNote: {
    subject: 'Faktura korygująca {{number}} – {{companyName}}',
    body: 'Dzień dobry,\n\nw załączeniu przesyłamy fakturę korygującą {{number}} do faktury {{relatedNumber}}. Kwota do zwrotu wynosi {{amount}}.\n\nZ poważaniem\n{{senderName}}',
  },
  paymentReminder1: {
    subject: 'Przypomnienie o płatności: faktura {{relatedNumber}}',
    body: 'Dzień dobry,\n\nzgodnie z naszymi zapisami faktura {{relatedNumber}} nie została jeszcze opłacona. W załączeniu przesyłamy wezwanie {{number}} na kwotę {{amount}}.\nProsimy o wpłatę na rachunek {{bankAccount}}, w tytule przelewu: {{variableSymbol}}. Jeśli płatność została już dokonana, prosimy potraktować tę wiadomość jako nieaktualną.\n\nZ poważaniem\n{{senderName}}',
  },
  paymentReminder2: {
    subject: 'Drugie wezwanie do zapłaty: faktura {{relatedNumber}}',
    body: 'Dzień dobry,\n\nmimo pierwszego przypomnienia faktura {{relatedNumber}} pozostaje nieopłacona. W załączeniu przesyłamy wezwanie {{number}} na kwotę {{amount}} i prosimy o zapłatę najpóźniej do {{dueDate}} na rachunek {{bankAccount}}, w tytule przelewu: {{variableSymbol}}.\n\nZ poważaniem\n{{senderName}}',
  },
  paymentReminderFinal: {
    subject: 'Ostateczne wezwanie do zapłaty: faktura {{relatedNumber}}',
    body: 'Dzień dobry,\n\nmimo wcześniejszych wezwań faktura {{relatedNumber}} nadal pozostaje nieopłacona. W załączeniu przesyłamy ostateczne wezwanie do zapłaty {{number}} na kwotę {{amount}}. Jeżeli kwota nie wpłynie na rachunek {{bankAccount}} (tytuł przelewu: {{variableSymbol}}) do {{dueDate}}, sprawa zostanie skierowana do windykacji bez dalszego powiadomienia.\n\nZ poważaniem\n{{senderName}}',
  },
  payslip: {
    subject: 'Pasek wynagrodzenia za {{period}}',
    body: 'Dzień dobry,\n\nw załączeniu przesyłamy pasek wynagrodzenia za {{period}}.\n\nZ poważaniem\n{{senderName}}',
  },
  generic: {
    subject: '{{documentTitle}} {{number}} – {{companyName}}',
    body: 'Dzień dobry,\n\nw załączeniu przesyłamy dokument {{number}}.\n\nZ poważaniem\n{{senderName}}',
  },
};

/** The templates Kurier ships, by language and kind. */
export const defaultTemplates: Readonly<Record<Language, Readonly<Record<TemplateKind, Template>>>> = { cs, pl, en };
