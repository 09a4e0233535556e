/**
 * The tenant's email: the password-reset message of `/dbconnections/change_password` (spec §7),
 * delivered by the provider of config `email` (delivery.ts, the same two SMS has):
 * - `outbox` (default): kept in memory for `GET /__outbox?email=<address>` (newest first, behind
 *   the same loopback guard and per-start key as the SMS outbox), plus one log line that names
 *   the address but never holds the link (the link signs a password change; the log may be kept).
 * - `webhook`: POSTs JSON `{recipient, subject, body}` to the URL (an SMTP relay or a test
 *   mailbox); a failure is logged in the tenant's own words and is never told to the caller,
 *   whose answer must not depend on whether the address has an account. What the gateway said
 *   is logged without the reset ticket (found in any escaping of the echo: it is base64url).
 */
import { terminalLine } from '../shared/untrusted-text';
import { DeliveryError, Outbox, postToWebhook, type KeptMessage, type Provider } from './delivery';

/** An email as the outbox keeps it; `link` is the reset page's URL it holds. */
export interface EmailMessage extends KeptMessage {
  subject: string;
  body: string;
  link: string;
}

/** The reset email's subject (Auth0's template's default). */
export const RESET_SUBJECT = 'Reset your password';

/** The text of a reset email for `recipient` holding `link`, valid `lifetimeSeconds`. */
export function resetEmail(
  recipient: string,
  link: string,
  lifetimeSeconds: number,
): { subject: string; body: string } {
  const minutes = Math.max(1, Math.round(lifetimeSeconds / 60));
  const lifetime = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return {
    subject: RESET_SUBJECT,
    body: [
      'Hello,',
      '',
      `Someone asked to reset the password of the account ${recipient}.`,
      `To choose a new password, open this link (it works once, for ${lifetime}):`,
      link,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}

/** `text` with every occurrence of `secret` replaced by `<ticket>`. */
function withoutSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('<ticket>') : text;
}

export class EmailSender {
  private readonly kept: Outbox<EmailMessage>;

  constructor(
    private readonly provider: Provider,
    now: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.kept = new Outbox<EmailMessage>(now);
  }

  /**
   * Hands the message to the provider. The outbox keeps it at once (synchronously, so it can be
   * read as soon as the request that sent it is answered); a webhook is awaited, and its failure
   * is logged and swallowed (see the module comment).
   */
  async send(message: {
    recipient: string;
    subject: string;
    body: string;
    link: string;
    /** The link's secret (the reset ticket): kept out of the log in whatever escaping. */
    secret: string;
  }) {
    const to = terminalLine(message.recipient);
    if (this.provider.kind === 'outbox') {
      const { recipient, subject, body, link } = message;
      this.kept.keep({ recipient, subject, body, link });
      this.log(`[email outbox] "${message.subject}" to ${to}`);
      return;
    }
    try {
      await postToWebhook(
        this.provider.url,
        { recipient: message.recipient, subject: message.subject, body: message.body },
        {
          gateway: 'email gateway',
          // The gateway may echo the message back, escaped its own way (`https:\/\/…`, `%3A%2F`):
          // the ticket, base64url, reads the same under every escaping, so it is what goes.
          logDetail: (detail) =>
            this.log(
              `[email webhook] not sent to ${to}: ${withoutSecret(terminalLine(detail), message.secret).slice(0, 300)}`,
            ),
        },
      );
      this.log(`[email webhook] "${message.subject}" sent to ${to}`);
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      this.log(`[email webhook] not sent to ${to}: ${err.message} (Code: ${err.code})`);
    }
  }

  /** Kept emails, newest first, optionally those to `recipient` (compared in lower case). */
  outbox(recipient?: string): EmailMessage[] {
    return this.kept.list(recipient?.toLowerCase());
  }
}
