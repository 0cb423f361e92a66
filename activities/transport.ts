/**
 * Mail transports: pooled SMTP (TLS) from SMTP_URL for production; by default an outbox directory
 * of .eml files that any mail client opens (the embedded default).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transport, type Transporter } from 'nodemailer';

/** SMTP connections in the pool by default; the worker runs no more deliveries at once (see delivery.ts). */
export const DEFAULT_SMTP_CONNECTIONS = 5;

export function smtpTransport(url: string, maxConnections = DEFAULT_SMTP_CONNECTIONS): Transporter {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${u.protocol}`);
  return nodemailer.createTransport({
    pool: true,
    maxConnections,
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
    secure: u.protocol === 'smtps:',
    // Plain smtp:// still upgrades with STARTTLS when the server offers it; require it off loopback.
    requireTLS:
      u.protocol === 'smtp:' &&
      !['127.0.0.1', 'localhost', '::1'].includes(u.hostname) &&
      u.searchParams.get('requireTLS') !== 'false',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** A nodemailer transport that writes each message as `<outbox>/<time>-<message-id>.eml`. */
export function outboxTransport(dir: string): Transporter {
  const transport: Transport = {
    name: 'epa-outbox',
    version: '1',
    send(mail, callback) {
      mail.message.build((buildError, message) => {
        if (buildError) return callback(buildError, undefined as never);
        const messageId = mail.message.messageId();
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId.replace(/[<>@/\\]/g, '_')}.eml`;
        const file = path.join(dir, name);
        const tmp = path.join(dir, `.${name}.tmp`);
        // Owner-only: the messages carry people's names and addresses.
        fs.mkdir(dir, { recursive: true, mode: 0o700 })
          .then(() => fs.writeFile(tmp, message, { mode: 0o600 }))
          .then(() => fs.rename(tmp, file))
          .then(
            () => callback(null, { envelope: mail.message.getEnvelope(), messageId, path: file }),
            (err: Error) => callback(err, undefined as never),
          );
      });
    },
  };
  return nodemailer.createTransport(transport);
}

export function transportFromConfig(config: { SMTP_URL?: string; outboxDir: string; EPA_SMTP_MAX_CONNECTIONS?: number }): {
  transport: Transporter;
  describe: string;
  /** How many messages may be in flight at once without queueing inside the transport. */
  concurrency: number;
} {
  if (config.SMTP_URL) {
    const u = new URL(config.SMTP_URL);
    const connections = config.EPA_SMTP_MAX_CONNECTIONS ?? DEFAULT_SMTP_CONNECTIONS;
    return {
      transport: smtpTransport(config.SMTP_URL, connections),
      describe: `SMTP ${u.protocol}//${u.hostname}:${u.port} (${connections} connections)`,
      concurrency: connections,
    };
  }
  return { transport: outboxTransport(config.outboxDir), describe: `outbox ${config.outboxDir}`, concurrency: 10 };
}
