import { oauthProviders, type OAuthApps, type OAuthProvider } from '../../shared/prefs';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';

/** The office's app registrations for signing in with Microsoft and Google. */
export function OAuthAppsSection(props: {
  readonly value: OAuthApps;
  readonly disabled: boolean;
  readonly onChange: (value: OAuthApps) => void;
  readonly problem: (field: string) => string | undefined;
}) {
  const { t } = useI18n();
  const set = (provider: OAuthProvider, change: Partial<OAuthApps[OAuthProvider]>) => {
    props.onChange({ ...props.value, [provider]: { ...props.value[provider], ...change } });
  };
  return (
    <>
      <p className="hint">{t('oauth.appsHint')}</p>
      {oauthProviders.map((provider) => {
        const app = props.value[provider];
        const name = t(`oauth.providerNames.${provider}`);
        // Each field's name and label carry the provider: two "Client ID" fields must be told apart.
        const field = (key: keyof typeof app, label: string) => (
          <TextField
            key={key}
            name={`${provider}-${key}`}
            label={`${name}: ${label}`}
            value={app[key]}
            disabled={props.disabled}
            onChange={(value) => {
              set(provider, { [key]: value });
            }}
            problem={props.problem(`${provider}.${key}`)}
          />
        );
        return (
          <div key={provider} className="oauth-app" data-provider={provider}>
            {field('clientId', t('oauth.clientId'))}
            {provider === 'google' && field('clientSecret', t('oauth.clientSecret'))}
            {provider === 'microsoft' && field('tenant', t('oauth.tenant'))}
            {/* No endpoint fields: Microsoft's and Google's are fixed in Kurier (oauth-client.ts). */}
          </div>
        );
      })}
    </>
  );
}
