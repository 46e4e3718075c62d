import { useEffect, useRef, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import {
  oauthProviderForHost,
  prefSections,
  resolvePrefs,
  type GlobalPrefs,
  type PasswordChange,
  type PrefSection,
  type PrefsView,
  type UiLanguage,
  type UserPrefs,
} from '../../shared/prefs';
import { ErrorNotice } from '../components/ErrorNotice';
import { OfficeChangesBanner } from '../components/OfficeChangesBanner';
import { TextField } from '../components/TextField';
import { fieldProblems } from '../field-problems';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { openWindow } from '../open-window';
import { sectionValue, toDraft, type SectionsDraft } from '../prefs/draft';
import { passwordChangeOf, type PasswordMode } from '../prefs/PasswordSection';
import { InboxSection } from '../prefs/InboxSection';
import { CompaniesSection } from '../prefs/CompaniesSection';
import { DatabaseSection } from '../prefs/DatabaseSection';
import { EinvoiceSection } from '../prefs/EinvoiceSection';
import { CompanySmtpSection } from '../prefs/CompanySmtpSection';
import { OAuthAppsSection } from '../prefs/OAuthAppsSection';
import { SmtpSection } from '../prefs/SmtpSection';
import { TemplatesSection } from '../prefs/TemplatesSection';
import { GlobalLocation } from '../prefs/GlobalLocation';
import { LanguageField } from '../prefs/LanguageField';
import { NotificationFields } from '../prefs/NotificationFields';
import { SectionFrame } from '../prefs/SectionFrame';
import { SendingFields } from '../prefs/SendingFields';

/** Which file the window edits. */
export type PrefsMode = 'user' | 'global';

type OwnSections = Readonly<Record<PrefSection, boolean>>;

/**
 * One window for both preference files. In the global (office-wide) window every section is edited
 * directly. In the user window each section either follows the office value — shown, not editable —
 * or is the user's own; the window says for every section where its value comes from, and one click
 * goes back to the office value.
 */
export function PreferencesWindow(props: {
  readonly mode: PrefsMode;
  readonly onLanguageChanged: (language: UiLanguage) => void;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const { mode } = props;
  const [view, setView] = useState<PrefsView | null>(null);
  const [user, setUser] = useState<UserPrefs | null>(null);
  const [draft, setDraft] = useState<SectionsDraft | null>(null);
  const [own, setOwn] = useState<OwnSections | null>(null);
  const [passwordMode, setPasswordMode] = useState<PasswordMode>('keep');
  const [password, setPassword] = useState('');
  const [acceptPlainText, setAcceptPlainText] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  // What the window showed when it loaded or last saved: anything else is an unsaved change.
  const [baseline, setBaseline] = useState('');
  const title = mode === 'user' ? t('prefs.userTitle') : t('prefs.globalTitle');

  const load = (next: PrefsView) => {
    setView(next);
    setUser(next.user);
    const officeValues = resolvePrefs(next.global, { ...next.user, overrides: {} }).effective;
    const nextDraft = toDraft(mode === 'global' ? officeValues : next.resolved.effective);
    setDraft(nextDraft);
    const nextOwn = Object.fromEntries(
      prefSections.map((section) => [section, mode === 'global' || next.user.overrides[section] !== undefined]),
    ) as Record<PrefSection, boolean>;
    setOwn(nextOwn);
    const scopePassword = next.passwords[mode];
    setPassword('');
    setAcceptPlainText(false);
    // A password withheld from the account in the file is typed again, so the field is open.
    const nextPasswordMode = scopePassword.saved && scopePassword.withheld === null ? 'keep' : 'change';
    setPasswordMode(nextPasswordMode);
    setBaseline(snapshot(next.user, nextDraft, nextOwn, nextPasswordMode, ''));
  };
  const dirty =
    view !== null &&
    user !== null &&
    draft !== null &&
    own !== null &&
    baseline !== snapshot(user, draft, own, passwordMode, password);

  // Unsaved changes: closing or reloading the window asks first (the browser's own question; in
  // Electron main asks, see platform/windows.ts).
  useEffect(() => {
    if (!dirty) return;
    const guard = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', guard);
    return () => {
      window.removeEventListener('beforeunload', guard);
    };
  }, [dirty]);

  // Another window saved: a window without unsaved changes shows the new values at once.
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);
  useKurierEvent('prefs:changed', () => {
    if (dirtyRef.current) return;
    void kurier.prefs.get().then((result) => {
      if (result.ok && !dirtyRef.current) load(result.value);
    });
  });

  useEffect(() => {
    void kurier.prefs.get().then((result) => {
      if (result.ok) load(result.value);
      else setError(result.error);
    });
    // load depends only on `mode`, which never changes for a window.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    document.title = `${title} – Kurier`;
  }, [title]);

  if (!view || !user || !draft || !own)
    return <main className="window">{error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}</main>;

  const { of: problemOf, count: problemCount } = fieldProblems(error);
  const pathPrefix = mode === 'user' ? 'prefs.overrides.' : 'prefs.';
  const problem = (field: string) => problemOf(`${pathPrefix}${field}`);
  const officeValues = resolvePrefs(view.global, { ...view.user, overrides: {} });
  const shown = (section: PrefSection): SectionsDraft => (own[section] ? draft : toDraft(officeValues.effective));
  // Functional updates: an answer that arrives later (detection) must not undo what was typed meanwhile.
  const update = (change: Partial<SectionsDraft>) => {
    setDraft((current) => (current ? { ...current, ...change } : current));
  };

  const setOwnSection = (section: PrefSection, value: boolean) => {
    // Taking a section over starts from the office value, so the user changes only what differs.
    if (value) setDraft({ ...draft, [section]: toDraft(officeValues.effective)[section] });
    setOwn({ ...own, [section]: value });
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    const passwordChange: PasswordChange = passwordChangeOf(passwordMode, password, acceptPlainText);
    // The office file keeps only what an administrator set: a section still at Kurier's default and
    // never set stays absent, so it keeps showing as "not set" rather than as an office decision.
    const loaded = toDraft(officeValues.effective);
    const saved = (section: PrefSection) =>
      mode === 'user'
        ? own[section]
        : view.global[section] !== undefined ||
          JSON.stringify(sectionValue(draft, section)) !== JSON.stringify(sectionValue(loaded, section));
    const values = Object.fromEntries(
      prefSections.filter(saved).map((section) => [section, sectionValue(draft, section)]),
    ) as GlobalPrefs;
    const result =
      mode === 'user'
        ? await kurier.prefs.updateUser({ prefs: { ...user, overrides: values }, password: passwordChange })
        : await kurier.prefs.updateGlobal({ prefs: values, password: passwordChange });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    load(result.value);
    setSaved(true);
    props.onLanguageChanged(result.value.resolved.effective.language);
  };

  const frame = (section: PrefSection, legend: string, children: ReactNode) => (
    <SectionFrame
      mode={mode}
      section={section}
      legend={legend}
      own={own[section]}
      officeSource={officeValues.sources[section]}
      onOwnChange={(value) => {
        setOwnSection(section, value);
      }}
    >
      {children}
    </SectionFrame>
  );

  const smtpScope = mode === 'global' || own.smtp ? mode : 'global';
  // The sections in the order the form shows them (the SMTP account near the top), for the navigation.
  const navSections: readonly (readonly [PrefSection, string])[] = [
    ['language', t('prefs.language')],
    ['smtp', t('prefs.smtp')],
    ['personalEmail', mode === 'user' ? t('prefs.personalEmail') : t('prefs.officeEmail')],
    ['sending', t('prefs.sending')],
    ['bulk', t('prefs.bulk')],
    ['templates', t('prefs.templates')],
    ['notifications', t('notifications.section')],
    ['oauthApps', t('oauth.apps')],
  ];
  return (
    <main className="window">
      <h1>{title}</h1>
      <OfficeChangesBanner showPermissions refreshKey={view} />
      {view.recoveries.map((recovery) => (
        <div key={recovery.filePath} className="notice notice-error" role="alert" data-testid="prefs-recovered">
          <p className="notice-title">{t(`prefs.recovered.${recovery.file}`)}</p>
          <p>{t(`prefs.recoveredReason.${recovery.reason}`, { path: recovery.filePath })}</p>
          <p className="notice-fix">
            {recovery.backupPath === null
              ? t('prefs.recoveredInPlace')
              : t('prefs.recoveredBackup', { path: recovery.backupPath })}
          </p>
        </div>
      ))}
      {mode === 'global' && <GlobalLocation view={view} />}
      {mode === 'user' && (
        <p className="hint">
          {t('prefs.userIntro')}{' '}
          <button type="button" className="link" onClick={() => void openWindow({ window: 'globalPrefs' })}>
            {t('prefs.openGlobal')}
          </button>
        </p>
      )}
      <nav aria-label={t('prefs.sectionsNav')} className="section-nav">
        <ul>
          {mode === 'user' && (
            <li>
              <a href="#section-general">{t('prefs.general')}</a>
            </li>
          )}
          {navSections.map(([section, label]) => (
            <li key={section}>
              <a href={`#section-${section}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <form onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
        {mode === 'user' && (
          <fieldset id="section-general">
            <legend>{t('prefs.general')}</legend>
            <TextField
              name="exportFolder"
              label={t('prefs.exportFolder')}
              value={user.exportFolder}
              onChange={(value) => {
                setUser({ ...user, exportFolder: value });
              }}
              problem={problemOf('prefs.exportFolder')}
            />
            <TextField
              name="globalPrefsFolder"
              label={t('prefs.globalPrefsFolder')}
              hint={
                view.globalLocation.source === 'environment'
                  ? t('prefs.globalPrefsFolderFromEnvironment', { path: view.globalLocation.filePath })
                  : t('prefs.globalPrefsFolderHint', { path: view.globalLocation.filePath })
              }
              value={user.globalPrefsFolder}
              onChange={(value) => {
                setUser({ ...user, globalPrefsFolder: value });
              }}
              problem={problemOf('prefs.globalPrefsFolder')}
            />
            {!view.globalLocation.folderExists && view.globalLocation.source !== 'machine' && (
              <p className="warning" role="alert">
                {t('prefs.globalFolderMissing')}
              </p>
            )}
          </fieldset>
        )}
        {frame(
          'language',
          t('prefs.language'),
          <LanguageField
            value={shown('language').language}
            disabled={!own.language}
            onChange={(language) => {
              update({ language });
            }}
          />,
        )}
        {frame(
          'smtp',
          t('prefs.smtp'),
          <SmtpSection
            scope={smtpScope}
            editable={own.smtp}
            value={shown('smtp').smtp}
            onChange={(smtp) => {
              update({ smtp });
            }}
            onDetected={(found) => {
              setDraft((current) =>
                current
                  ? {
                      ...current,
                      smtp: {
                        ...current.smtp,
                        // Microsoft and Google are switching password login off: their servers get a sign-in.
                        account: {
                          ...current.smtp.account,
                          ...found,
                          auth: oauthProviderForHost(found.host) ?? current.smtp.account.auth,
                        },
                        portText: String(found.port),
                      },
                    }
                  : current,
              );
            }}
            passwordState={view.passwords[smtpScope]}
            signInState={view.signIns[smtpScope]}
            passwordMode={passwordMode}
            setPasswordMode={setPasswordMode}
            password={password}
            setPassword={setPassword}
            acceptPlainText={acceptPlainText}
            setAcceptPlainText={setAcceptPlainText}
            problem={(field) => problem(`smtp.${field}`)}
            passwordProblem={problemOf('password.value')}
          />,
        )}
        {frame(
          'personalEmail',
          mode === 'user' ? t('prefs.personalEmail') : t('prefs.officeEmail'),
          <TextField
            name="personalEmail"
            type="email"
            autoComplete="email"
            label={mode === 'user' ? t('prefs.personalEmail') : t('prefs.officeEmail')}
            hint={t('prefs.personalEmailHint')}
            value={shown('personalEmail').personalEmail}
            disabled={!own.personalEmail}
            onChange={(value) => {
              update({ personalEmail: value });
            }}
            problem={problem('personalEmail')}
          />,
        )}
        {frame(
          'sending',
          t('prefs.sending'),
          <SendingFields
            value={shown('sending').sending}
            disabled={!own.sending}
            onChange={(sending) => {
              update({ sending });
            }}
            problem={(field) => problem(`sending.${field}`)}
          />,
        )}
        {frame(
          'bulk',
          t('prefs.bulk'),
          <>
            <p className="hint">{t('prefs.bulkHint')}</p>
            <div className="field-row">
              <TextField
                name="messagesPerMinute"
                type="number"
                label={t('prefs.messagesPerMinute')}
                value={shown('bulk').bulk.messagesPerMinute}
                disabled={!own.bulk}
                onChange={(value) => {
                  update({ bulk: { ...draft.bulk, messagesPerMinute: value } });
                }}
                problem={problem('bulk.messagesPerMinute')}
              />
              <TextField
                name="messagesPerDay"
                type="number"
                label={t('prefs.messagesPerDay')}
                value={shown('bulk').bulk.messagesPerDay}
                disabled={!own.bulk}
                onChange={(value) => {
                  update({ bulk: { ...draft.bulk, messagesPerDay: value } });
                }}
                problem={problem('bulk.messagesPerDay')}
              />
            </div>
          </>,
        )}
        {frame(
          'templates',
          t('prefs.templates'),
          <TemplatesSection
            value={shown('templates').templates}
            editable={own.templates}
            perCompany={mode === 'global'}
            onChange={(templates) => {
              update({ templates });
            }}
            problem={(field) => problem(`templates.${field}`)}
          />,
        )}
        {frame(
          'notifications',
          t('notifications.section'),
          <NotificationFields
            value={shown('notifications').notifications}
            disabled={!own.notifications}
            onChange={(notifications) => {
              update({ notifications });
            }}
            problem={(field) => problem(`notifications.${field}`)}
          />,
        )}
        {frame(
          'oauthApps',
          t('oauth.apps'),
          <OAuthAppsSection
            value={shown('oauthApps').oauthApps}
            disabled={!own.oauthApps}
            onChange={(oauthApps) => {
              update({ oauthApps });
            }}
            problem={(field) => problem(`oauthApps.${field}`)}
          />,
        )}
        {/* Save stays in view at the bottom of the window however far the form scrolls. */}
        <div className="actions save-bar" data-testid="save-bar">
          <p className="hint" role="status">
            {dirty ? t('prefs.unsaved') : t('prefs.allSaved')}
          </p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('prefs.saving') : t('prefs.save')}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="status-area">
        {saved && <p className="notice notice-success">{t('prefs.saved')}</p>}
      </div>
      {error && (
        <ErrorNotice error={error} {...(problemCount > 0 ? { title: t('prefs.fixFields', { count: problemCount }) } : {})} />
      )}
      {/* The watched folders and e-invoice settings are per company and live in the database, not in a preferences file. */}
      {mode === 'global' && <CompaniesSection />}
      {mode === 'global' && <CompanySmtpSection view={view} onSaved={setView} />}
      {mode === 'global' && <InboxSection />}
      {mode === 'global' && <EinvoiceSection />}
      {mode === 'global' && <DatabaseSection />}
      <p className="hint">{t('prefs.filePath', { path: mode === 'user' ? view.userFilePath : view.globalLocation.filePath })}</p>
    </main>
  );
}

/** The window's editable state as one string, to tell an unsaved change from what was loaded. */
function snapshot(user: UserPrefs, draft: SectionsDraft, own: OwnSections, passwordMode: PasswordMode, password: string): string {
  return JSON.stringify([user, draft, own, passwordMode, password]);
}
