import type { ReactNode } from 'react';
import { ModalDialog } from './ModalDialog';

/**
 * A question before something that cannot be undone (a new payslip password, removing one, leaving
 * unsaved changes), in the modal frame: focus starts on the safe answer, Esc answers no, and focus goes
 * back to the control that asked.
 */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly children: ReactNode;
  /** The safe answer (first, focused). */
  readonly cancelLabel: string;
  readonly confirmLabel: string;
  readonly onAnswer: (confirmed: boolean) => void;
  readonly returnFocus: { readonly current: HTMLElement | null };
  readonly testId?: string;
}) {
  return (
    <ModalDialog
      title={props.title}
      testId={props.testId}
      returnFocus={props.returnFocus}
      onCancel={() => {
        props.onAnswer(false);
      }}
      actions={
        <>
          <button
            type="button"
            onClick={() => {
              props.onAnswer(false);
            }}
          >
            {props.cancelLabel}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              props.onAnswer(true);
            }}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
    </ModalDialog>
  );
}
