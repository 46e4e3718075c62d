import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { DatabaseStatus, MoveStage } from '../../shared/office-database';
import type { PostgresDatabasePrefs } from '../../shared/prefs';
import { ErrorNotice } from '../components/ErrorNotice';
import { fieldProblemKey } from '../components/field-problem-key';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';

type Kind = 'sqlite' | 'postgres';
type Tls = PostgresDatabasePrefs['tls'];

const blank = { host: '', port: '5432', database: 'kurier', user: 'kurier', tls: 'verify' as Tls, trustedCertificate: '' };

/**
 * The office preferences' "Database" section (issue 20): this desk's SQLite file or the office
 * PostgreSQL (host, port, database, user, TLS with the certificate checked); the password goes to the
 * keychain and never comes back. "Test connection" and "Move this desk's data" report in an aria-live area.
 */
export function DatabaseSection() {
  const kurier = useKurier();
  const { t } = useI18n();
  const headingId = useId();
  const [status, setStatus] = useState<DatabaseStatus | null>(null);
  const [kind, setKind] = useState<Kind>('sqlite');
  const [fields, setFields] = useState(blank);
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Readonly<Record<string, string>>>({});
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (view: DatabaseStatus) => {
    setStatus(view);
    setKind(view.saved.kind);
    if (view.saved.kind === 'postgres') {
      const saved = view.saved;
      setFields({
        host: saved.host,
        port: String(saved.port),
        database: saved.database,
        user: saved.user,
        tls: saved.tls,
        trustedCertificate: saved.trustedCertificate,
      });
    }
  };

  useEffect(() => {
    void kurier.database.status().then((result) => {
      if (result.ok) show(result.value);
    });
  }, [kurier]);

  // The outbox in use changed, or its database connected or was lost: the running state is read again.
  useKurierEvent('database:changed', () => {
    void kurier.database.status().then((result) => {
      if (result.ok) setStatus(result.value);
    });
  });

  useKurierEvent('database:moveProgressed', ({ stage }: { stage: MoveStage }) => {
    setNotice(t(`officeDatabase.moveStages.${stage}`));
  });

  const settings = () => ({
    kind: 'postgres' as const,
    host: fields.host,
    port: Number(fields.port),
    database: fields.database,
    user: fields.user,
    tls: fields.tls,
    trustedCertificate: fields.trustedCertificate,
  });

  const failed = (problem: KurierErrorShape) => {
    setNotice('');
    if (problem.code === 'input.invalid') {
      const byField: Record<string, string> = {};
      for (const [key, value] of Object.entries(problem.details)) byField[key.replace(/^database\./, '')] = String(value);
      setProblems(byField);
      setError(Object.keys(byField).length > 0 ? null : problem);
      return;
    }
    setError(problem);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setProblems({});
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await kurier.database.save({
        database: kind === 'sqlite' ? { kind: 'sqlite' } : settings(),
        password: password === '' ? { action: 'keep' } : { action: 'set', value: password },
      });
      if (!result.ok) {
        failed(result.error);
        return;
      }
      setPassword('');
      show(result.value);
      setNotice(t('officeDatabase.saved'));
    });
  };

  const test = () => {
    void run(async () => {
      setNotice(t('officeDatabase.testing'));
      const result = await kurier.database.test({ database: settings(), ...(password === '' ? {} : { password }) });
      if (!result.ok) {
        failed(result.error);
        return;
      }
      setNotice(
        t('officeDatabase.testOk', {
          version: result.value.serverVersion,
          schema: result.value.schemaVersion,
          latest: result.value.schemaLatest,
        }),
      );
    });
  };

  const move = () => {
    void run(async () => {
      const result = await kurier.database.move();
      if (!result.ok) {
        failed(result.error);
        return;
      }
      setNotice(t('officeDatabase.moved', { ...result.value }));
    });
  };

  const set = (key: keyof typeof blank) => (value: string) => {
    setFields((now) => ({ ...now, [key]: value }));
  };
  const running = status?.running;
  const postgres = kind === 'postgres';
  return (
    <section aria-labelledby={headingId} className="database-settings" data-testid="database-settings">
      <h2 id={headingId}>{t('officeDatabase.title')}</h2>
      <p className="hint">{t('officeDatabase.intro')}</p>
      {running && (
        <p className="hint" data-testid="database-running">
          {running.kind === 'sqlite'
            ? t('officeDatabase.running.sqlite')
            : running.state === 'unreachable'
              ? t('officeDatabase.running.unreachable')
              : t(`officeDatabase.running.${running.state}`)}
        </p>
      )}
      {running?.kind === 'postgres' && running.state === 'unreachable' && <ErrorNotice error={running.error} />}
      <form onSubmit={save}>
        <SelectField
          label={t('officeDatabase.kind')}
          name="databaseKind"
          value={kind}
          onChange={(picked) => {
            setKind(picked === 'postgres' ? 'postgres' : 'sqlite');
          }}
        >
          <option value="sqlite">{t('officeDatabase.kinds.sqlite')}</option>
          <option value="postgres">{t('officeDatabase.kinds.postgres')}</option>
        </SelectField>
        {postgres && (
          <>
            <TextField
              label={t('officeDatabase.host')}
              name="databaseHost"
              value={fields.host}
              onChange={set('host')}
              problem={problems.host}
              required
            />
            <TextField
              label={t('officeDatabase.port')}
              name="databasePort"
              type="number"
              value={fields.port}
              onChange={set('port')}
              problem={problems.port}
            />
            <TextField
              label={t('officeDatabase.database')}
              name="databaseName"
              value={fields.database}
              onChange={set('database')}
              problem={problems.database}
            />
            <TextField
              label={t('officeDatabase.user')}
              name="databaseUser"
              value={fields.user}
              onChange={set('user')}
              problem={problems.user}
            />
            <TextField
              label={t('officeDatabase.password')}
              name="databasePassword"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={setPassword}
              hint={status?.hasPassword === true ? t('officeDatabase.passwordSaved') : t('officeDatabase.passwordNone')}
            />
            <SelectField
              label={t('officeDatabase.tls')}
              name="databaseTls"
              value={fields.tls}
              hint={t('officeDatabase.tlsHint')}
              onChange={(picked) => {
                set('tls')(picked === 'off' ? 'off' : 'verify');
              }}
            >
              <option value="verify">{t('officeDatabase.tlsModes.verify')}</option>
              <option value="off">{t('officeDatabase.tlsModes.off')}</option>
            </SelectField>
            {problems.tls !== undefined && (
              <p className="field-problem" role="alert">
                {t(fieldProblemKey(problems.tls))}
              </p>
            )}
            <TextField
              label={t('officeDatabase.trustedCertificate')}
              name="databaseCertificate"
              multiline
              value={fields.trustedCertificate}
              onChange={set('trustedCertificate')}
              hint={t('officeDatabase.trustedCertificateHint')}
              problem={problems.trustedCertificate}
            />
          </>
        )}
        <div className="actions">
          {postgres && (
            <button type="button" disabled={busy} onClick={test}>
              {t('officeDatabase.test')}
            </button>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('officeDatabase.save')}
          </button>
        </div>
      </form>
      {status?.saved.kind === 'postgres' && (
        <div className="actions">
          <p className="hint">{t('officeDatabase.moveHint')}</p>
          <button type="button" disabled={busy} onClick={move}>
            {t('officeDatabase.move')}
          </button>
        </div>
      )}
      <div aria-live="polite" className="status-area" data-testid="database-status">
        {notice !== '' && <p className="notice notice-success">{notice}</p>}
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
