/**
 * The one way mail leaves Concord: an SMTP transport (nodemailer) built from SMTP_URL, or
 * nothing at all without it. `send` never throws and never makes a caller wait for a slow
 * or dead SMTP server on a request: it is only called from domain-event handlers (after the
 * commit, after the response) and from the digest job. A failure is logged once, with the
 * mail's kind and ids (never addresses or text: SECURITY.md "Input and logs"), and counted
 * in `concord_mail_failures_total`.
 *
 * nodemailer is imported with the first mail, not at start: most processes send none for
 * hours, and the live path never does (bench/README.md, "Memory at start").
 */
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';

export type MailKind = 'invitation' | 'password-reset' | 'mention' | 'digest';

export interface OutgoingMail {
  to: string;
  subject: string;
  /** Plain text only: user text (comments, names, titles) can never become markup in a mail client. */
  text: string;
}

export interface Mailer {
  /** False without SMTP_URL: nothing is sent (invitation links are still shown to the inviter). */
  readonly enabled: boolean;
  /** An absolute link to a path of the web app, for mails. */
  link(path: string): string;
  /** Where links point when CONCORD_PUBLIC_URL is unset: the server's own URL, known once it listens. */
  useServerUrl(url: string): void;
  /** Resolves true when the SMTP server accepted the mail; false (logged, counted) otherwise. */
  send(kind: MailKind, mail: OutgoingMail, ids: Record<string, string>): Promise<boolean>;
  close(): void;
}

/**
 * A dead SMTP server must not hold a handler for minutes (nodemailer's defaults are 2 min
 * to connect and 10 min of socket silence): a digest run would stall behind it.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

export function createMailer(config: Config, logger: Logger, metrics: Metrics): Mailer {
  let baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const link = (path: string) => `${baseUrl}${path}`;
  const useServerUrl = (url: string) => {
    if (!config.publicUrl) baseUrl = url;
  };
  if (!config.smtp) {
    return { enabled: false, link, useServerUrl, send: () => Promise.resolve(false), close() {} };
  }
  const { from, url } = config.smtp;
  let transport: Promise<Transporter> | undefined;
  const opened = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({ url, connectionTimeout: CONNECT_TIMEOUT_MS, greetingTimeout: CONNECT_TIMEOUT_MS, socketTimeout: SOCKET_TIMEOUT_MS }),
    ));
  return {
    enabled: true,
    link,
    useServerUrl,
    async send(kind, mail, ids) {
      try {
        await (await opened()).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
        metrics.mailSent(kind);
        return true;
      } catch (err) {
        metrics.mailFailed(kind);
        // The SMTP server's message can quote the recipient: log its codes only.
        const { code = 'UNKNOWN', responseCode, command } = err as { code?: string; responseCode?: number; command?: string };
        logger.error({ kind, ...ids, code, responseCode, command }, 'mail not sent');
        return false;
      }
    },
    // A transport that never opened (or failed to load) has nothing to close.
    close: () => void transport?.then((t) => t.close(), () => {}),
  };
}
