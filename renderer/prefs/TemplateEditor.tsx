import { useEffect, useState } from 'react';
import type { TemplatePreview } from '../../shared/contract';
import { languages, type Language } from '../../shared/domain';
import {
  closestPlaceholder,
  defaultTemplates,
  placeholders,
  templateKinds,
  unknownPlaceholders,
  type Template,
  type TemplateKind,
  type Templates,
} from '../../shared/templates';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

/**
 * The template editor: pick the message type and language, edit subject and body, see them filled with
 * a real document's data, have misspelt placeholders named before saving, go back to the text below.
 * `value` holds the changed templates; a key it lacks shows `fallback`'s (a company's editor falls back
 * to the office's), else Kurier's default. `states` says which of the two the shown text is.
 */
export function TemplateEditor(props: {
  readonly value: Templates;
  readonly fallback?: Templates;
  readonly editable: boolean;
  readonly onChange: (templates: Templates) => void;
  readonly problem: (field: string) => string | undefined;
  readonly states?: { readonly changed: string; readonly inherited: string; readonly reset: string };
}) {
  const kurier = useKurier();
  const { t, language: uiLanguage } = useI18n();
  const [kind, setKind] = useState<TemplateKind>('invoice');
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const key = `${kind}.${language}` as const;
  const changed = props.value[key];
  const template: Template = changed ?? props.fallback?.[key] ?? defaultTemplates[language][kind];
  const unknown = unknownPlaceholders(`${template.subject}\n${template.body}`);

  useEffect(() => {
    if (unknownPlaceholders(`${template.subject}\n${template.body}`).length > 0) return;
    let current = true;
    // A short pause, so typing does not ask main for a preview at every key.
    const timer = setTimeout(() => {
      void kurier.templates.preview({ kind, language, template }).then((result) => {
        if (current) setPreview(result.ok ? result.value : null);
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [kurier, kind, language, template]);

  const edit = (change: Partial<Template>) => {
    props.onChange({ ...props.value, [key]: { ...template, ...change } });
  };
  const reset = () => {
    props.onChange(Object.fromEntries(Object.entries(props.value).filter(([name]) => name !== key)));
  };

  return (
    <div className="templates">
      <div className="field-row">
        <SelectField
          label={t('templates.kind')}
          value={kind}
          onChange={(picked) => {
            setKind(picked as TemplateKind);
          }}
        >
          {templateKinds.map((k) => (
            <option key={k} value={k}>
              {t(`templates.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('templates.language')}
          value={language}
          onChange={(picked) => {
            setLanguage(picked as Language);
          }}
        >
          {languages.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`prefs.languageNames.${l}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <p className="source" data-testid="template-state">
        {changed ? (props.states?.changed ?? t('templates.changed')) : (props.states?.inherited ?? t('templates.shipped'))}
      </p>
      <TextField
        name="templateSubject"
        label={t('templates.subject')}
        value={template.subject}
        disabled={!props.editable}
        onChange={(subject) => {
          edit({ subject });
        }}
        problem={props.problem(`${key}.subject`)}
      />
      <TextField
        name="templateBody"
        label={t('templates.body')}
        value={template.body}
        disabled={!props.editable}
        onChange={(body) => {
          edit({ body });
        }}
        problem={props.problem(`${key}.body`)}
        multiline
      />
      <div aria-live="polite">
        {unknown.length > 0 && (
          <ul className="problem" data-testid="unknown-placeholders">
            {unknown.map((name) => {
              const suggestion = closestPlaceholder(name);
              return (
                <li key={name}>
                  {suggestion
                    ? t('templates.unknownWithSuggestion', { name: `{{${name}}}`, suggestion: `{{${suggestion}}}` })
                    : t('templates.unknown', { name: `{{${name}}}` })}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {props.editable && changed && (
        <button type="button" onClick={reset}>
          {props.states?.reset ?? t('templates.reset')}
        </button>
      )}
      <details>
        <summary>{t('templates.placeholdersTitle')}</summary>
        <dl className="facts">
          {placeholders.map((name) => (
            <div key={name}>
              <dt>
                <code>{`{{${name}}}`}</code>
              </dt>
              <dd>{t(`templates.placeholders.${name}`)}</dd>
            </div>
          ))}
        </dl>
      </details>
      {preview && unknown.length === 0 && (
        <section className="preview" aria-labelledby="template-preview-title" data-testid="template-preview">
          <h2 id="template-preview-title">
            {t('templates.previewTitle', { number: preview.documentNumber, partner: preview.partnerName })}
          </h2>
          <p>
            <strong>{preview.subject}</strong>
          </p>
          <pre lang={language}>{preview.body}</pre>
        </section>
      )}
    </div>
  );
}
