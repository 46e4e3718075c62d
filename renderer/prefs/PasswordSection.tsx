import { withheldErrorShape } from '../../shared/password-binding';
import type { PasswordChange, PasswordState } from '../../shared/prefs';
import type { ConnectionSecurity } from '../../shared/smtp-security';
import { ErrorNotice } from '../components/ErrorNotice';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';

/** What the form does with the saved password. */
export type PasswordMode = 'keep' | 'change' | 'remove';

/** The change to send with a save: typed password, removal, or nothing. */
export function passwordChangeOf(mode: PasswordMode, typed: string, acceptPlainText = false): PasswordChange {
  if (mode === 'remove') return { action: 'clear' };
  if (mode === 'change' && typed !== '') return { action: 'set', value: typed, acceptPlainText };
  return { action: 'keep' };
}

/** Whether a password is saved (never the password), and the controls to change or remove it. */
export function PasswordSection(props: {
  readonly state: PasswordState;
  readonly mode: PasswordMode;
  readonly setMode: (mode: PasswordMode) => void;
  readonly password: string;
  readonly setPassword: (value: string) => void;
  readonly problem: string | undefined;
  /** The form's connection security: without encryption a typed password needs a confirmation. */
  readonly security: ConnectionSecurity;
  readonly acceptPlainText: boolean;
  readonly setAcceptPlainText: (value: boolean) => void;
}) {
  const { t } = useI18n();
  const { saved, rejected, withheld } = props.state;
  return (
    <div className="password">
      <p role="status" data-testid="password-state">
        {saved ? t('prefs.passwordSaved') : t('prefs.passwordNotSaved')}
      </p>
      {rejected && (
        <p className="warning" role="alert">
          {t('prefs.passwordRejected')}
        </p>
      )}
      {withheld && <ErrorNotice error={withheldErrorShape(withheld)} />}
      {saved && props.mode === 'keep' && (
        <div className="field-row">
          <button
            type="button"
            onClick={() => {
              props.setMode('change');
            }}
          >
            {t('prefs.passwordChange')}
          </button>
          <button
            type="button"
            onClick={() => {
              props.setMode('remove');
            }}
          >
            {t('prefs.passwordRemove')}
          </button>
        </div>
      )}
      {props.mode === 'remove' && (
        <div className="field-row">
          <p>{t('prefs.passwordRemovedOnSave')}</p>
          <button
            type="button"
            onClick={() => {
              props.setMode('keep');
            }}
          >
            {t('prefs.passwordKeep')}
          </button>
        </div>
      )}
      {props.mode === 'change' && (
        <TextField
          name="password"
          type="password"
          autoComplete="new-password"
          label={t('prefs.password')}
          value={props.password}
          onChange={props.setPassword}
          problem={props.problem}
        />
      )}
      {props.mode === 'change' && props.security === 'none' && (
        <label className="checkbox">
          <input
            type="checkbox"
            name="acceptPlainText"
            checked={props.acceptPlainText}
            onChange={(event) => {
              props.setAcceptPlainText(event.target.checked);
            }}
          />
          {t('prefs.acceptPlainText')}
        </label>
      )}
    </div>
  );
}
