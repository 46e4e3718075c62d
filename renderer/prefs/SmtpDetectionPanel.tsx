import type { DetectionState } from '../hooks/use-smtp-detection';
import { isValidEmailAddress } from '../../shared/mail-address';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';

/** "Find settings" and every step the detection tried, with its outcome. */
export function SmtpDetectionPanel(props: { readonly address: string; readonly state: DetectionState }) {
  const { t } = useI18n();
  const { busy, detection, error } = props.state;
  const address = props.address.trim();
  return (
    <div className="detection">
      <button
        type="button"
        name="detect"
        disabled={busy || !isValidEmailAddress(address)}
        onClick={() => void props.state.run(address)}
      >
        {busy ? t('detect.running') : t('detect.run')}
      </button>
      <div aria-live="polite" data-testid="detection">
        {busy && <p>{t('detect.lookingUp', { domain: address.slice(address.lastIndexOf('@') + 1) })}</p>}
        {detection && (
          <>
            <p className={detection.result ? 'notice notice-success' : 'notice'}>
              {detection.result
                ? t('detect.found', {
                    host: detection.result.host,
                    port: detection.result.port,
                    source: t(`detect.sources.${detection.result.source}`),
                  })
                : t('detect.notFound')}
            </p>
            <ol className="steps" aria-label={t('detect.stepsLabel')}>
              {detection.steps.map((step, index) => (
                <li key={`${String(index)}-${step.target}`} data-status={step.outcome.status}>
                  <span className="step-name">{t(`detect.sources.${step.source}`)}</span> <code>{step.target}</code> –{' '}
                  {step.outcome.status === 'failed'
                    ? t(`detect.outcomes.failed.${step.outcome.reason}`)
                    : t(`detect.outcomes.${step.outcome.status}`)}
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
