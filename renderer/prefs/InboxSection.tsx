import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { documentKinds, type DocumentKind } from '../../shared/domain';
import type { InboxSettingsView } from '../../shared/inbox';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { CompanyPicker } from '../components/CompanyPicker';

/** Each client company's watched folder and which imported documents are e-mailed at once. */
export function InboxSection() {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const folderFieldId = useId();
  const [rows, setRows] = useState<readonly InboxSettingsView[]>([]);
  const [companyId, setCompanyId] = useState<number | null>(null);
  const [folder, setFolder] = useState('');
  const [kinds, setKinds] = useState<readonly DocumentKind[]>([]);
  const [status, setStatus] = useState('');

  const show = (list: readonly InboxSettingsView[], id: number | null) => {
    setRows(list);
    const chosen = list.find((row) => row.companyId === id) ?? list[0];
    setCompanyId(chosen?.companyId ?? null);
    setFolder(chosen?.inboxFolder ?? '');
    setKinds(chosen?.autoSendKinds ?? []);
  };

  useEffect(() => {
    void kurier.inbox.settings().then((result) => {
      if (result.ok) show(result.value, null);
    });
  }, [kurier]);

  // A company added, renamed or removed anywhere joins the picker at once; what is typed here stays.
  useKurierEvent('companies:changed', () => {
    void kurier.inbox.settings().then((result) => {
      if (!result.ok) return;
      if (result.value.some((row) => row.companyId === companyId)) setRows(result.value);
      else show(result.value, null);
    });
  });

  const chooseFolder = async () => {
    const result = await kurier.dialogs.chooseFolder({ defaultPath: folder });
    if (result.ok && result.value.path !== null) setFolder(result.value.path);
  };

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (companyId === null) return;
    const result = await kurier.inbox.update({ companyId, inboxFolder: folder.trim(), autoSendKinds: [...kinds] });
    if (!result.ok) {
      setStatus(t('inbox.settings.folderInvalid'));
      return;
    }
    show(result.value, companyId);
    setStatus(folder.trim() === '' ? t('inbox.settings.savedNone') : t('inbox.settings.saved', { folder: folder.trim() }));
  };

  if (rows.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="inbox-settings">
      <h2 id={headingId}>{t('inbox.settings.title')}</h2>
      <p className="hint">{t('inbox.settings.intro')}</p>
      <form onSubmit={(event) => void save(event)}>
        <CompanyPicker
          label={t('inbox.settings.company')}
          name="inboxCompany"
          companies={rows.map((row) => ({ id: row.companyId, name: row.companyName }))}
          value={companyId ?? ''}
          onChange={(picked) => {
            show(rows, Number(picked));
            setStatus('');
          }}
        />
        <div className="field">
          <label htmlFor={folderFieldId}>{t('inbox.settings.folder')}</label>
          <input
            id={folderFieldId}
            name="inboxFolder"
            value={folder}
            placeholder={t('inbox.settings.noFolder')}
            onChange={(event) => {
              setFolder(event.target.value);
            }}
          />
        </div>
        <div className="actions">
          <button type="button" onClick={() => void chooseFolder()}>
            {t('inbox.settings.choose')}
          </button>
          <button
            type="button"
            onClick={() => {
              setFolder('');
            }}
          >
            {t('inbox.settings.clear')}
          </button>
        </div>
        <fieldset>
          <legend>{t('inbox.settings.autoSend')}</legend>
          <p className="hint">{t('inbox.settings.autoSendHint')}</p>
          {documentKinds.map((kind) => (
            <label key={kind} className="checkbox">
              <input
                type="checkbox"
                name={`autoSend-${kind}`}
                checked={kinds.includes(kind)}
                onChange={(event) => {
                  setKinds(event.target.checked ? [...kinds, kind] : kinds.filter((other) => other !== kind));
                }}
              />
              {t(`kinds.${kind}`)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            {t('inbox.settings.save')}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="status-area">
        {status !== '' && <p className="notice">{status}</p>}
      </div>
    </section>
  );
}
