import type { PrefsMode } from '../windows/PreferencesWindow';
import { type ReactNode } from 'react';
import { type PrefSection, type PrefsView } from '../../shared/prefs';
import { useI18n } from '../hooks/use-i18n';

/** A section's fieldset: where its value comes from and, in the user window, own value or office value. */
export function SectionFrame(props: {
  readonly mode: PrefsMode;
  readonly section: PrefSection;
  readonly legend: string;
  readonly own: boolean;
  /** Where the office value comes from: the global file, or the built-in default. */
  readonly officeSource: PrefsView['resolved']['sources'][PrefSection];
  readonly onOwnChange: (own: boolean) => void;
  readonly children: ReactNode;
}) {
  const { t } = useI18n();
  const source = props.mode === 'user' && props.own ? 'user' : props.officeSource;
  const sourceText =
    props.mode === 'global'
      ? source === 'default'
        ? t('prefs.source.notSetInOffice')
        : t('prefs.source.setInOffice')
      : t(`prefs.source.${source}`);
  return (
    <fieldset id={`section-${props.section}`} data-section={props.section} data-source={source}>
      <legend>{props.legend}</legend>
      <p className="source" data-testid={`source-${props.section}`}>
        {sourceText}
      </p>
      {props.mode === 'user' && (
        <div className="field-row">
          {/* The section's name joins the visible text in the accessible name: every section has this button. */}
          {props.own ? (
            <button
              type="button"
              aria-label={`${t('prefs.useOffice')} – ${props.legend}`}
              onClick={() => {
                props.onOwnChange(false);
              }}
            >
              {t('prefs.useOffice')}
            </button>
          ) : (
            <button
              type="button"
              aria-label={`${t('prefs.useOwn')} – ${props.legend}`}
              onClick={() => {
                props.onOwnChange(true);
              }}
            >
              {t('prefs.useOwn')}
            </button>
          )}
        </div>
      )}
      {props.children}
    </fieldset>
  );
}
