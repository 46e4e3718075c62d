/**
 * The translator used by the renderer and by main (for its own dialogs and e-mail texts).
 */
import type { Language } from '../domain';
import type { ErrorCode, KurierErrorShape } from '../errors';
import { formatMessage, lookup, type Catalog, type MessageKey, type MessageParams } from './catalog';
import { cs } from './cs';
import { en } from './en';
import { pl } from './pl';

export { languageForLocale, type Catalog, type MessageKey, type MessageParams } from './catalog';

/** All catalogs by language. */
export const catalogs: Readonly<Record<Language, Catalog>> = { cs, pl, en };

/** Translates one key. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Returns a translator for a language. */
export function createTranslator(language: Language): Translate {
  const catalog = catalogs[language];
  return (key, params = {}) => formatMessage(lookup(catalog, key) ?? key, params, language);
}

/** The sentence and the fix for an error, both translated, with its details substituted. */
export function describeError(translate: Translate, error: KurierErrorShape): { readonly message: string; readonly fix: string } {
  const keys = errorKeys(error.code);
  const details = translateDetails(translate, error.details);
  return { message: translate(keys.message, details), fix: translate(keys.fix, details) };
}

// Some details are themselves words the user reads: a security mode, why a certificate failed, or the
// provider of a sign-in ("Microsoft", never the id "microsoft").
function translateDetails(translate: Translate, details: KurierErrorShape['details']): MessageParams {
  const out: Record<string, string | number | boolean> = { ...details };
  const { expected, reason, provider } = details;
  if (provider === 'microsoft' || provider === 'google') out.provider = translate(`oauth.providerNames.${provider}`);
  if (expected === 'none' || expected === 'starttls' || expected === 'ssl') out.expected = translate(`security.${expected}`);
  if (typeof reason === 'string' && Object.hasOwn(catalogs.en.certReasons, reason)) {
    out.reason = translate(`certReasons.${reason as keyof Catalog['certReasons']}`);
  }
  return out;
}

function errorKeys(code: ErrorCode): { message: MessageKey; fix: MessageKey } {
  return { message: `errors.${code}.message`, fix: `errors.${code}.fix` };
}
