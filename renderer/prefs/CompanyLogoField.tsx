import { useId, useState } from 'react';
import { maxLogoBytes, type CompanyProfileView } from '../../shared/company-profile';
import type { KurierErrorShape } from '../../shared/errors';
import { SaveStatus } from '../components/SaveStatus';
import { uploadFiles } from '../import-files';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

/**
 * A company's optional logo: the page reads the chosen file and sends its bytes (as every file upload
 * of the web shell does); main keeps it only when its bytes are a PNG or JPEG of at most 1 MB, and says
 * why otherwise.
 */
export function CompanyLogoField(props: {
  readonly company: CompanyProfileView;
  readonly onChanged: (company: CompanyProfileView) => void;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [status, setStatus] = useState('');
  const { company } = props;

  const answer = (result: Awaited<ReturnType<typeof kurier.companies.removeLogo>>, done: string) => {
    if (!result.ok) {
      setStatus('');
      setError(result.error);
      return;
    }
    setError(null);
    setStatus(done);
    props.onChanged(result.value);
  };

  const choose = async (file: File) => {
    // A file over the limit is not read: main hears its size and says why it is refused.
    if (file.size > maxLogoBytes) {
      answer(await kurier.companies.setLogo({ companyId: company.id, size: file.size }), '');
      return;
    }
    const uploaded = await uploadFiles([file]);
    if (!uploaded.ok) {
      setStatus('');
      setError(uploaded.error);
      return;
    }
    const [uploadId] = uploaded.value;
    if (uploadId === undefined) return;
    const result = await kurier.companies.setLogo({ companyId: company.id, uploadId });
    answer(result, t('companyProfile.logoSaved', { company: company.name }));
  };

  return (
    <fieldset className="company-logo">
      <legend>{t('companyProfile.logo')}</legend>
      <p className="source" data-testid="company-logo-state">
        {company.hasLogo ? t('companyProfile.hasLogo') : t('companyProfile.noLogo')}
      </p>
      <div className="field">
        <label htmlFor={inputId}>{t('companyProfile.chooseLogo')}</label>
        <input
          id={inputId}
          type="file"
          accept="image/png,image/jpeg"
          aria-describedby={hintId}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void choose(file);
          }}
        />
        <p id={hintId} className="hint">
          {t('companyProfile.logoHint')}
        </p>
      </div>
      {company.hasLogo && (
        <button
          type="button"
          onClick={() =>
            void kurier.companies.removeLogo({ companyId: company.id }).then((result) => {
              answer(result, t('companyProfile.logoRemoved', { company: company.name }));
            })
          }
        >
          {t('companyProfile.removeLogo')}
        </button>
      )}
      <SaveStatus status={status} error={error} />
    </fieldset>
  );
}
