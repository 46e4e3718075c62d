import type { ExportDraft } from '../../shared/contract';
import { withheldErrorShape } from '../../shared/password-binding';
import { useI18n } from '../hooks/use-i18n';
import { ErrorNotice } from './ErrorNotice';
import { TextField } from './TextField';

/** What the user typed into the prompt. */
export interface TypedPassword {
  readonly value: string;
  readonly remember: boolean;
  readonly acceptPlainText: boolean;
}

/**
 * The export dialog's request for the sending account's password: none on this computer yet, the saved
 * one was rejected, or it was saved for another server (then it says which, and what the file says now).
 */
export function SmtpPasswordPrompt(props: {
  readonly needed: NonNullable<ExportDraft['smtpPasswordNeeded']>;
  readonly typed: TypedPassword;
  readonly onChange: (typed: TypedPassword) => void;
  readonly problem: string | undefined;
  /** The document's company: named when the account is the company's own. */
  readonly companyName: string;
}) {
  const { t } = useI18n();
  const { needed, typed } = props;
  const office = needed.scope === 'global';
  // A client company's own account names the company (its password is asked like the office's).
  const company = needed.scope.startsWith('company:') ? { company: props.companyName } : null;
  return (
    <div className="notice" data-testid="office-password">
      {needed.withheld ? (
        <ErrorNotice error={withheldErrorShape(needed.withheld)} />
      ) : (
        <p>
          {company
            ? t(needed.reason === 'rejected' ? 'export.companyPasswordRejected' : 'export.companyPasswordMissing', {
                ...company,
                username: needed.username,
              })
            : needed.reason === 'rejected'
              ? t(office ? 'export.officePasswordRejected' : 'export.ownPasswordRejected', { username: needed.username })
              : t(office ? 'export.officePasswordMissing' : 'export.ownPasswordMissing', { username: needed.username })}
        </p>
      )}
      <TextField
        name="officePassword"
        type="password"
        autoComplete="current-password"
        label={company ? t('export.companyPassword', company) : t(office ? 'export.officePassword' : 'export.ownPassword')}
        value={typed.value}
        onChange={(value) => {
          props.onChange({ ...typed, value });
        }}
        problem={props.problem}
      />
      {needed.unencrypted && (
        <label className="checkbox">
          <input
            type="checkbox"
            name="acceptPlainText"
            checked={typed.acceptPlainText}
            onChange={(event) => {
              props.onChange({ ...typed, acceptPlainText: event.target.checked });
            }}
          />
          {t('prefs.acceptPlainText')}
        </label>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          name="rememberPassword"
          checked={typed.remember}
          onChange={(event) => {
            props.onChange({ ...typed, remember: event.target.checked });
          }}
        />
        {t('export.rememberPassword')}
      </label>
    </div>
  );
}
