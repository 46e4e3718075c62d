/**
 * The preferences form's working copy: section values as the inputs hold them (numbers as typed text,
 * the SMTP account with an on/off switch), and the conversions to and from what main stores.
 */
import type {
  EffectiveSections,
  NotificationPrefs,
  OAuthApps,
  PrefSection,
  SmtpAccount,
  UiLanguage,
  SendingPrefs,
} from '../../shared/prefs';
import { defaultPortFor } from '../../shared/smtp-security';
import type { Templates } from '../../shared/templates';

/** A new, empty SMTP account as the form starts it. */
export const emptyAccount: SmtpAccount = {
  senderName: '',
  senderAddress: '',
  replyTo: '',
  bccSelf: false,
  host: '',
  port: defaultPortFor.starttls,
  security: 'starttls',
  cipherStrength: 'default',
  auth: 'password',
  username: '',
  trustedCertificate: '',
};

/** The SMTP section in the form. */
export interface SmtpDraft {
  readonly enabled: boolean;
  readonly account: SmtpAccount;
  readonly portText: string;
}

/** Every section in the form. */
export interface SectionsDraft {
  readonly smtp: SmtpDraft;
  readonly personalEmail: string;
  readonly sending: SendingPrefs;
  readonly bulk: { readonly messagesPerMinute: string; readonly messagesPerDay: string };
  readonly language: UiLanguage;
  /** The changed templates (the others are the shipped defaults). */
  readonly templates: Templates;
  readonly notifications: NotificationPrefs;
  readonly oauthApps: OAuthApps;
}

/** The form's copy of stored section values. */
export function toDraft(values: EffectiveSections): SectionsDraft {
  const account = values.smtp ?? emptyAccount;
  return {
    smtp: { enabled: values.smtp !== null, account, portText: String(account.port) },
    personalEmail: values.personalEmail,
    sending: values.sending,
    bulk: { messagesPerMinute: String(values.bulk.messagesPerMinute), messagesPerDay: String(values.bulk.messagesPerDay) },
    language: values.language,
    templates: values.templates,
    notifications: values.notifications,
    oauthApps: values.oauthApps,
  };
}

const asNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The account the form describes, port parsed (NaN when not a number: main says which field is wrong). */
export function accountOf(smtp: SmtpDraft): SmtpAccount {
  return { ...smtp.account, port: asNumber(smtp.portText) };
}

/** What main stores for one section of the form. */
export function sectionValue<S extends PrefSection>(draft: SectionsDraft, section: S): EffectiveSections[S] {
  const values: EffectiveSections = {
    smtp: draft.smtp.enabled ? accountOf(draft.smtp) : null,
    personalEmail: draft.personalEmail,
    sending: draft.sending,
    bulk: { messagesPerMinute: asNumber(draft.bulk.messagesPerMinute), messagesPerDay: asNumber(draft.bulk.messagesPerDay) },
    language: draft.language,
    templates: draft.templates,
    notifications: draft.notifications,
    oauthApps: draft.oauthApps,
  };
  return values[section];
}
