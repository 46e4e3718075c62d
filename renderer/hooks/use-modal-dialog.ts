import { useEffect, useRef } from 'react';

const focusable = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Shows a <dialog> modally while the component is mounted: Esc calls `onClose(done)` instead of closing
 * it behind React's back, and focus goes back to `returnFocus` (the button that opened it) afterwards.
 * showModal() makes the window behind inert, but Tab from the last control would leave the page for the
 * browser's own controls: it wraps round to the first instead (Shift+Tab from the first to the last).
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
    const wrapTab = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const controls = [...dialog.querySelectorAll<HTMLElement>(focusable)].filter((element) => !element.matches(':disabled'));
      const first = controls[0];
      const last = controls[controls.length - 1];
      if (!first || !last) return;
      if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    };
    dialog.addEventListener('cancel', cancelled);
    dialog.addEventListener('keydown', wrapTab);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      dialog.removeEventListener('keydown', wrapTab);
      if (dialog.open) dialog.close();
      focusBack.current?.focus();
    };
  }, [returnFocus]);
  return ref;
}
