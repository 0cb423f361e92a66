/**
 * The delivery activities: render one email for each recipient (with the calendar invite when there
 * is one) and hand it to a nodemailer transport, exactly once per (EPA, notification key, recipient):
 * `deliverMessages` to every recipient of a notification in turn, in one task (what it cannot send
 * now it hands back), `deliverMessage` to one recipient, retried by Temporal.
 *
 * Exactly once, even when the mail server is slow:
 * 1. The message is claimed in the sent store (owner: this activity attempt, with a lease) before
 *    the SMTP server is spoken to. An attempt that finds the message `sent` returns; one that finds
 *    another attempt's live claim sends nothing and is retried later (`delivery_in_progress`).
 * 2. While it sends, the attempt heartbeats to Temporal and renews its lease, so Temporal does not
 *    give up on a live attempt and start another (the activity's timeouts are set for one message,
 *    and the worker runs no more deliveries at once than the SMTP pool has connections, so no time
 *    is spent queued inside the pool).
 * 3. The sent record is written (fsync, atomic rename) the moment the server answers 250.
 * The one window left is a worker killed between the 250 and that record: the retry resends that
 * one message, with the same Message-ID (derived from the key), which mail systems collapse.
 *
 * Failures: SMTP 5xx (e.g. 550 unknown recipient) is permanent → a non-retryable failure that the
 * workflow logs; 4xx and connection errors are transient → retried by Temporal with backoff.
 * Error messages never carry the recipient's address (they reach logs and the EPA's status).
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { withoutPersonalData } from '../src/redact';
import { buildInvite } from './invite';
import type { SentCopies, SentCopy, SentRecordStore } from './sent-record';
import { renderMessage } from './templates';
import type {
  DeliveryRequest,
  EpaActivities,
  MessageRequest,
  MessageResult,
  MessagesResult,
  Recipient,
  RecipientOutcome,
} from './types';

/** The delivery activities (the worker adds the listing index activity beside them). */
export type DeliveryActivities = Pick<EpaActivities, 'deliverMessage' | 'deliverMessages'>;

export interface DeliverySettings {
  transport: Transporter;
  from: { name: string; email: string };
  sent: SentRecordStore;
  /** Where each message's copy is kept for the staff pages (the worker passes its sent store); none: no copies. */
  copies?: SentCopies;
  /** How long a claim holds without renewal (default 30 s); renewed every `heartbeatEveryMs`. */
  leaseMs?: number;
  /** Heartbeat and lease renewal interval while sending (default 5 s). */
  heartbeatEveryMs?: number;
  /** Test hook: runs after a message is accepted and recorded, before the activity returns. */
  afterSend?: (messageKey: string) => Promise<void> | void;
  /** Clock (tests). */
  now?: () => number;
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

/**
 * The server's reply decides (5xx permanent, 4xx transient); without one, an envelope nodemailer
 * refuses before sending (EENVELOPE: no valid recipient address) is permanent, as a retry sends the same.
 */
function isPermanent(err: SmtpError): boolean {
  if (typeof err.responseCode === 'number') return err.responseCode >= 500 && err.responseCode < 600;
  return err.code === 'EENVELOPE';
}

/** Who this attempt is, in the sent store's claims: one activity attempt of one workflow. */
function attemptOwner(): string {
  try {
    const info = Context.current().info;
    return `${info.workflowExecution?.workflowId ?? info.workflowType}/${info.activityId}/${info.attempt}`;
  } catch {
    return `local/${process.pid}/${Date.now()}`; // called outside an activity (tests of the legacy path)
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity context: nothing to tell
  }
}

type Outcome = MessageResult | { status: 'permanent' | 'transient'; error: SmtpError; messageId: string };

/**
 * The message and its invite, or a non-retryable failure (`message_unbuildable`) saying why in words
 * without the recipient's address: rendering is deterministic, so a retry would fail the same way.
 */
export function buildOrRefuse(
  request: DeliveryRequest,
  recipient: Recipient,
  from: { name: string; email: string },
): { invite: ReturnType<typeof buildInvite>; rendered: ReturnType<typeof renderMessage> } {
  try {
    return { invite: buildInvite(request, { name: from.name, email: from.email }), rendered: renderMessage(request, recipient) };
  } catch (err) {
    const why = withoutPersonalData(err instanceof Error ? err.message : String(err), 300);
    throw ApplicationFailure.nonRetryable(
      `the ${request.notification.kind} message cannot be built, and never will be: ${why}`,
      'message_unbuildable',
    );
  }
}

/** The message as it goes out, for the staff pages: its text, and the invite's when and where. */
export function copyOf(
  request: DeliveryRequest,
  recipient: Recipient,
  rendered: { subject: string; text: string },
  at: number,
): SentCopy {
  const n = request.notification;
  const invite =
    (n.kind === 'invite' || n.kind === 'inviteCancelled' || n.kind === 'inviteCancelledAtOldAddress') &&
    n.assessmentAt !== undefined;
  return {
    epaId: request.epaId,
    key: n.key,
    role: recipient.role,
    kind: n.kind,
    to: { name: recipient.name, email: recipient.email },
    subject: rendered.subject,
    text: rendered.text,
    ...(invite && {
      invite: {
        method: n.kind === 'invite' ? ('REQUEST' as const) : ('CANCEL' as const),
        ...(n.assessmentAt && { at: n.assessmentAt }),
        ...(n.durationMinutes && { durationMinutes: n.durationMinutes }),
        ...(n.location && { location: n.location }),
      },
    }),
    keptAt: new Date(at).toISOString(),
  };
}

export function createDeliveryActivities(settings: DeliverySettings): DeliveryActivities {
  const leaseMs = settings.leaseMs ?? 30_000;
  const every = settings.heartbeatEveryMs ?? 5_000;
  const now = settings.now ?? (() => Date.now());

  async function sendOne(request: DeliveryRequest, recipient: Recipient, owner: string): Promise<Outcome> {
    const key = messageKey(request, recipient);
    const messageId = messageIdFor(key, settings.from.email);
    const expiresAt = request.notification.expiresAt;
    if (expiresAt !== undefined && now() >= expiresAt && !(await settings.sent.has(key))) return { status: 'expired', messageId };
    // Building the message is pure: one that cannot be built now never can (a London time that does
    // not exist, say), so it fails at once, non-retryable, before anything is claimed or sent.
    const { invite, rendered } = buildOrRefuse(request, recipient, settings.from);
    const claim = await settings.sent.claim(key, owner, leaseMs);
    if (claim.outcome === 'sent') return { status: 'duplicate', messageId };
    if (claim.outcome === 'busy') {
      throw ApplicationFailure.retryable(
        `another attempt is sending this message (lease until ${new Date(claim.until).toISOString()})`,
        'delivery_in_progress',
      );
    }
    // ORGANIZER and From agree: the invite comes from whoever sends the mail (EPA_FROM_NAME/EPA_FROM_EMAIL);
    // replies go to the EPAO's admin mailbox.
    const mail: Mail.Options = {
      from: { name: settings.from.name, address: settings.from.email },
      replyTo: { name: request.context.epaoName, address: request.context.epaoEmail },
      to: { name: recipient.name, address: recipient.email },
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
      date: new Date(request.requestedAt),
      // To an address no longer the contact's, nothing personal: not even the EPA's key (it holds the ULN).
      headers:
        request.notification.kind === 'inviteCancelledAtOldAddress'
          ? { 'X-EPA-Kind': request.notification.kind }
          : { 'X-EPA-Key': key, 'X-EPA-Kind': request.notification.kind },
      ...(invite && {
        icalEvent: {
          method: invite.method,
          filename: invite.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
          content: invite.content,
        },
      }),
    };
    // The copy staff read on the EPA's message page: written before the send, so a message that
    // fails still shows what it tried to send; a later attempt (a resend) replaces it.
    await settings.copies?.keep(copyOf(request, recipient, rendered, now()));
    heartbeat();
    const ticker = setInterval(() => {
      heartbeat();
      settings.sent.renew(key, owner, leaseMs).catch(() => undefined);
    }, every);
    try {
      await settings.transport.sendMail(mail);
    } catch (err) {
      clearInterval(ticker);
      await settings.sent.release(key, owner).catch(() => undefined);
      const e = err as SmtpError;
      return { status: isPermanent(e) ? 'permanent' : 'transient', error: e, messageId };
    }
    clearInterval(ticker);
    await settings.sent.record(key, owner, { messageId, role: recipient.role, kind: request.notification.kind });
    await settings.afterSend?.(key);
    return { status: 'sent', messageId };
  }

  const describe = (e: SmtpError): string => `${e.responseCode ?? e.code ?? 'error'} ${withoutPersonalData(e.message, 300)}`;

  return {
    async deliverMessage(request: MessageRequest): Promise<MessageResult> {
      const outcome = await sendOne(request, request.recipient, attemptOwner());
      if (outcome.status === 'permanent') {
        throw ApplicationFailure.nonRetryable(`rejected by the mail server: ${describe(outcome.error)}`, 'smtp_permanent');
      }
      if (outcome.status === 'transient')
        throw ApplicationFailure.retryable(`SMTP unavailable: ${describe(outcome.error)}`, 'smtp_transient');
      return { status: outcome.status, messageId: outcome.messageId };
    },

    async deliverMessages(request: DeliveryRequest): Promise<MessagesResult> {
      const owner = attemptOwner();
      const results: RecipientOutcome[] = [];
      // One recipient after another: no more messages in flight than the worker has delivery slots.
      for (const recipient of request.recipients) {
        const role = recipient.role;
        try {
          const outcome = await sendOne(request, recipient, owner);
          if (outcome.status === 'permanent')
            results.push({ role, status: 'failed', error: `rejected by the mail server: ${describe(outcome.error)}` });
          else if (outcome.status === 'transient')
            results.push({ role, status: 'again', error: `SMTP unavailable: ${describe(outcome.error)}` });
          else results.push({ role, status: outcome.status, messageId: outcome.messageId });
        } catch (err) {
          // A message that cannot be built fails for good; a claim held by another attempt, or a
          // sent record that is away, is for the recipient's own delivery to retry.
          const message = withoutPersonalData(err instanceof Error ? err.message : String(err), 300);
          const permanent = err instanceof ApplicationFailure && err.nonRetryable;
          results.push({ role, status: permanent ? 'failed' : 'again', error: message });
        }
        heartbeat();
      }
      return { results };
    },
  };
}
