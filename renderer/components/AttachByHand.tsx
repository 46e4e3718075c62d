import { useState } from 'react';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';

/**
 * A file the mail program could not take as an attachment: its path, and a button that shows it in
 * the file manager to drag into the message. Where the shell has no file manager (the web shell), the
 * button says so and the path stays the way to find it.
 */
export function AttachByHand(props: { readonly path: string }) {
  const kurier = useKurier();
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'shown' | 'unavailable'>('idle');
  const reveal = async () => {
    const result = await kurier.export.reveal({ filePath: props.path });
    setState(result.ok && result.value.revealed ? 'shown' : 'unavailable');
  };
  return (
    <div data-testid="attach-by-hand">
      <p>{t('export.attachByHand', { path: props.path })}</p>
      <button type="button" onClick={() => void reveal()}>
        {t('export.showFile')}
      </button>
      {state !== 'idle' && <p role="status">{t(state === 'shown' ? 'export.fileShown' : 'export.fileNotShown')}</p>}
    </div>
  );
}
