import { useId, type ReactNode } from 'react';
import { useModalDialog } from '../hooks/use-modal-dialog';

/**
 * The frame of every question Kurier asks in a modal dialog (ConfirmDialog, and through it ResendDialog;
 * EarlierCopiesDialog): a native <dialog> shown modally ({@link useModalDialog}: the window behind is
 * inert, Tab wraps round inside, Esc calls `onCancel`, focus goes back to the control that asked), named
 * by its title (aria-labelledby), described by its first paragraph when one is given, and aria-modal for
 * screen readers that do not infer it. Focus starts on the first button: put the safe answer first.
 */
export function ModalDialog(props: {
  readonly title: string;
  /** A sentence under the title that describes the question (aria-describedby). */
  readonly description?: ReactNode;
  readonly children?: ReactNode;
  /** The answers, in the order shown. */
  readonly actions: ReactNode;
  /** Esc: the answer that does nothing. */
  readonly onCancel: () => void;
  /** Where focus goes when the dialog closes (the button that asked). */
  readonly returnFocus: { readonly current: HTMLElement | null };
  readonly testId?: string | undefined;
}) {
  const ref = useModalDialog(props.onCancel, false, props.returnFocus);
  const titleId = useId();
  const descriptionId = useId();
  const described = props.description !== undefined;
  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={described ? descriptionId : undefined}
      data-testid={props.testId}
    >
      <h2 id={titleId}>{props.title}</h2>
      {described && <p id={descriptionId}>{props.description}</p>}
      {props.children}
      <div className="actions">{props.actions}</div>
    </dialog>
  );
}
