import { useEffect, useRef } from 'react';

/**
 * Shows a <dialog> modally while the component is mounted: Esc calls `onClose(done)` instead of closing
 * it behind React's back, and focus goes back to `returnFocus` (the button that opened it) afterwards.
 */
export function useModalDialog(
  onClose: (done: boolean) => void,
  done: boolean,
  returnFocus: { readonly current: HTMLElement | null },
) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  const doneRef = useRef(done);
  useEffect(() => {
    close.current = onClose;
    doneRef.current = done;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const focusBack = returnFocus;
    dialog.showModal();
    const cancelled = (event: Event) => {
      event.preventDefault();
      close.current(doneRef.current);
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
      focusBack.current?.focus();
    };
  }, [returnFocus]);
  return ref;
}
