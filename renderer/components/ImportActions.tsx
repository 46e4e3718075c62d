import { useI18n } from '../hooks/use-i18n';

/**
 * The buttons under every import preview: Cancel (Close once the import is done) and, while there is
 * something to import, the primary Import button with its count in its label.
 */
export function ImportActions(props: {
  /** The import ran: the first button closes, the Import button is gone. */
  readonly done: boolean;
  readonly onClose: () => void;
  /** The Import button's label; null hides it (nothing to import). */
  readonly commitLabel: string | null;
  readonly commitDisabled: boolean;
  readonly onCommit: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button type="button" onClick={props.onClose}>
        {props.done ? t('imports.close') : t('imports.cancel')}
      </button>
      {!props.done && props.commitLabel !== null && (
        <button type="button" className="primary" disabled={props.commitDisabled} onClick={props.onCommit}>
          {props.commitLabel}
        </button>
      )}
    </div>
  );
}
