/**
 * The UI language and translator for a window. The language is the user's preference, or the
 * operating system's when the preference says "system".
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import { createTranslator, describeError, type Translate } from '../../shared/i18n';

/** What components get from {@link useI18n}. */
export interface I18n {
  readonly language: Language;
  readonly t: Translate;
  readonly describe: (error: KurierErrorShape) => { readonly message: string; readonly fix: string };
}

const I18nContext = createContext<I18n | null>(null);

/** Provides the translator for `language` to everything below. */
export function I18nProvider(props: { readonly language: Language; readonly children: ReactNode }) {
  const value = useMemo<I18n>(() => {
    const t = createTranslator(props.language);
    return { language: props.language, t, describe: (error) => describeError(t, error) };
  }, [props.language]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

/** The current window's translator. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
