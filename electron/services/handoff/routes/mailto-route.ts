/** The last resort on every system: a mailto link the window opens; the user attaches the file. */
import type { ComposedMail } from '../../mail/composed-mail';
import type { HandoffReceipt, MailRoute } from '../mail-route';
import { mailtoUrl } from '../mailto';

/** The mailto route. */
export const mailtoRoute: MailRoute = {
  route: 'mailto',
  availability: () => Promise.resolve({ route: 'mailto', available: true, notes: ['noAttachments'] }),
  handOff: (mail: ComposedMail): Promise<HandoffReceipt> => {
    const link = mailtoUrl(mail);
    return Promise.resolve({
      route: 'mailto',
      sent: false,
      notes: ['noAttachments', ...(link.bodyTruncated ? (['bodyShortened'] as const) : [])],
      attachmentPath: mail.attachments[0]?.path ?? null,
      mailtoUrl: link.url,
    });
  },
};
