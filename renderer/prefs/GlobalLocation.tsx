import { type PrefsView } from '../../shared/prefs';
import { useI18n } from '../hooks/use-i18n';

/** Where the office preferences file is, and whether it can be written or answers at all. */
export function GlobalLocation(props: { readonly view: PrefsView }) {
  const { t } = useI18n();
  const { globalLocation } = props.view;
  return (
    <div className={globalLocation.writable ? 'notice' : 'notice notice-warning'} data-testid="global-location">
      <p>{t('prefs.globalIntro')}</p>
      <p>{t(`prefs.globalSource.${globalLocation.source}`, { path: globalLocation.filePath })}</p>
      {globalLocation.notAnsweringSince !== null && (
        <p role="alert">
          {t(globalLocation.neverRead ? 'prefs.officeNeverRead' : 'prefs.officeNotAnswering', { path: globalLocation.filePath })}
        </p>
      )}
      {!globalLocation.folderExists && globalLocation.notAnsweringSince === null && globalLocation.source !== 'machine' && (
        <p role="alert">{t('prefs.globalFolderMissing')}</p>
      )}
      {globalLocation.folderExists && !globalLocation.writable && <p role="status">{t('prefs.globalReadOnly')}</p>}
    </div>
  );
}
