import { useId, useRef, useState } from 'react';
import type { ExtraAttachment } from '../../shared/contract';
import type { KurierErrorShape } from '../../shared/errors';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { uploadFiles } from '../import-files';
import { maxUploadBytes } from '../../shared/uploads';
import { useKurier } from '../hooks/use-kurier';
import { ErrorNotice } from './ErrorNotice';

/**
 * The files the user adds to a copy besides the document's PDF: a list with a Remove button for each
 * (its accessible name says which file) and "Add files…". In Electron main's native picker chooses the
 * files; in the web shell the browser's picker does and the page hands main each file's bytes. Main
 * checks every file and answers with ids: the window never names a path.
 */
export function ExtraAttachmentsField(props: {
  readonly shell: 'electron' | 'web';
  /** The document whose copy the files go with: its account's server says how large the message may be. */
  readonly documentId: number;
  readonly files: readonly ExtraAttachment[];
  readonly onChange: (files: readonly ExtraAttachment[]) => void;
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const format = useFormat();
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [adding, setAdding] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const labelId = useId();

  const add = async () => {
    setError(null);
    if (props.shell === 'web') {
      fileInput.current?.click();
      return;
    }
    setAdding(true);
    const result = await kurier.attachments.choose({
      documentId: props.documentId,
      selected: props.files.map((file) => file.id),
    });
    setAdding(false);
    if (!result.ok) setError(result.error);
    else props.onChange([...props.files, ...result.value.added]);
  };

  // The web shell: each file uploaded in parts (its frames are limited), then checked in main like a picked one.
  const addFromPage = async (picked: readonly File[]) => {
    setError(null);
    setAdding(true);
    let files = props.files;
    for (const file of picked) {
      if (file.size > maxUploadBytes) {
        setError({
          code: 'attachment.pageLimit',
          details: { name: file.name, limitMb: Math.floor(maxUploadBytes / (1024 * 1024)) },
        });
        break;
      }
      const uploaded = await uploadFiles([file]);
      const result = uploaded.ok
        ? await kurier.attachments.addFiles({
            documentId: props.documentId,
            selected: files.map((known) => known.id),
            files: uploaded.value.map((uploadId) => ({ uploadId })),
          })
        : uploaded;
      if (!result.ok) {
        setError(result.error);
        break;
      }
      files = [...files, ...result.value];
    }
    setAdding(false);
    props.onChange(files);
    addButton.current?.focus();
  };

  const remove = (id: string) => {
    setError(null);
    props.onChange(props.files.filter((file) => file.id !== id));
    // The button pressed is gone: focus stays in the list's place, on "Add files…".
    addButton.current?.focus();
  };

  return (
    <div className="field extra-attachments" role="group" aria-labelledby={labelId}>
      <div className="field-row">
        <span id={labelId} className="label">
          {t('export.attachments')}
        </span>
        {props.files.length === 0 && <span className="hint">{t('export.noAttachments')}</span>}
        <button type="button" ref={addButton} disabled={adding} onClick={() => void add()}>
          {t('export.addFiles')}
        </button>
        {props.shell === 'web' && (
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label={t('export.addFiles')}
            data-testid="attachment-input"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length > 0) void addFromPage(files);
            }}
          />
        )}
      </div>
      {props.files.length > 0 && (
        <ul className="attachment-list" aria-labelledby={labelId}>
          {props.files.map((file) => (
            <li key={file.id}>
              <span className="attachment-name">{file.name}</span> <span className="hint">{format.fileSize(file.size)}</span>{' '}
              <button
                type="button"
                className="link"
                aria-label={t('export.removeAttachment', { name: file.name })}
                onClick={() => {
                  remove(file.id);
                }}
              >
                {t('export.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
