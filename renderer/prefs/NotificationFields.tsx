import { notificationEvents } from '../../shared/prefs';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';
import { type SectionsDraft } from './draft';

/** One row per notification event: on or off, and the address it goes to. */
export function NotificationFields(props: {
  readonly value: SectionsDraft['notifications'];
  readonly disabled: boolean;
  readonly onChange: (value: SectionsDraft['notifications']) => void;
  readonly problem: (field: string) => string | undefined;
}) {
  const { t } = useI18n();
  const { value } = props;
  return (
    <>
      {notificationEvents.map((event) => (
        <div key={event} className="field-row">
          <label className="checkbox">
            <input
              type="checkbox"
              name={`notify-${event}`}
              checked={value[event].enabled}
              disabled={props.disabled}
              onChange={(change) => {
                props.onChange({ ...value, [event]: { ...value[event], enabled: change.target.checked } });
              }}
            />
            {t(`notifications.events.${event}`)}
          </label>
          <TextField
            name={`notify-${event}-to`}
            type="email"
            label={t('notifications.to')}
            value={value[event].to}
            disabled={props.disabled || !value[event].enabled}
            onChange={(to) => {
              props.onChange({ ...value, [event]: { ...value[event], to } });
            }}
            problem={props.problem(`${event}.to`)}
          />
        </div>
      ))}
    </>
  );
}
