import { defaultResendGuardDays, sendRoutes } from '../../shared/prefs';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { type SectionsDraft } from './draft';

/** The sending section: copy route, Outlook mode, copy default, payslip protection, Cc/Bcc presets, resend guard. */
export function SendingFields(props: {
  readonly value: SectionsDraft['sending'];
  readonly disabled: boolean;
  readonly onChange: (value: SectionsDraft['sending']) => void;
  readonly problem: (field: string) => string | undefined;
}) {
  const { t } = useI18n();
  const { value } = props;
  const guardDays = value.resendGuardDays ?? defaultResendGuardDays;
  return (
    <>
      <SelectField
        label={t('prefs.route')}
        name="route"
        value={value.route}
        disabled={props.disabled}
        onChange={(picked) => {
          props.onChange({ ...value, route: picked as typeof value.route });
        }}
      >
        {sendRoutes.map((route) => (
          <option key={route} value={route}>
            {t(`prefs.routes.${route}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('prefs.outlookMode')}
        name="outlookMode"
        value={value.outlookMode}
        disabled={props.disabled}
        onChange={(picked) => {
          props.onChange({ ...value, outlookMode: picked as typeof value.outlookMode });
        }}
        hint={t('prefs.outlookModeHint')}
      >
        {(['display', 'send'] as const).map((option) => (
          <option key={option} value={option}>
            {t(`prefs.outlookModeOptions.${option}`)}
          </option>
        ))}
      </SelectField>
      <label className="checkbox">
        <input
          type="checkbox"
          name="sendCopyDefault"
          checked={value.sendCopy}
          disabled={props.disabled}
          onChange={(event) => {
            props.onChange({ ...value, sendCopy: event.target.checked });
          }}
        />
        {t('prefs.sendCopyDefault')}
      </label>
      <SelectField
        label={t('prefs.payslipProtection')}
        name="payslipProtection"
        value={value.payslipProtection}
        disabled={props.disabled}
        onChange={(picked) => {
          props.onChange({ ...value, payslipProtection: picked as typeof value.payslipProtection });
        }}
      >
        {(['optional', 'mandatory'] as const).map((option) => (
          <option key={option} value={option}>
            {t(`prefs.payslipProtectionOptions.${option}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        name="ccPreset"
        label={t('prefs.ccPreset')}
        hint={t('prefs.addressListHint')}
        value={value.cc}
        disabled={props.disabled}
        onChange={(cc) => {
          props.onChange({ ...value, cc });
        }}
        problem={props.problem('cc')}
      />
      <TextField
        name="bccPreset"
        label={t('prefs.bccPreset')}
        hint={t('prefs.addressListHint')}
        value={value.bcc}
        disabled={props.disabled}
        onChange={(bcc) => {
          props.onChange({ ...value, bcc });
        }}
        problem={props.problem('bcc')}
      />
      <TextField
        name="resendGuardDays"
        type="number"
        label={t('prefs.resendGuardDays')}
        hint={t('prefs.resendGuardDaysHint')}
        value={Number.isNaN(guardDays) ? '' : String(guardDays)}
        disabled={props.disabled}
        onChange={(text) => {
          props.onChange({ ...value, resendGuardDays: text.trim() === '' ? Number.NaN : Number(text) });
        }}
        problem={props.problem('resendGuardDays')}
      />
    </>
  );
}
