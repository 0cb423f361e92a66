/**
 * The activities one EPA run calls, with their timeouts and retries: delivery of one message, the
 * listing index write, and the assessment service (claims and certificate status).
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { EpaActivities } from '../../activities/types';
import type { EpaSettings } from '../definitions';

export type RunActivities = Pick<
  EpaActivities,
  'deliverMessage' | 'deliverMessages' | 'indexEpa' | 'claimWithAssessmentService' | 'certificateStatus'
> & {
  /** The listing index write as an ordinary activity: beside an Update, so its answer does not wait for it. */
  indexEpaBeside: EpaActivities['indexEpa'];
};

export function runActivities(settings: EpaSettings): RunActivities {
  const { deliverMessage } = deliveryActivities(settings);
  const { deliverMessages } = togetherActivities(settings);
  const { indexEpa } = indexActivities();
  const { indexEpa: indexEpaBeside } = indexBesideActivities();
  const { claimWithAssessmentService, certificateStatus } = assessmentActivities(settings);
  return { deliverMessage, deliverMessages, indexEpa, indexEpaBeside, claimWithAssessmentService, certificateStatus };
}

export function deliveryActivities(settings: EpaSettings): Pick<EpaActivities, 'deliverMessage'> {
  return proxyActivities<Pick<EpaActivities, 'deliverMessage'>>({
    // One attempt at one message to one recipient. The attempt heartbeats while it sends, so a
    // dead worker is noticed in 30 s, not at the timeout.
    startToCloseTimeout: settings.deliveryTimeout ?? '5 minutes',
    heartbeatTimeout: '30 seconds',
    // Transient SMTP trouble (4xx, connection refused) is retried with backoff for up to a day;
    // permanent failures are thrown non-retryable by the activity and logged here.
    scheduleToCloseTimeout: '1 day',
    retry: {
      initialInterval: settings.deliveryRetryInterval ?? '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: '30 minutes',
    },
  });
}

/**
 * One notification to all its recipients (patch 'delivery-one-task'). A recipient it cannot send
 * to now comes back in its answer and goes on to that recipient's own `deliverMessage`, which
 * retries for a day; the activity itself is tried three times (a worker that died mid-send: the
 * next attempt, on another worker, sends the rest, the sent record stopping a second send), then
 * each recipient goes on to its own. It heartbeats while it sends, as that one does.
 */
function togetherActivities(settings: EpaSettings): Pick<EpaActivities, 'deliverMessages'> {
  return proxyActivities<Pick<EpaActivities, 'deliverMessages'>>({
    startToCloseTimeout: settings.deliveryTimeout ?? '5 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: settings.deliveryRetryInterval ?? '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
  });
}

/**
 * The listing index write: a local activity (run inside the workflow task by the worker that holds
 * the EPA, so it costs no extra task), tried twice within a few seconds. A database that is away
 * must not hold up the workflow task (and with it the Update being answered), so the workflow
 * itself tries again later (publish.ts).
 */
function indexActivities(): Pick<EpaActivities, 'indexEpa'> {
  return proxyLocalActivities<Pick<EpaActivities, 'indexEpa'>>({
    startToCloseTimeout: '3 seconds',
    retry: { initialInterval: '250 milliseconds', maximumAttempts: 2 },
  });
}

/**
 * The listing index write for a change an Update made (patch 'epa-update-cost'): a local
 * activity holds the workflow task, and with it the Update's answer, until the database has
 * answered; as an ordinary activity the answer goes at once and the row follows a moment later.
 * Tried twice within 30 s; the workflow tries again later (publish.ts). An attempt has 10 s: with
 * eager dispatch (the cluster's server hands it to the worker in the task's answer) its clock starts
 * before the worker runs it, so on a busy worker 3 s timed some out that were on their way.
 */
function indexBesideActivities(): Pick<EpaActivities, 'indexEpa'> {
  return proxyActivities<Pick<EpaActivities, 'indexEpa'>>({
    scheduleToCloseTimeout: '30 seconds',
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '250 milliseconds', maximumAttempts: 2 },
  });
}

/**
 * The assessment service: a claim is tried until the service answers (it may be down for hours),
 * backing off to an attempt an hour; its validation messages come back as a result, not a failure.
 * A status read is tried a few times; the next poll tries again anyway.
 */
function assessmentActivities(settings: EpaSettings): Pick<EpaActivities, 'claimWithAssessmentService' | 'certificateStatus'> {
  const claim = proxyActivities<Pick<EpaActivities, 'claimWithAssessmentService'>>({
    startToCloseTimeout: settings.claimTimeout ?? '2 minutes',
    retry: {
      initialInterval: settings.claimRetryInterval ?? '1 minute',
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
    },
  });
  const status = proxyActivities<Pick<EpaActivities, 'certificateStatus'>>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 4 },
  });
  // Proxies have no own properties to spread: take each function.
  return { claimWithAssessmentService: claim.claimWithAssessmentService, certificateStatus: status.certificateStatus };
}
