import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { DocumentSend, ExportDraft, ExportOutcome, ExtraAttachment, PayloadOf } from '../../shared/contract';
import type { KurierErrorShape } from '../../shared/errors';
import { typedKsefNumber } from '../../shared/imports';
import type { CopyRoute, HandoffRoute } from '../../shared/handoff';
import { SmtpPasswordPrompt, type TypedPassword } from '../components/SmtpPasswordPrompt';
import { DocumentSendList } from '../components/DocumentSendList';
import { ErrorNotice } from '../components/ErrorNotice';
import { ExtraAttachmentsField } from '../components/ExtraAttachmentsField';
import { OfficeChangesBanner } from '../components/OfficeChangesBanner';
import { ResendDialog, earlierSend, type EarlierSend } from '../components/ResendDialog';
import { fieldProblems } from '../field-problems';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { openExternal } from '../open-external';
import { openWindow } from '../open-window';
import { ExportResult } from './ExportResult';

type Stage = PayloadOf<'export:progressed'>['stage'];
const otherRecipient = '__other__';

/** The export dialog of one document: format, folder, and the optional e-mail copy. */
export function ExportDialog(props: { readonly documentId: number; readonly shell: 'electron' | 'web' }) {
  const kurier = useKurier();
  const { t, describe } = useI18n();
  const format = useFormat();
  const [draft, setDraft] = useState<ExportDraft | null>(null);
  const [folder, setFolder] = useState('');
  const [sendCopy, setSendCopy] = useState(false);
  const [recipientChoice, setRecipientChoice] = useState('');
  const [otherAddress, setOtherAddress] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  /** Files added besides the PDF (main knows them by id). */
  const [extras, setExtras] = useState<readonly ExtraAttachment[]>([]);
  const [typedPassword, setTypedPassword] = useState<TypedPassword>({ value: '', remember: true, acceptPlainText: false });
  const [route, setRoute] = useState<CopyRoute>('smtp');
  const [stage, setStage] = useState<Stage | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [sends, setSends] = useState<readonly DocumentSend[]>([]);
  // Instead of SMTP: the mail program main says applies (the preferred one, else Outlook, Thunderbird…).
  const [handoffFallback, setHandoffFallback] = useState<{ route: HandoffRoute } | null>(null);
  /** The copy went out (or is on its way): the form is done, only Close and "Export again" are left. */
  const [done, setDone] = useState(false);
  /** The same document to the same address again: the question shown before anything is done. */
  const [earlier, setEarlier] = useState<EarlierSend | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  /** Whole seconds since Export was pressed, while it runs: a wait over 2 s shows progress and Cancel. */
  const [elapsed, setElapsed] = useState(0);
  const waitingLong = busy && elapsed >= 2;
  const exportRef = useRef<HTMLButtonElement>(null);
  /** The KSeF number typed for a Polish invoice that has none yet, and the note once it is saved. */
  const [ksefNumber, setKsefNumber] = useState('');
  const [ksefSaved, setKsefSaved] = useState<string | null>(null);
  const [ksefError, setKsefError] = useState<KurierErrorShape | null>(null);

  useEffect(() => {
    void kurier.export.prepare({ documentId: props.documentId }).then((result) => {
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setDraft(result.value);
      setFolder(result.value.folder);
      setRecipientChoice(result.value.to || otherRecipient);
      setSubject(result.value.subject);
      setBody(result.value.body);
      setCc(result.value.cc);
      setBcc(result.value.bcc);
      setSendCopy(result.value.sendCopy);
      setSends(result.value.sends);
      // The preferred route when it works here, else Kurier's own sending, else the first that works.
      const usable = result.value.routes.filter((option) => option.available).map((option) => option.route);
      setRoute(
        usable.includes(result.value.defaultRoute)
          ? result.value.defaultRoute
          : (usable.find((r) => r === 'smtp') ?? usable[0] ?? 'smtp'),
      );
    });
    void kurier.export.fallback({ documentId: props.documentId }).then((result) => {
      setHandoffFallback(result.ok && result.value.route !== null ? { route: result.value.route } : null);
    });
  }, [kurier, props.documentId]);

  useKurierEvent('export:progressed', (payload) => {
    if (payload.documentId === props.documentId) setStage(payload.stage);
  });

  // Keyboard: focus starts on the first field; Esc closes the window (the question's own Esc comes first).
  const loaded = draft !== null;
  useEffect(() => {
    if (loaded) document.querySelector<HTMLElement>('form input:not([disabled]), form select:not([disabled])')?.focus();
  }, [loaded]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || earlier !== null) return;
      // While it runs, Esc is the Cancel button; otherwise it closes the window.
      if (busy) void kurier.export.cancel({ documentId: props.documentId });
      else window.close();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [kurier, earlier, busy, props.documentId]);
  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const timer = setInterval(() => {
      setElapsed(Math.floor((Date.now() - started) / 1000));
    }, 250);
    return () => {
      clearInterval(timer);
    };
  }, [busy]);
  useEffect(() => {
    if (waitingLong) cancelRef.current?.focus();
  }, [waitingLong]);
  useEffect(() => {
    if (done) closeRef.current?.focus();
  }, [done]);
  // A run that ended without sending (a refused field, a failure): the disabled Export button dropped
  // focus to the page, so it returns to the first field to correct, else to Export.
  const ranBusy = useRef(false);
  useEffect(() => {
    if (busy) ranBusy.current = true;
    if (busy || !ranBusy.current || done || earlier !== null) return;
    ranBusy.current = false;
    (document.querySelector<HTMLElement>('form [aria-invalid="true"]') ?? exportRef.current)?.focus();
  }, [busy, done, earlier]);

  useEffect(() => {
    if (draft) document.title = `${t('export.title', { number: draft.document.number })} – Kurier`;
  }, [draft, t]);

  if (!draft)
    return <main className="window">{error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}</main>;

  const to = recipientChoice === otherRecipient ? otherAddress.trim() : recipientChoice;
  const problem = fieldProblems(error).of;

  const chooseFolder = async () => {
    const result = await kurier.dialogs.chooseFolder({ defaultPath: folder });
    if (result.ok && result.value.path !== null) setFolder(result.value.path);
  };

  const showOutcome = (value: ExportOutcome) => {
    setOutcome(value);
    setSends(value.sends);
    // A copy that went out, or will: nothing is left to press that could send it twice.
    const mail = value.mail;
    setDone(mail !== null && (mail.ok || mail.pending !== undefined || mail.uncertain === true));
    // mailto: the system's mail handler opens the link (Electron passes it to the OS, never in-app).
    const link = value.mail?.ok === true ? value.mail.handedOff?.mailtoUrl : null;
    if (link) void openExternal(link);
  };

  const run = async (again: boolean) => {
    setElapsed(0);
    setBusy(true);
    setError(null);
    setOutcome(null);
    setStage(null);
    const result = await kurier.export.run({
      documentId: draft.document.id,
      format: 'pdf',
      folder,
      copy: sendCopy ? { to, subject, body, cc, bcc, route, again, attachments: extras.map((file) => file.id) } : null,
      smtpPassword: sendCopy && route === 'smtp' && draft.smtpPasswordNeeded && typedPassword.value !== '' ? typedPassword : null,
    });
    setBusy(false);
    if (!result.ok) {
      const previous = result.error.code === 'export.alreadySent' ? earlierSend(result.error.details) : null;
      if (previous) setEarlier(previous);
      else setError(result.error);
      return;
    }
    showOutcome(result.value);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!busy && !done) void run(false);
  };
  const answer = (send: boolean) => {
    setEarlier(null);
    if (send) void run(true);
  };
  // After SMTP failed: the PDF is saved already, so the same file goes to the mail program.
  const handOffExported = async (filePath: string, fallback: CopyRoute) => {
    if (fallback === 'smtp') return;
    setBusy(true);
    setError(null);
    const result = await kurier.export.handOff({
      documentId: draft.document.id,
      filePath,
      copy: { to, subject, body, cc, bcc, route: fallback, attachments: extras.map((file) => file.id) },
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRoute(fallback);
    showOutcome(result.value);
  };
  const chosen = draft.routes.find((option) => option.route === route);
  const { value: typedKsef, invalid: ksefInvalid, problem: ksefProblem } = typedKsefNumber(ksefNumber);
  // Saved to the document: from now on its PDF prints the number under the KSeF code instead of OFFLINE.
  const saveKsefNumber = async () => {
    setKsefError(null);
    const result = await kurier.ksef.storeNumbers({ numbers: [{ documentId: draft.document.id, ksefNumber: typedKsef }] });
    if (!result.ok) {
      setKsefError(result.error);
      return;
    }
    setDraft({ ...draft, ksefOffline: false });
    setKsefSaved(t('ksefNumbers.saved', { count: result.value.stored }));
  };

  const doc = draft.document;
  return (
    <main className="window export-window">
      <h1>{t('export.title', { number: doc.number })}</h1>
      <OfficeChangesBanner showPermissions={false} refreshKey={outcome} />
      <p className="hint">
        {t('export.summary', {
          kind: t(`kinds.${doc.kind}`),
          number: doc.number,
          partner: doc.partnerName,
          total: format.money(doc.totalMinor, doc.currency),
        })}
      </p>
      {draft.ksefOffline && (
        <section className="notice notice-warning" aria-label={t('ksefNumbers.saveOne')} data-testid="ksef-offline">
          <p role="status">{t('ksefNumbers.offlineOnExport')}</p>
          <div className="field-row">
            <TextField
              name="ksefNumber"
              label={t('ksefNumbers.numberFor', { number: doc.number, partner: doc.partnerName })}
              hint={t('ksefNumbers.hint')}
              value={ksefNumber}
              onChange={setKsefNumber}
              problem={ksefProblem}
            />
            <button type="button" disabled={typedKsef === '' || ksefInvalid} onClick={() => void saveKsefNumber()}>
              {t('ksefNumbers.saveOne')}
            </button>
          </div>
          {ksefError && <ErrorNotice error={ksefError} />}
        </section>
      )}
      {ksefSaved !== null && (
        <p role="status" data-testid="ksef-saved">
          {ksefSaved}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <fieldset className="plain" disabled={done}>
          <SelectField label={t('export.format')} value="pdf" disabled>
            <option value="pdf">{t('export.formatPdf')}</option>
          </SelectField>
          <div className="field-row">
            <TextField
              name="folder"
              label={t('export.folder')}
              value={folder}
              onChange={setFolder}
              problem={problem('folder')}
              hint={t('export.fileName', { name: draft.fileName })}
            />
            {props.shell === 'electron' && (
              <button type="button" onClick={() => void chooseFolder()}>
                {t('export.chooseFolder')}
              </button>
            )}
          </div>
          {draft.to === '' && (
            <p className="notice" role="status" data-testid="no-partner-address">
              {t('export.noPartnerAddress', { partner: doc.partnerName })}
            </p>
          )}
          <fieldset>
            <legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="sendCopy"
                  checked={sendCopy}
                  onChange={(event) => {
                    setSendCopy(event.target.checked);
                  }}
                />
                {t('export.sendCopy')}
              </label>
            </legend>
            {sendCopy && (
              <SelectField
                label={t('export.route')}
                name="route"
                value={route}
                onChange={(picked) => {
                  setRoute(picked as CopyRoute);
                }}
                after={
                  <>
                    <ul className="hint" data-testid="route-reasons">
                      {draft.routes
                        .filter((option) => !option.available && option.reason)
                        .map((option) => (
                          <li key={option.route}>
                            {t(`export.routes.${option.route}`)}: {option.reason ? describe(option.reason).message : ''}
                          </li>
                        ))}
                    </ul>
                    {chosen?.notes.map((note) => (
                      <p key={note} className="warning" data-testid={`route-note-${note}`}>
                        {t(`export.notes.${note}`)}
                      </p>
                    ))}
                  </>
                }
              >
                {draft.routes.map((option) => (
                  <option key={option.route} value={option.route} disabled={!option.available}>
                    {option.available
                      ? t(`export.routes.${option.route}`)
                      : t('export.routeUnavailable', { route: t(`export.routes.${option.route}`) })}
                  </option>
                ))}
              </SelectField>
            )}
            {sendCopy && route === 'smtp' && !draft.smtpConfigured && (
              <div className="notice" role="status" data-testid="smtp-fallback">
                <p>{t('export.smtpMissing')}</p>
                <button type="button" onClick={() => void openWindow({ window: 'userPrefs' })}>
                  {t('export.openPrefs')}
                </button>
                {handoffFallback && (
                  <button
                    type="button"
                    name="useHandoff"
                    onClick={() => {
                      setRoute(handoffFallback.route);
                    }}
                  >
                    {t('export.useHandoff', { route: t(`export.routes.${handoffFallback.route}`) })}
                  </button>
                )}
              </div>
            )}
            {sendCopy && (
              <>
                <SelectField
                  label={t('export.recipient')}
                  name="recipient"
                  value={recipientChoice}
                  onChange={(picked) => {
                    setRecipientChoice(picked);
                  }}
                >
                  {draft.recipients.map((option) => (
                    <option key={`${option.source}:${String(option.partnerId ?? 0)}:${option.address}`} value={option.address}>
                      {option.source === 'partner'
                        ? t('export.recipientPartner', { name: option.label, address: option.address })
                        : option.source === 'chosen'
                          ? t('export.recipientChosen', { address: option.address })
                          : option.source === 'office'
                            ? t('export.recipientOffice', { address: option.address })
                            : t('export.recipientPersonal', { address: option.address })}
                    </option>
                  ))}
                  <option value={otherRecipient}>{t('export.recipientOther')}</option>
                </SelectField>
                {recipientChoice === otherRecipient && (
                  <TextField
                    name="otherAddress"
                    type="email"
                    label={t('export.otherAddress')}
                    value={otherAddress}
                    onChange={setOtherAddress}
                    problem={problem('copy.to')}
                    autoComplete="email"
                  />
                )}
                {recipientChoice !== otherRecipient && problem('copy.to') !== undefined && (
                  <p className="problem">{t('fields.invalidAddress')}</p>
                )}
                <div className="field-row">
                  <TextField
                    name="cc"
                    label={t('export.cc')}
                    hint={t('prefs.addressListHint')}
                    value={cc}
                    onChange={setCc}
                    problem={problem('copy.cc')}
                  />
                  <TextField
                    name="bcc"
                    label={t('export.bcc')}
                    hint={t('prefs.addressListHint')}
                    value={bcc}
                    onChange={setBcc}
                    problem={problem('copy.bcc')}
                  />
                </div>
                <TextField
                  name="subject"
                  label={t('export.subject')}
                  value={subject}
                  onChange={setSubject}
                  problem={problem('copy.subject')}
                />
                <TextField
                  name="body"
                  label={t('export.body')}
                  value={body}
                  onChange={setBody}
                  problem={problem('copy.body')}
                  multiline
                />
                <ExtraAttachmentsField shell={props.shell} documentId={props.documentId} files={extras} onChange={setExtras} />
                {route === 'smtp' && draft.smtpPasswordNeeded && (
                  <SmtpPasswordPrompt
                    needed={draft.smtpPasswordNeeded}
                    typed={typedPassword}
                    onChange={setTypedPassword}
                    problem={problem('smtpPassword.value')}
                    companyName={draft.document.companyName}
                  />
                )}
              </>
            )}
          </fieldset>
        </fieldset>
        <div className="actions">
          {done ? (
            <>
              <button
                type="button"
                className="primary"
                ref={closeRef}
                onClick={() => {
                  window.close();
                }}
              >
                {t('export.close')}
              </button>
              <button
                type="button"
                onClick={() => {
                  setDone(false);
                  setOutcome(null);
                }}
              >
                {t('export.exportAgain')}
              </button>
            </>
          ) : (
            <button type="submit" className="primary" ref={exportRef} disabled={busy}>
              {busy ? t('export.running') : t('export.run')}
            </button>
          )}
        </div>
      </form>
      {earlier && <ResendDialog number={doc.number} earlier={earlier} onAnswer={answer} returnFocus={exportRef} />}
      <div aria-live="polite" className="status-area">
        {busy && stage && <p>{t(`export.stage.${stage}`)}</p>}
        {waitingLong && stage === 'sending' && (
          <p data-testid="export-waiting">{t('export.waitingServer', { seconds: elapsed })}</p>
        )}
      </div>
      {waitingLong && (
        <>
          <progress aria-label={t('export.running')} />
          <button type="button" ref={cancelRef} onClick={() => void kurier.export.cancel({ documentId: doc.id })}>
            {t('export.cancelSend')}
          </button>
        </>
      )}
      {error && <ErrorNotice error={error} title={t('export.failed')} />}
      {outcome && <ExportResult outcome={outcome} />}
      <DocumentSendList sends={sends} />
      {route === 'smtp' && handoffFallback && outcome?.mail?.ok === false && !outcome.mail.pending && !outcome.mail.uncertain && (
        <button
          type="button"
          name="useHandoff"
          disabled={busy}
          onClick={() => void handOffExported(outcome.filePath, handoffFallback.route)}
        >
          {t('export.useHandoff', { route: t(`export.routes.${handoffFallback.route}`) })}
        </button>
      )}
    </main>
  );
}
