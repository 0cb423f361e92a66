/**
 * The delivery activity: renders one email per recipient (with the calendar invite when there is
 * one) and hands it to a nodemailer transport, exactly once per (EPA, notification key, recipient).
 *
 * Exactly once: every message has a key; its Message-ID is derived from the key, and a sent record
 * is written durably (fsync, atomic rename) the moment the transport accepts the message. A retried
 * activity, a worker restarted after sending, or a replay finds the record and does not send again.
 * The one window left is between the SMTP server's 250 and the record's fsync (well under a
 * millisecond); a duplicate from it would carry the same Message-ID, which mail clients collapse.
 *
 * Failures: SMTP 5xx (e.g. 550 unknown recipient) is permanent → a non-retryable failure that the
 * workflow logs; 4xx and connection errors are transient → retried by Temporal with backoff.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { buildInvite } from './invite';
import { SentStore } from './sent-store';
import { renderMessage } from './templates';
import type { DeliveryRequest, DeliveryResult, EpaActivities, Recipient } from './types';

export interface DeliverySettings {
  transport: Transporter;
  from: { name: string; email: string };
  sent: SentStore;
  /** Test hook: runs after a message is accepted and recorded, before the activity returns. */
  afterSend?: (messageKey: string) => Promise<void> | void;
}

export function messageKey(request: DeliveryRequest, recipient: Recipient): string {
  return `${request.epaId}/${request.notification.key}/${recipient.role}`;
}

export function messageIdFor(key: string, fromEmail: string): string {
  const domain = fromEmail.split('@')[1] ?? 'epa-flow.local';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

interface SmtpError {
  responseCode?: number;
  code?: string;
  message: string;
}

function isPermanent(err: SmtpError): boolean {
  return typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600;
}

export function createDeliveryActivities(settings: DeliverySettings): EpaActivities {
  return {
    async deliverNotification(request: DeliveryRequest): Promise<DeliveryResult> {
      const invite = buildInvite(request);
      const to: string[] = [];
      const permanent: string[] = [];
      let transient: SmtpError | undefined;
      let status: DeliveryResult['status'] = 'duplicate';
      let firstId = '';
      for (const recipient of request.recipients) {
        const key = messageKey(request, recipient);
        const messageId = messageIdFor(key, settings.from.email);
        firstId ||= messageId;
        if (await settings.sent.has(key)) {
          to.push(recipient.email);
          continue;
        }
        const rendered = renderMessage(request, recipient);
        const mail: Mail.Options = {
          from: { name: settings.from.name, address: settings.from.email },
          to: { name: recipient.name, address: recipient.email },
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId,
          date: new Date(request.requestedAt),
          headers: { 'X-EPA-Key': key, 'X-EPA-Kind': request.notification.kind },
          ...(invite && { icalEvent: { method: invite.method, filename: invite.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: invite.content } }),
        };
        try {
          await settings.transport.sendMail(mail);
        } catch (err) {
          const e = err as SmtpError;
          if (isPermanent(e)) permanent.push(`${recipient.email}: ${e.responseCode} ${e.message}`);
          else transient ??= e;
          continue;
        }
        await settings.sent.record(key, { messageId, to: recipient.email, kind: request.notification.kind });
        status = 'sent';
        to.push(recipient.email);
        await settings.afterSend?.(key);
      }
      if (transient) {
        // Retryable: what was sent is recorded and will not be sent again.
        throw new Error(`SMTP unavailable (${transient.code ?? transient.responseCode ?? 'error'}): ${transient.message}`);
      }
      if (permanent.length > 0) {
        throw ApplicationFailure.nonRetryable(`rejected by the mail server: ${permanent.join('; ')}`, 'smtp_permanent');
      }
      return { status, messageId: firstId, to };
    },
  };
}
