import type { KurierErrorShape } from '../../shared/errors';
import { ErrorNotice } from './ErrorNotice';

/**
 * What a section's last save said: the success line, announced politely to screen readers (its region
 * stays in the page so the announcement is heard), and the translated error if it failed.
 */
export function SaveStatus(props: { readonly status: string; readonly error: KurierErrorShape | null }) {
  return (
    <>
      <div aria-live="polite" className="status-area">
        {props.status !== '' && <p className="notice notice-success">{props.status}</p>}
      </div>
      {props.error && <ErrorNotice error={props.error} />}
    </>
  );
}
