import { useEffect, useRef, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { accountScopes, OAuthProvider, SignInState } from '../../shared/prefs';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { openExternal } from '../open-external';

/**
 * "Sign in with Microsoft / Google": who is signed in (never a token), the button that opens the
 * provider's page in the system browser, and sign-out. Main holds the tokens; this only learns the
 * mailbox's address.
 */
export function SignInPanel(props: {
  /** The user's or the office's account (a company's own account logs in with a password only). */
  readonly scope: (typeof accountScopes)[number];
  readonly provider: OAuthProvider;
  /** Offered to the provider's page, so the right account is preselected. */
  readonly loginHint: string;
  readonly state: SignInState;
  readonly editable: boolean;
  /** The mailbox signed in (the form's user name follows it). */
  readonly onSignedIn: (address: string) => void;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const [state, setState] = useState(props.state);
  const [flowId, setFlowId] = useState<string | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const pending = useRef<string | null>(null);
  const providerName = t(`oauth.providerNames.${props.provider}`);

  // A window closed mid-sign-in stops the listener in main at once.
  useEffect(
    () => () => {
      if (pending.current !== null) void kurier.oauth.cancel({ flowId: pending.current });
    },
    [kurier],
  );

  const signIn = async () => {
    setError(null);
    setSignedOut(false);
    const begun = await kurier.oauth.begin({ scope: props.scope, provider: props.provider, loginHint: props.loginHint });
    if (!begun.ok) {
      setError(begun.error);
      return;
    }
    // Electron opens this in the system browser (never inside Kurier); the web shell in a new tab.
    const opened = await openExternal(begun.value.authorizeUrl);
    if (!opened.ok) {
      await kurier.oauth.cancel({ flowId: begun.value.flowId });
      setError(opened.error);
      return;
    }
    pending.current = begun.value.flowId;
    setFlowId(begun.value.flowId);
    const finished = await kurier.oauth.finish({ flowId: begun.value.flowId });
    pending.current = null;
    setFlowId(null);
    if (!finished.ok) {
      if (finished.error.code !== 'oauth.cancelled') setError(finished.error);
      return;
    }
    setState(finished.value);
    if (finished.value.account && finished.value.account.address !== '') props.onSignedIn(finished.value.account.address);
  };

  const cancel = () => {
    if (flowId !== null) void kurier.oauth.cancel({ flowId });
  };

  const signOut = async () => {
    setError(null);
    const result = await kurier.oauth.signOut({ scope: props.scope });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setState(result.value);
    setSignedOut(true);
  };

  const account = state.account?.provider === props.provider ? state.account : null;
  const status = account
    ? state.expired
      ? t('oauth.expired', { provider: providerName, address: account.address })
      : account.address !== ''
        ? t('oauth.signedInAs', { address: account.address, provider: providerName })
        : t('oauth.signedInNoAddress', { provider: providerName })
    : t('oauth.notSignedIn', { provider: providerName });
  return (
    <div className="sign-in" data-testid="sign-in">
      <p role="status" data-testid="sign-in-state" className={account && state.expired ? 'warning' : undefined}>
        {status}
      </p>
      {props.scope === 'global' && <p className="hint">{t('oauth.officeHint')}</p>}
      <div className="field-row" aria-live="polite">
        {flowId === null ? (
          <button type="button" name="signIn" onClick={() => void signIn()}>
            {account && state.expired ? t('oauth.signInAgain') : t('oauth.signIn', { provider: providerName })}
          </button>
        ) : (
          <>
            <p role="status">{t('oauth.waiting')}</p>
            <button type="button" name="cancelSignIn" onClick={cancel}>
              {t('oauth.cancel')}
            </button>
          </>
        )}
        {account && flowId === null && props.editable && (
          <button type="button" name="signOut" onClick={() => void signOut()}>
            {t('oauth.signOut')}
          </button>
        )}
      </div>
      {signedOut && <p className="notice notice-success">{t('oauth.signedOut')}</p>}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
