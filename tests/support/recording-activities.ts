/**
 * A delivery activity that records what the workflow asked to send, instead of emailing it. It is a
 * real activity run by a real worker; only the outside world (SMTP) is left out, for lifecycle tests.
 */
import type { DeliveryRequest, EpaActivities, MessageRequest, MessageResult, MessagesResult } from '../../activities/types';
import type { EpaIndexChange, EpaIndexRow } from '../../workflows/definitions';
import { ApplicationFailure } from '@temporalio/common';
import { createAssessmentActivities } from '../../activities/assessment';

/**
 * A `deliverMessages` that sends through `deliverMessage` to each recipient in turn, as the real
 * one does (activities/delivery.ts): a non-retryable failure is that recipient's `failed`, any other
 * `again`. For tests that make one mailbox refuse or defer by wrapping `deliverMessage`.
 */
export function deliverEachWith(
  deliverMessage: (request: MessageRequest) => Promise<MessageResult>,
): (request: DeliveryRequest) => Promise<MessagesResult> {
  return async (request) => {
    const results: MessagesResult['results'] = [];
    for (const recipient of request.recipients) {
      try {
        results.push({ role: recipient.role, ...(await deliverMessage({ ...request, recipient })) });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof ApplicationFailure && err.nonRetryable;
        results.push(
          permanent ? { role: recipient.role, status: 'failed', error } : { role: recipient.role, status: 'again', error },
        );
      }
    }
    return { results };
  };
}

/**
 * `deliveries` has one entry per notification (with every recipient): the per-recipient messages
 * of one notification are gathered into one entry.
 */
export function recordingActivities(): {
  activities: EpaActivities;
  deliveries: DeliveryRequest[];
  /** The listing index as the workflow wrote it: the newest version of each EPA's row. */
  indexed: Map<string, { row: EpaIndexRow; version: number }>;
} {
  const deliveries: DeliveryRequest[] = [];
  const indexed = new Map<string, { row: EpaIndexRow; version: number }>();
  const byKey = new Map<string, DeliveryRequest>();
  async function deliverMessage(request: MessageRequest): Promise<MessageResult> {
    const id = `${request.epaId}/${request.notification.key}`;
    let entry = byKey.get(id);
    if (!entry) {
      const { recipient: _r, ...rest } = request;
      entry = { ...rest, recipients: [] };
      byKey.set(id, entry);
      deliveries.push(entry);
    }
    entry.recipients.push(request.recipient);
    const order = (r: { role: string }) => request.recipients.findIndex((x) => x.role === r.role);
    entry.recipients.sort((a, b) => order(a) - order(b));
    return { status: 'sent', messageId: `<${request.epaId}.${request.notification.key}.${request.recipient.role}@test>` };
  }
  return {
    deliveries,
    indexed,
    activities: {
      // No assessment service here: a claim the policy asks for becomes the admin task saying so.
      ...createAssessmentActivities({}),
      async indexEpa(change: EpaIndexChange) {
        const held = indexed.get(change.row.epaId);
        if (held && held.version >= change.version) return 'stale';
        indexed.set(change.row.epaId, change);
        return 'indexed';
      },
      deliverMessage,
      deliverMessages: deliverEachWith(deliverMessage),
    },
  };
}
