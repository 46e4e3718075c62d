/**
 * One SmtpSession against a real smtp-server: the watchdog ends a send that waits for its own
 * attachment (a network folder that stopped answering), not only one that waits for the server — and
 * nothing of that message is recorded as handed over, so the outbox retries it instead of calling it
 * uncertain.
 */
import { describe, expect, it } from 'vitest';
import { passwordCredential } from '../../../../electron/services/mail/smtp-credential';
import { SessionFailure, SmtpSession } from '../../../../electron/services/mail/smtp-session';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { testSmtpAccount } from '../../../support/smtp-test-server';

const smtpServers = faultyServers();

describe('SmtpSession', () => {
  it('cuts a send whose attachment never arrives: a timeout with no data sent, and the message never counted as handed over', async () => {
    const smtp = await smtpServers.start({});
    const account = testSmtpAccount({ port: smtp.port, trustedCertificate: smtpServers.certificate.cert });
    const session = await SmtpSession.open(account, passwordCredential('správné-heslo'));
    let handedOver = false;

    const failure: unknown = await session
      .send(
        {
          from: account.senderAddress,
          to: ['jana@firma.example'],
          // The attachment's folder stopped answering: the read never completes.
          data: () => new Promise<Buffer>(() => undefined),
          onDataSent: () => {
            handedOver = true;
          },
        },
        300,
      )
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SessionFailure);
    expect((failure as SessionFailure).failure).toMatchObject({
      watchdog: true,
      dataCompleted: false,
      error: { code: 'smtp.timeout' },
    });
    expect(handedOver).toBe(false);
    expect(session.usable).toBe(false);
    expect(smtp.received).toEqual([]);
  });
});
