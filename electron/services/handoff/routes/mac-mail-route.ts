/** The default mail client on macOS: Mail, driven by an AppleScript file run with osascript. */
import type { RouteOption } from '../../../../shared/handoff';
import { handoffFolder } from '../handoff-folder';
import type { ComposedMail } from '../../mail/composed-mail';
import { osascriptArgv, writeMacMailScript } from '../macos-mail';
import type { HandoffContext, HandoffReceipt, MailRoute } from '../mail-route';

/** The macOS Mail route. */
export class MacMailRoute implements MailRoute {
  readonly route = 'mailClient';

  constructor(private readonly context: HandoffContext) {}

  availability(): Promise<RouteOption> {
    return Promise.resolve({ route: this.route, available: true, notes: [] });
  }

  async handOff(mail: ComposedMail): Promise<HandoffReceipt> {
    const staged = await this.context.stage(mail);
    const script = await writeMacMailScript(handoffFolder(this.context.o.documentsDir));
    await this.context.run(osascriptArgv(script, staged.mail), 'Mail');
    return { route: this.route, sent: false, notes: [], attachmentPath: staged.attachmentPath, mailtoUrl: null };
  }
}
