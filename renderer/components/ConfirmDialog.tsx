import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A question before something that cannot be undone (a new payslip password, removing one, leaving
 * unsaved changes). A modal <dialog> named by its title: focus starts on the safe answer, Esc answers
 * no, and focus goes back to the control that asked.
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
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const answer = useRef(props.onAnswer);
  useEffect(() => {
    answer.current = props.onAnswer;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnFocus = props.returnFocus;
    dialog.showModal();
    const cancelled = (event: Event) => {
      event.preventDefault();
      answer.current(false);
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
      returnFocus.current?.focus();
    };
  }, [props.returnFocus]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} data-testid={props.testId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            answer.current(false);
          }}
        >
          {props.cancelLabel}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => {
            answer.current(true);
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
