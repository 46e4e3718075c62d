import type { KurierErrorShape } from '../../shared/errors';
import { useI18n } from '../hooks/use-i18n';

/** A translated error with what to do about it, announced to screen readers. */
export function ErrorNotice(props: { readonly error: KurierErrorShape; readonly title?: string }) {
  const { describe } = useI18n();
  const { message, fix } = describe(props.error);
  return (
    <div className="notice notice-error" role="alert" data-error-code={props.error.code}>
      {props.title !== undefined && <p className="notice-title">{props.title}</p>}
      <p>{message}</p>
      <p className="notice-fix">{fix}</p>
    </div>
  );
}
