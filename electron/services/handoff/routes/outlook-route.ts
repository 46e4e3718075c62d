/** Outlook on Windows: classic Outlook through COM (display or send), new Outlook through an .eml draft. */
import type { RouteOption } from '../../../../shared/handoff';
import type { ComposedMail } from '../../mail/composed-mail';
import type { HandoffChoices, HandoffContext, HandoffReceipt, MailRoute } from '../mail-route';
import { handOffToOutlook, outlookOption } from '../windows-routes';

/** The Outlook route. */
export class OutlookRoute implements MailRoute {
  readonly route = 'outlook';

  constructor(private readonly context: HandoffContext) {}

  availability(): Promise<RouteOption> {
    const { platform, env, probe } = this.context.o;
    return outlookOption(platform, env, probe);
  }

  async handOff(mail: ComposedMail, choices: HandoffChoices): Promise<HandoffReceipt> {
    const staged = await this.context.stage(mail);
    const { platform, env, probe } = this.context.o;
    return handOffToOutlook(
      {
        platform,
        env,
        probe,
        launch: (argv, options) => this.context.launch(argv, options),
        run: (argv, program) => this.context.run(argv, program),
      },
      staged.mail,
      staged.subfolder,
      staged.attachmentPath,
      choices.outlookMode ?? 'display',
    );
  }
}
