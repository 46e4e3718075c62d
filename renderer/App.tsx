import { useCallback, useEffect, useState } from 'react';
import type { Language } from '../shared/domain';
import { useKurier, useKurierEvent } from './hooks/use-kurier';
import { I18nProvider } from './hooks/use-i18n';
import { DocumentsWindow } from './windows/DocumentsWindow';
import { ExportDialog } from './windows/ExportDialog';
import { BulkSendWindow } from './windows/BulkSendWindow';
import { HistoryWindow } from './windows/HistoryWindow';
import { PayslipPasswordsWindow } from './windows/PayslipPasswordsWindow';
import { PreferencesWindow } from './windows/PreferencesWindow';

type Route =
  | { window: 'documents' }
  | { window: 'userPrefs' }
  | { window: 'globalPrefs' }
  | { window: 'bulk' }
  | { window: 'history' }
  | { window: 'payslips' }
  | { window: 'export'; documentId: number };

/** Reads the window to show from the query string. */
export function parseRoute(search: string): Route {
  const params = new URLSearchParams(search);
  const documentId = Number(params.get('documentId'));
  if (params.get('window') === 'export' && Number.isInteger(documentId) && documentId > 0)
    return { window: 'export', documentId };
  if (params.get('window') === 'userPrefs') return { window: 'userPrefs' };
  if (params.get('window') === 'globalPrefs') return { window: 'globalPrefs' };
  if (params.get('window') === 'bulk') return { window: 'bulk' };
  if (params.get('window') === 'history') return { window: 'history' };
  if (params.get('window') === 'payslips') return { window: 'payslips' };
  return { window: 'documents' };
}

/** Loads the UI language, then shows the window the query string names. */
export function App(props: { readonly search: string }) {
  const kurier = useKurier();
  const [language, setLanguage] = useState<Language | null>(null);
  const [systemLanguage, setSystemLanguage] = useState<Language>('en');
  const [shell, setShell] = useState<'electron' | 'web'>('electron');
  const route = parseRoute(props.search);

  useEffect(() => {
    void Promise.all([kurier.app.getInfo(), kurier.prefs.get()]).then(([info, prefs]) => {
      const system = info.ok ? info.value.systemLanguage : 'en';
      setSystemLanguage(system);
      if (info.ok) setShell(info.value.shell);
      const chosen = prefs.ok ? prefs.value.resolved.effective.language : 'system';
      setLanguage(chosen === 'system' ? system : chosen);
    });
  }, [kurier]);

  const onLanguageChanged = useCallback(
    (chosen: Language | 'system') => {
      setLanguage(chosen === 'system' ? systemLanguage : chosen);
    },
    [systemLanguage],
  );

  // A language saved in any window reaches this one at once (main broadcasts `prefs:changed`).
  useKurierEvent('prefs:changed', ({ language: chosen }) => {
    onLanguageChanged(chosen);
  });

  useEffect(() => {
    if (language) document.documentElement.lang = language;
  }, [language]);

  if (!language) return <p className="loading">…</p>;
  return (
    <I18nProvider language={language}>
      {route.window === 'documents' && <DocumentsWindow shell={shell} />}
      {route.window === 'userPrefs' && <PreferencesWindow mode="user" onLanguageChanged={onLanguageChanged} />}
      {route.window === 'globalPrefs' && <PreferencesWindow mode="global" onLanguageChanged={onLanguageChanged} />}
      {route.window === 'bulk' && <BulkSendWindow />}
      {route.window === 'history' && <HistoryWindow />}
      {route.window === 'payslips' && <PayslipPasswordsWindow />}
      {route.window === 'export' && <ExportDialog documentId={route.documentId} shell={shell} />}
    </I18nProvider>
  );
}
