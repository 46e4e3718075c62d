import { useEffect, useRef, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { PayslipPasswordStatus } from '../../shared/payslips';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { TextField } from '../components/TextField';
import { fieldProblems } from '../field-problems';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

/**
 * Payslip passwords: which employees have one (never the password itself — the window does not see it),
 * generate or set a new one, remove one, and hand them over by paper or SMS, never by e-mail.
 */
export function PayslipPasswordsWindow() {
  const kurier = useKurier();
  const { t } = useI18n();
  const format = useFormat();
  const [rows, setRows] = useState<readonly PayslipPasswordStatus[] | null>(null);
  const [settingFor, setSettingFor] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<KurierErrorShape | null>(null);
  // One change at a time: two quick clicks must not leave the history and the keychain disagreeing.
  const [busy, setBusy] = useState(false);
  // "Generate new" and "Remove" cannot be undone: each asks first, focus goes back to the button.
  const [confirming, setConfirming] = useState<{ row: PayslipPasswordStatus; action: 'generate' | 'clear' } | null>(null);
  const asker = useRef<HTMLElement | null>(null);
  const ask = (row: PayslipPasswordStatus, action: 'generate' | 'clear', button: HTMLElement) => {
    asker.current = button;
    setConfirming({ row, action });
  };

  useEffect(() => {
    document.title = `${t('payslips.title')} – Kurier`;
  }, [t]);
  useEffect(() => {
    void kurier.payslips.list().then((result) => {
      if (result.ok) setRows(result.value);
      else setError(result.error);
    });
  }, [kurier]);

  const change = async (row: PayslipPasswordStatus, action: 'generate' | 'set' | 'clear') => {
    setError(null);
    setNotice('');
    setBusy(true);
    const result = await kurier.payslips.change({
      partnerId: row.partnerId,
      change: action === 'set' ? { action, value: typed } : { action },
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRows(result.value);
    setSettingFor(null);
    setTyped('');
    setNotice(t(`payslips.done.${action}`, { name: row.name }));
  };

  const handover = async (formatKind: 'pdf' | 'csv') => {
    setError(null);
    setNotice('');
    const ids = (rows ?? []).filter((row) => row.hasPassword).map((row) => row.partnerId);
    const result = await kurier.payslips.handover({ partnerIds: ids, format: formatKind });
    if (result.ok)
      setNotice(
        t(formatKind === 'pdf' ? 'payslips.sheetSaved' : 'payslips.csvSaved', {
          path: result.value.path,
          count: result.value.count,
        }),
      );
    else setError(result.error);
  };

  const { of: problem } = fieldProblems(error);
  return (
    <main className="window">
      <h1>{t('payslips.title')}</h1>
      <p className="hint">{t('payslips.intro')}</p>
      {rows === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <table className="documents" data-testid="payslip-passwords">
          <thead>
            <tr>
              <th scope="col">{t('payslips.employee')}</th>
              <th scope="col">{t('payslips.state')}</th>
              <th scope="col">{t('payslips.changed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('payslips.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.partnerId} data-has-password={row.hasPassword}>
                <th scope="row">{row.name}</th>
                <td>{row.hasPassword ? t('payslips.hasPassword', { generation: row.generation }) : t('payslips.noPassword')}</td>
                <td>
                  {row.changedAt !== null
                    ? t('payslips.changedBy', { when: format.dateTime(row.changedAt), who: row.changedBy })
                    : ''}
                </td>
                <td>
                  <div className="field-row">
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={t('payslips.generateFor', { name: row.name })}
                      onClick={(event) => {
                        ask(row, 'generate', event.currentTarget);
                      }}
                    >
                      {t('payslips.generate')}
                    </button>
                    <button
                      type="button"
                      aria-label={t('payslips.setFor', { name: row.name })}
                      onClick={() => {
                        setSettingFor(row.partnerId);
                        setTyped('');
                      }}
                    >
                      {t('payslips.set')}
                    </button>
                    {row.hasPassword && (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={t('payslips.clearFor', { name: row.name })}
                        onClick={(event) => {
                          ask(row, 'clear', event.currentTarget);
                        }}
                      >
                        {t('payslips.clear')}
                      </button>
                    )}
                  </div>
                  {settingFor === row.partnerId && (
                    <form
                      onSubmit={(event) => {
                        event.preventDefault();
                        void change(row, 'set');
                      }}
                    >
                      <TextField
                        name="payslipPassword"
                        type="password"
                        autoComplete="new-password"
                        label={t('payslips.newPassword', { name: row.name })}
                        value={typed}
                        onChange={setTyped}
                        problem={problem('change.value')}
                      />
                      <button type="submit" disabled={busy}>
                        {t('payslips.save')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="field-row">
        <button type="button" onClick={() => void handover('pdf')}>
          {t('payslips.printSheet')}
        </button>
        <button type="button" onClick={() => void handover('csv')}>
          {t('payslips.exportSms')}
        </button>
      </div>
      <p className="hint">{t('payslips.neverByMail')}</p>
      <div aria-live="polite" className="status-area">
        {notice !== '' && <p className="notice notice-success">{notice}</p>}
      </div>
      {error && <ErrorNotice error={error} />}
      {confirming && (
        <ConfirmDialog
          title={t(confirming.action === 'generate' ? 'payslips.confirm.generateTitle' : 'payslips.confirm.clearTitle', {
            name: confirming.row.name,
          })}
          cancelLabel={t('payslips.confirm.keep')}
          confirmLabel={t(confirming.action === 'generate' ? 'payslips.confirm.generate' : 'payslips.confirm.clear')}
          returnFocus={asker}
          testId="payslip-confirm"
          onAnswer={(confirmed) => {
            const { row, action } = confirming;
            setConfirming(null);
            if (confirmed) void change(row, action);
          }}
        >
          <p>{t(confirming.action === 'generate' ? 'payslips.confirm.generateText' : 'payslips.confirm.clearText')}</p>
        </ConfirmDialog>
      )}
    </main>
  );
}
