import { useId, type ReactNode } from 'react';
import { useI18n } from '../hooks/use-i18n';
import { fieldProblemKey } from './field-problem-key';

/** Props of {@link SelectField}. */
export interface SelectFieldProps {
  readonly label: string;
  readonly value: string | number;
  /** Absent only for a select that is never editable (shown disabled). */
  readonly onChange?: (value: string) => void;
  readonly name?: string;
  readonly disabled?: boolean;
  /** Read out with the select (aria-describedby). */
  readonly hint?: string | undefined;
  /** The message key of a validation problem, from main. */
  readonly problem?: string | undefined;
  /** The `<option>` elements. */
  readonly children: ReactNode;
  /** Shown below the select inside the same field (a warning or a note that is not part of its description). */
  readonly after?: ReactNode;
}

/** A labelled select whose hint and problem are read out with it; the select counterpart of TextField. */
export function SelectField(props: SelectFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [props.hint !== undefined ? hintId : '', props.problem !== undefined ? problemId : '']
    .filter(Boolean)
    .join(' ');
  const { onChange } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.problem !== undefined ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={
          onChange &&
          ((event) => {
            onChange(event.target.value);
          })
        }
      >
        {props.children}
      </select>
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
      {props.after}
    </div>
  );
}
