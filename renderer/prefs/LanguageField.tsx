import { languages } from '../../shared/domain';
import { type UiLanguage } from '../../shared/prefs';
import { SelectField } from '../components/SelectField';
import { useI18n } from '../hooks/use-i18n';

/** The UI language: the system's, or one of the catalogs (each option named in its own language). */
export function LanguageField(props: {
  readonly value: UiLanguage;
  readonly disabled: boolean;
  readonly onChange: (language: UiLanguage) => void;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t('prefs.language')}
      name="language"
      value={props.value}
      disabled={props.disabled}
      onChange={(picked) => {
        props.onChange(picked as UiLanguage);
      }}
    >
      <option value="system">{t('prefs.languageSystem')}</option>
      {languages.map((language) => (
        <option key={language} value={language} lang={language}>
          {t(`prefs.languageNames.${language}`)}
        </option>
      ))}
    </SelectField>
  );
}
