import { useId } from 'react';
import { useI18n } from '../hooks/use-i18n';
import { fieldProblemKey } from './field-problem-key';

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'email' | 'password' | 'number' | 'month';
  readonly maxLength?: number;
  readonly name: string;
  /** The message key of a validation problem (`invalidAddress`, `required`…), from main. */
  readonly problem?: string | undefined;
  readonly hint?: string | undefined;
  readonly autoComplete?: string;
  readonly multiline?: boolean;
  readonly required?: boolean;
  /** Shown but not editable (a value followed from the office preferences). */
  readonly disabled?: boolean;
  /** Called when the field loses focus (after typing, or tabbing past it). */
  readonly onBlur?: () => void;
}

/** A labelled input whose hint and problem are read out with it. */
export function TextField(props: TextFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [props.hint !== undefined ? hintId : '', props.problem !== undefined ? problemId : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: props.name,
    value: props.value,
    required: props.required,
    maxLength: props.maxLength,
    disabled: props.disabled,
    onBlur: props.onBlur,
    'aria-invalid': props.problem !== undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline === true ? (
        <textarea
          {...common}
          rows={8}
          onChange={(event) => {
            props.onChange(event.target.value);
          }}
        />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(event) => {
            props.onChange(event.target.value);
          }}
        />
      )}
      {props.hint !== undefined && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      {props.problem !== undefined && (
        <p id={problemId} className="problem">
          {t(fieldProblemKey(props.problem))}
        </p>
      )}
    </div>
  );
}
