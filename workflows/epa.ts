/**
 * One durable workflow per apprentice's EPA (id `epa-<ULN>`), from gateway to certificate.
 *
 * The durable shell only: admin events arrive as Updates, the rules core (src/epa) judges and
 * applies them, says which deadlines stand and what to send when; this workflow sleeps until the
 * next of those instants or the next Update, hands due notifications to the delivery activity, and
 * keeps the search attributes current. It holds no rule of its own.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log as workflowLog,
  proxyActivities,
  proxyLocalActivities,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { EpaActivities, DeliveryRequest, Recipient } from '../activities/types';
import { londonDateOf } from '../src/calendar/london';
import { EpaDuplicateEventError, EpaInputError, EpaRuleViolationError, EpaTransitionError } from '../src/epa/errors';
import { checkEventId, rememberEventId, type SeenEventIds } from '../src/epa/event-ids';
import { admitEvent, newEpa, recordEvent, startingState, view, type EpaView } from '../src/epa/evaluate';
import { claimsThroughService, familyNameOf, serviceClaim, type ServiceClaim } from '../src/epa/certificate-claims';
import { rulesBeforePinning } from './rules-before-pinning';
import { recipientsFor } from '../src/epa/recipients';
import {
  invitesAfterVoid,
  offsetAfterCorrection,
  trimRecorded,
  voidEvent,
  withInviteOffsets,
  type InviteOffsets,
  type RecordedEvent,
} from '../src/epa/corrections';
import { parseEvent } from '../src/epa/event-check';
import { appendTimeline, timelineEntry, type TimelineEntry } from '../src/epa/timeline';
import { applyContactChange } from '../src/epa/contacts';
import { triageLateEntry } from '../src/epa/late-entry';
import { dueNotifications, nextWakeUp, type Notification } from '../src/epa/notifications';
import { workflowIdFor } from '../src/epa/ids';
import type { EpaStart, EpaWorkflowInput, People } from '../src/epa/people';
import { applyEvent, type RuleContext } from '../src/epa/reducer';
import type { EpaState } from '../src/epa/state';
import {
  EpaApprenticeKey,
  EpaBookingDays,
  EpaEmployer,
  EpaEmployerKey,
  EpaEpao,
  EpaNextDeadline,
  EpaOverdue,
  EpaOverdueSince,
  EpaOwner,
  EpaProviderKey,
  EpaStage,
  EpaStandard,
  employerKey,
} from '../src/temporal/search-attributes';
import {
  eventUpdates,
  listingAttributes,
  bookedAssessments,
  listingMemo,
  listingRow,
  LOG_ENTRIES_KEPT,
  SENT_KEYS_CARRIED,
  statusQuery,
  summarise,
  type EpaCarry,
  type EpaIndexRow,
  type EpaSettings,
  type EpaStatus,
  type EventPayload,
  type NotificationLogEntry,
  type RulesInUse,
} from './definitions';

export * from './definitions';

function deliveryActivities(settings: EpaSettings): EpaActivities {
  return proxyActivities<EpaActivities>({
    // One attempt at one message (the legacy activity: one notification to every recipient). The
    // attempt heartbeats while it sends, so a dead worker is noticed in 30 s, not at the timeout.
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

/** The legacy activity's options, unchanged, for histories recorded before per-recipient delivery. */
function legacyDeliveryActivities(settings: EpaSettings): EpaActivities {
  return proxyActivities<EpaActivities>({
    startToCloseTimeout: settings.deliveryTimeout ?? '1 minute',
    scheduleToCloseTimeout: '1 day',
    retry: {
      initialInterval: settings.deliveryRetryInterval ?? '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: '30 minutes',
    },
  });
}

/**
 * The listing index write: a local activity (run inside the workflow task by the worker that holds
 * the EPA, so it costs no extra task), tried twice within a few seconds. A database that is away
 * must not hold up the workflow task (and with it the Update being answered), so the workflow
 * itself tries again later: after 5 seconds, doubling to half an hour (indexRetryDelay).
 */
function indexActivities(): Pick<EpaActivities, 'indexEpa'> {
  return proxyLocalActivities<Pick<EpaActivities, 'indexEpa'>>({
    startToCloseTimeout: '3 seconds',
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

/** Polling a claimed certificate's status: first a day after the claim, then backing off to once a week (reset when it changes). */
const DAY_MS = 24 * 60 * 60 * 1000;

/** How long to wait before writing the index row again after `failures` failed writes in a row. */
function indexRetryDelay(failures: number): number {
  return Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, failures - 1));
}

/** Continue-as-new past this many history events (the server suggests it much later). */
const DEFAULT_HISTORY_LIMIT = 4000;

export async function epaWorkflow(input: EpaWorkflowInput, carry?: EpaCarry, settings: EpaSettings = {}): Promise<EpaStatus> {
  // Patch 'late-entry', decided once per run: runs started on this code tell the truth about facts
  // entered late (src/epa/late-entry.ts); runs started before it keep their old behaviour to the end.
  const lateEntry = patched('late-entry');
  // Patch 'trusted-invites', likewise once per run: a reschedule that changes the assessor sends the
  // replaced assessor a CANCEL (a notification older runs never scheduled).
  const features = {
    cancelReplacedAssessor: patched('trusted-invites'),
    // Patch 'seed-epa-period', once per run: no extension of the EPA period for extenuating
    // circumstances (no seed has one); runs started before it keep the 4 weeks they had.
    legacyEpaPeriodExtension: !patched('seed-epa-period'),
    // Patch 'recorded-results', once per run: a taken assessment is never wiped by extenuating
    // circumstances, and a grade re-recorded is a correction with a reason.
    legacyResultCorrections: !patched('recorded-results'),
  };
  // The same patch: the gateway form deadline is the employer's, met by the latest submission, and alerts when missed.
  // Patch 'seed-rules-ii', once per run: the gateway evidence checklist, planning meeting, moderation,
  // late work as violations, the whole-EPA retake (004), result deadlines that survive an early resit,
  // and the messages the seeds imply. Runs started before it keep the rules they had.
  const ruleFidelityII = patched('seed-rules-ii');
  // Patch 'memo-bookings', once per run: the memo also lists the assessments booked and not yet
  // taken, so the board's next 14 days show them without querying each EPA.
  const memoBookings = patched('memo-bookings');
  Object.assign(features, {
    alertGatewayForm: !features.legacyResultCorrections,
    beforeRuleFidelityII: !ruleFidelityII,
    seedMessages: ruleFidelityII,
  });
  const historyLimit = settings.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const { deliverMessage } = deliveryActivities(settings);
  const { deliverNotification } = legacyDeliveryActivities(settings);
  const { indexEpa } = indexActivities();
  const { claimWithAssessmentService, certificateStatus } = assessmentActivities(settings);
  // Patch 'certificate-claims', once per run: EPAs whose EPAO claims through the assessment service
  // make their claims and track the certificate (runs started before it leave the claim to staff).
  const certificateClaims = patched('certificate-claims');
  const FIRST_POLL_MS = settings.certificatePollInterval ? msToNumber(settings.certificatePollInterval) : DAY_MS;
  const LONGEST_POLL_MS = 7 * FIRST_POLL_MS;
  const epaId = workflowIdFor(input.uln);
  let ctx: RuleContext;
  let rulesInUse: RulesInUse;
  let state: EpaState;
  /** The state before the events kept individually (older ones are folded in; they cannot be voided). */
  let base: EpaState;
  /** The newest events, kept to work the state out again when one is voided (corrections.ts). */
  let recorded: RecordedEvent[];
  try {
    // The rules pinned when the EPA started; a run started before pinning keeps the rules it had then.
    const pinned = input.rules ?? rulesBeforePinning(input.standard, input.epao);
    if (!pinned) throw new EpaInputError(`no rules for ${input.standard} assessed by ${input.epao}`, 'standard');
    rulesInUse = {
      standard: pinned.plan.standard,
      version: pinned.plan.version,
      planHash: pinned.planHash,
      epao: pinned.policy.id,
      policyHash: pinned.policyHash,
      pinned: input.rules !== undefined,
    };
    ctx = { plan: pinned.plan, policy: pinned.policy, features };
    state = carry?.state ?? firstState(input, ctx);
    view(state, ctx, Date.now()); // every date the rules derive must be computable
    if (carry) {
      base = carry.base ?? carry.state;
      recorded = carry.recorded ?? [];
    } else {
      base = applyEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: input.gatewaySubmittedOn }, 0, ctx).state;
      recorded = (input.events ?? []).map((raw, i) => ({ event: parseEvent(raw, `events[${i}]`) as RecordedEvent['event'] }));
      base = trimRecorded(ctx, base, recorded);
    }
  } catch (err) {
    // Input the client would have refused (started around it): end cleanly with the reason rather
    // than fail every workflow task for ever.
    throw ApplicationFailure.nonRetryable(
      `cannot start this EPA: ${err instanceof Error ? err.message : String(err)}`,
      'invalid_start',
    );
  }
  const sent = new Set<string>(carry?.sent ?? []);
  const log: NotificationLogEntry[] = carry?.log ?? [];
  let changes = 0;
  /** Who the EPA writes to: as started, with any ContactDetailsChanged since. */
  let people: People = carry?.people ?? {
    apprentice: input.apprentice,
    employer: input.employer,
    provider: input.provider,
    epaoAdmin: input.epaoAdmin,
  };
  /** Added to an assessment's invite SEQUENCE when sent: a void re-issued or cancelled it above the rules' count. */
  const inviteOffsets: InviteOffsets = { ...(carry?.inviteOffsets ?? {}) };
  /** Invites a void put right, with their SEQUENCE already final, for the loop to send. */
  const corrections: Notification[] = [];
  /** The audit staff read: every event, who recorded it and when, what it changed (the newest 500). */
  const timeline: TimelineEntry[] = carry ? (carry.timeline ?? []) : startTimeline();
  /** Ids of events recorded so far (the newest 1,000), to recognise a repeat. */
  const eventIds: SeenEventIds = { ...(carry?.eventIds ?? {}) };
  /**
   * The notification keys scheduled at the previous look: what is new to the schedule was entered
   * late if its moment has passed. A new EPA knows nothing yet (its history is entered at start); a
   * continued run takes the carried schedule as known.
   */
  let known: Set<string> | undefined = carry ? undefined : new Set();
  /** Deliveries under way (per-recipient delivery runs them beside the loop, never blocking it). */
  let inFlight = 0;
  let published: Record<string, unknown> = {};
  /**
   * The listing index (patch 'listing-index'): one write at a time, always of the newest row (rows
   * that change while one is being written are coalesced), each with a higher version than the last.
   */
  const index = {
    /** The row last written, as JSON; the row waiting to be written; whether a write is under way. */
    written: '',
    wanted: undefined as EpaIndexRow | undefined,
    writing: false,
    version: carry?.indexVersion ?? 0,
    failures: 0,
    /** After a failed write: not before this instant (workflow time). */
    retryAt: undefined as number | undefined,
  };

  const current = (): EpaView => view(state, ctx, Date.now());
  const status = (v: EpaView = current()): EpaStatus => ({
    ...v,
    epaId,
    uln: input.uln,
    people,
    eventCount: state.eventCount,
    overrides: state.violations
      .filter((x) => x.overridden !== undefined)
      .map((x) => ({ rule: x.rule, reason: x.overridden!, event: x.event, on: x.on })),
    log,
    completed: v.stage === 'Completed' || v.stage === 'Withdrawn',
    runs: carry?.runs ?? 1,
    rules: rulesInUse,
    ...(input.restartOf && { restartOf: input.restartOf }),
    timeline,
    ...(certificateClaims && certificateTaskNow()),
  });

  const publish = (v: EpaView): void => {
    const next: Record<string, unknown> = {
      stage: v.stage,
      overdue: v.overdue,
      nextDeadline: v.nextDeadline?.dueAt ?? null,
    };
    const updates: SearchAttributeUpdatePair[] = [];
    if (published.stage !== next.stage) updates.push({ key: EpaStage, value: v.stage });
    if (published.overdue !== next.overdue) updates.push({ key: EpaOverdue, value: v.overdue });
    if (published.nextDeadline !== next.nextDeadline) {
      updates.push({ key: EpaNextDeadline, value: v.nextDeadline ? new Date(v.nextDeadline.dueAt) : null });
    }
    if (Object.keys(published).length === 0) {
      updates.push(
        { key: EpaStandard, value: input.standard },
        { key: EpaEpao, value: input.epao },
        { key: EpaEmployer, value: people.employer.organisation },
      );
    } else if (published.employer !== people.employer.organisation) {
      // The employer's name was corrected (ContactDetailsChanged): lists and the filter follow.
      updates.push(
        { key: EpaEmployer, value: people.employer.organisation },
        { key: EpaEmployerKey, value: employerKey(people.employer.organisation) },
      );
    }
    next.employer = people.employer.organisation;
    // Patch 'listing-attributes': what the lists filter, sort and page by on the server (name and
    // provider keys, who must act on the most urgent missed deadline, and since when it is missed).
    // Runs started earlier gain them at their next change.
    if (patched('listing-attributes')) {
      const listing = listingAttributes(people, v);
      if (published.apprenticeKey !== listing.apprenticeKey)
        updates.push({ key: EpaApprenticeKey, value: listing.apprenticeKey });
      if (published.providerKey !== listing.providerKey) updates.push({ key: EpaProviderKey, value: listing.providerKey });
      if (published.owner !== listing.owner) updates.push({ key: EpaOwner, value: listing.owner });
      if (published.overdueSince !== listing.overdueSince) {
        updates.push({ key: EpaOverdueSince, value: listing.overdueSince === null ? null : new Date(listing.overdueSince) });
      }
      if (published.bookingDays !== listing.bookingDays) {
        updates.push({ key: EpaBookingDays, value: listing.bookingDays ? listing.bookingDays.split(' ') : null });
      }
      Object.assign(next, listing);
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
    // Patch 'epa-memo' (added after the first histories were recorded): the memo carries what list
    // views show (who, which deadlines are missed) so ops listings need no per-EPA query.
    const memo = { ...listingMemo({ ...input, ...people }, v), ...(memoBookings && { bookings: bookedAssessments(v) }) };
    const memoJson = JSON.stringify(memo);
    if (memoJson !== published.memo && patched('epa-memo')) upsertMemo({ ...memo });
    next.memo = memoJson;
    published = next;
    // Patch 'listing-index': the row the finder, the board and the CSV read when a database is
    // configured. Runs started earlier write theirs at their next change (epa-flow reindex fills the rest).
    if (patched('listing-index')) offerIndexRow(listingRow(epaId, input, people, v, workflowInfo().startTime.toISOString()));
  };

  function offerIndexRow(row: EpaIndexRow): void {
    if (JSON.stringify(row) === index.written && index.wanted === undefined) return;
    index.wanted = row;
    writeIndex();
  }

  /** Writes the newest wanted row, unless a write is under way or a failed one is waiting to be tried again. */
  function writeIndex(): void {
    const row = index.wanted;
    if (row === undefined || index.writing) return;
    if (index.retryAt !== undefined && Date.now() < index.retryAt) return;
    const json = JSON.stringify(row);
    if (json === index.written) {
      index.wanted = undefined;
      return;
    }
    index.wanted = undefined;
    index.writing = true;
    index.version = Math.max(index.version + 1, Date.now() * 1000);
    inFlight++;
    void indexEpa({ row, version: index.version })
      .then(
        () => {
          index.written = json;
          index.failures = 0;
          index.retryAt = undefined;
        },
        () => {
          // The database is away: keep the row (unless a newer one came meanwhile) and try later.
          index.failures++;
          index.retryAt = Date.now() + indexRetryDelay(index.failures);
          index.wanted ??= row;
        },
      )
      .finally(() => {
        index.writing = false;
        inFlight--;
        writeIndex();
      });
  }

  /** The claim under way with the assessment service (its key), and the certificate status polling. */
  const claiming = { key: undefined as string | undefined, inFlight: false };
  const polling = {
    nextAt: carry?.certificatePoll?.nextAt,
    every: carry?.certificatePoll?.every ?? FIRST_POLL_MS,
    inFlight: false,
  };

  /** Whether the index holds the newest row (nothing waiting, nothing being written). */
  const indexSettled = (): boolean => !index.writing && index.wanted === undefined;

  for (const type of Object.keys(eventUpdates) as (keyof typeof eventUpdates)[]) {
    setHandler(
      eventUpdates[type],
      (payload: EventPayload) => {
        if (type === 'EventVoided') return applyVoid(payload);
        // A repeat of an event already recorded under its id: the EPA as it stands, nothing applied or sent.
        if (checkEventId(eventIds, type, payload) === 'repeat')
          return summarise(status(current()), { violations: [], warnings: [] });
        const before = current();
        const applied = admitEvent(state, { ...payload, type }, ctx, londonDateOf(Date.now()));
        rememberEventId(eventIds, type, payload);
        state = applied.state;
        recorded.push({ event: applied.event as RecordedEvent['event'] });
        base = trimRecorded(ctx, base, recorded);
        changes++;
        let corrected: string[] = [];
        if (applied.event.type === 'ContactDetailsChanged')
          ({ people, changed: corrected } = applyContactChange(people, applied.event));
        const v = current();
        const entry = timelineEntry(applied.event, before, v, (timeline[timeline.length - 1]?.number ?? 0) + 1, Date.now());
        appendTimeline(timeline, { ...entry, changed: [...corrected, ...entry.changed] });
        publish(v);
        return summarise(status(v), applied);
      },
      {
        validator: (payload: EventPayload) => {
          try {
            if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
              throw new EpaInputError('the event must be a JSON object', 'event');
            }
            if (type === 'EventVoided') {
              checkVoid(payload);
              return;
            }
            if (checkEventId(eventIds, type, payload) === 'repeat') return;
            const applied = admitEvent(state, { ...payload, type }, ctx, londonDateOf(Date.now()));
            // Every date the rules derive from the new state must be computable, or the event is refused here.
            view(applied.state, ctx, Date.now());
          } catch (err) {
            throw toFailure(err);
          }
        },
      },
    );
  }
  setHandler(statusQuery, () => status());

  for (;;) {
    const now = Date.now();
    const v = view(state, ctx, now);
    publish(v);
    const schedule = adjusted(v.notifications);
    if (lateEntry) {
      if (known !== undefined) {
        const triage = triageLateEntry(known, schedule, v.deadlines, now, String(state.eventCount));
        for (const key of triage.withheld) sent.add(key); // dealt with: in the summary, never announced
        if (triage.summary && !sent.has(triage.summary.key)) startDelivery(triage.summary);
      }
      known = new Set(schedule.map((n) => n.key));
    }
    for (const n of corrections.splice(0)) startDelivery(n);
    const due = dueNotifications(schedule, now, sent);
    if (due.length > 0) {
      if (patched('per-recipient-delivery')) {
        // One activity per recipient, started beside the loop: a slow or refusing mailbox holds up
        // nobody else's mail, and timers and events are handled while mail is on its way.
        for (const n of due) startDelivery(n);
      } else {
        await Promise.all(due.map((n) => deliverLegacy(n)));
        continue; // deliveries took time: look again
      }
    }
    if (certificateClaims && claimsThroughService(ctx.policy)) {
      const { claim } = serviceClaim(state, ctx.plan, ctx.policy, people.apprentice.name);
      if (claim && !claiming.inFlight && claim.key !== claiming.key) startClaim(claim);
      if (certificateTracked()) {
        polling.nextAt ??= now + polling.every;
        if (now >= polling.nextAt && !polling.inFlight) startPoll();
      }
    }
    if (v.stage === 'Completed' || v.stage === 'Withdrawn') {
      await condition(() => inFlight === 0 && allHandlersFinished());
      await indexWritten();
      return status(v);
    }
    if (workflowInfo().historyLength > historyLimit || workflowInfo().continueAsNewSuggested) {
      await condition(() => inFlight === 0 && allHandlersFinished());
      await indexWritten();
      await continueAsNew<typeof epaWorkflow>(
        input,
        {
          state,
          sent: carriedSentKeys(schedule),
          log: log.slice(-LOG_ENTRIES_KEPT),
          runs: (carry?.runs ?? 1) + 1,
          eventIds,
          timeline,
          people,
          base,
          recorded,
          inviteOffsets,
          indexVersion: index.version,
          ...(polling.nextAt !== undefined && { certificatePoll: { nextAt: polling.nextAt, every: polling.every } }),
        },
        settings,
      );
    }
    const wake = earliest(
      earliest(nextWakeUp(schedule, v.deadlines, now), index.wanted ? index.retryAt : undefined),
      certificateTracked() && !polling.inFlight ? polling.nextAt : undefined,
    );
    const seen = changes;
    if (wake === undefined) await condition(() => changes !== seen);
    else await condition(() => changes !== seen, Math.max(1, wake - now));
    writeIndex(); // a write that failed earlier, now due again
  }

  /** Before the run ends: the index holds the EPA's last row (a failed write is tried again on its timer). */
  async function indexWritten(): Promise<void> {
    while (!indexSettled()) {
      writeIndex();
      if (index.writing) await condition(() => !index.writing);
      else if (index.retryAt !== undefined) await condition(() => false, Math.max(1, index.retryAt - Date.now()));
    }
  }

  /** What stands in the way of the claim through the assessment service, for the status and the pages. */
  function certificateTaskNow(): { certificateTask?: ReturnType<typeof serviceClaim>['task'] } {
    const { task } = serviceClaim(state, ctx.plan, ctx.policy, people.apprentice.name);
    return task ? { certificateTask: task } : {};
  }

  /** A claimed certificate still on its way: its status is polled until delivered. */
  function certificateTracked(): boolean {
    const c = state.certificate;
    return (
      certificateClaims && claimsThroughService(ctx.policy) && !!c.claimedOn && !!c.reference && !c.receivedOn && !state.withdrawn
    );
  }

  /**
   * Records what the assessment service answered as an event of the EPA (by 'assessment service'):
   * the rules apply it like any other, the timeline shows it, a void or a restart keeps it. One the
   * EPA can no longer take (staff recorded the claim meanwhile) is left out.
   */
  function recordServiceEvent(event: Record<string, unknown> & { type: string }, changed: string[]): void {
    const before = current();
    let applied;
    try {
      applied = recordEvent(state, { on: londonDateOf(Date.now()), by: 'assessment service', ...event }, ctx);
    } catch (err) {
      workflowLog.warn('an answer of the assessment service the EPA cannot take', {
        type: event.type,
        error: failureMessage(err),
      });
      return;
    }
    state = applied.state;
    recorded.push({ event: applied.event as RecordedEvent['event'] });
    base = trimRecorded(ctx, base, recorded);
    changes++;
    const v = current();
    const entry = timelineEntry(applied.event, before, v, (timeline[timeline.length - 1]?.number ?? 0) + 1, Date.now());
    appendTimeline(timeline, { ...entry, changed: [...changed, ...entry.changed] });
    publish(v);
  }

  function startClaim(claim: ServiceClaim): void {
    claiming.key = claim.key;
    claiming.inFlight = true;
    inFlight++;
    void claimWithAssessmentService({ epaId, uln: input.uln, claim })
      .then(
        (result) => {
          if (result.outcome === 'claimed') {
            recordServiceEvent({ type: 'CertificateClaimed', reference: result.reference }, [
              `certificate ${result.reference} submitted to the assessment service`,
            ]);
            polling.every = FIRST_POLL_MS;
            polling.nextAt = Date.now() + FIRST_POLL_MS;
            if (result.status && result.status !== 'Submitted') notePrintStatus(result.status, result.reference!);
          } else if (result.outcome === 'recorded') {
            recordServiceEvent(
              {
                type: 'EpaOutcomeRecorded',
                outcome: 'Fail',
                reference: result.reference,
                failedOn: (claim as { failedOn: string }).failedOn,
              },
              [`the failed EPA recorded with the assessment service (${result.reference})`],
            );
          } else {
            recordServiceEvent({ type: 'CertificateClaimRefused', messages: (result.messages ?? []).slice(0, 20) }, [
              'the assessment service refused the claim',
            ]);
          }
        },
        (err: unknown) =>
          recordServiceEvent({ type: 'CertificateClaimRefused', messages: [failureMessage(err).slice(0, 2000)] }, [
            'the claim could not be made',
          ]),
      )
      .finally(() => {
        claiming.inFlight = false;
        inFlight--;
      });
  }

  function startPoll(): void {
    const c = state.certificate;
    polling.inFlight = true;
    inFlight++;
    void certificateStatus({
      uln: input.uln,
      familyName: familyNameOf(state, people.apprentice.name),
      standard: ctx.plan.standard,
    })
      .then(
        (result) => {
          const changed = notePrintStatus(result.status, result.reference ?? c.reference!, result.deliveryDate);
          polling.every = changed ? FIRST_POLL_MS : Math.min(LONGEST_POLL_MS, polling.every * 2);
        },
        () => undefined, // the service away: the next poll asks again
      )
      .finally(() => {
        polling.nextAt = Date.now() + polling.every;
        polling.inFlight = false;
        inFlight--;
        changes++;
      });
  }

  /**
   * A status the service reports, recorded when it is new; Delivered also records the certificate
   * received, dated the day the service says it was delivered (not before the EPA's last event).
   */
  function notePrintStatus(status: string, reference: string, deliveryDate?: string): boolean {
    const known = state.certificate.statuses ?? [];
    const last = known[known.length - 1]?.status ?? 'Submitted';
    if (status === last || status === 'none' || status === 'Draft' || status === 'Ready') return false;
    const today = londonDateOf(Date.now());
    const reported = status === 'Delivered' || status === 'NotDelivered' ? deliveryDate?.slice(0, 10) : undefined;
    // The service's date where it gives one, kept between the EPA's last event and today.
    const latest = (a: string, b: string): string => (a > b ? a : b);
    const on = reported ? [latest(reported, state.lastEventOn ?? reported), today].sort()[0]! : today;
    recordServiceEvent({ type: 'CertificateStatusChanged', reference, status, on }, [
      `certificate ${status} at the assessment service`,
    ]);
    if (status === 'Delivered') recordServiceEvent({ type: 'CertificateReceived', on }, ['certificate delivered']);
    return true;
  }

  /** A void as sent: its shape, its date (not after today), and the target (a repeat of a void already made is accepted). */
  function parseVoid(payload: EventPayload): { eventId: string; reason: string; on: string; by?: string } | 'repeat' {
    const event = parseEvent({ ...payload, type: 'EventVoided' }) as { eventId: string; reason: string; on: string; by?: string };
    const today = londonDateOf(Date.now());
    if (event.on > today) throw new EpaTransitionError(`EventVoided is dated ${event.on}, after today (${today})`);
    const target = recorded.find((r) => r.event.eventId === event.eventId);
    if (target?.voided && target.voided.reason === event.reason) return 'repeat';
    return event;
  }

  function checkVoid(payload: EventPayload): void {
    const event = parseVoid(payload);
    if (event === 'repeat') return;
    view(voidEvent(ctx, base, recorded, event.eventId, event).state, ctx, Date.now());
  }

  function applyVoid(payload: EventPayload): ReturnType<typeof summarise> {
    const event = parseVoid(payload);
    if (event === 'repeat') return summarise(status(current()), { violations: [], warnings: [] });
    const before = current();
    const done = voidEvent(ctx, base, recorded, event.eventId, {
      reason: event.reason,
      on: event.on,
      ...(event.by !== undefined && { by: event.by }),
    });
    recorded = done.recorded;
    state = done.state;
    changes++;
    const v = current();
    // Calendars put right: a CANCEL where the booking is gone, a REQUEST where it changed, each
    // above the SEQUENCE last sent for that assessment (later invites for it count on from there).
    const sentBefore = { ...before, notifications: adjusted(before.notifications) };
    for (const n of invitesAfterVoid(sentBefore, v, sent, Date.now(), String(timeline.length))) {
      const uid = n.inviteUid!;
      corrections.push(n);
      const now = v.notifications.find((x) => x.kind === 'invite' && x.inviteUid === uid);
      inviteOffsets[uid] = offsetAfterCorrection(n, now);
      if (now) sent.add(adjusted([now])[0]!.key); // superseded by the re-issue
    }
    const entry = timelineEntry(
      { ...event, type: 'EventVoided' },
      before,
      v,
      (timeline[timeline.length - 1]?.number ?? 0) + 1,
      Date.now(),
    );
    appendTimeline(timeline, { ...entry, changed: [`voided the ${done.target.type} of ${done.target.on}`, ...entry.changed] });
    publish(v);
    return summarise(status(v), { violations: [], warnings: [] });
  }

  /** A new EPA's first entries: its gateway submission and the history it was entered with. */
  function startTimeline(): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const startedAt = Date.now();
    const events: Record<string, unknown>[] = [
      { type: 'GatewaySubmitted', on: input.gatewaySubmittedOn },
      ...((input.events ?? []) as Record<string, unknown>[]),
    ];
    let folded = newEpa(ctx);
    let before: EpaView | undefined;
    events.forEach((raw, i) => {
      const applied = recordEvent(folded, raw, ctx, i === 0 ? 'gatewaySubmittedOn' : `events[${i - 1}]`);
      folded = applied.state;
      const after = view(folded, ctx, startedAt);
      const by = input.startedBy ?? (typeof raw.by === 'string' ? raw.by : undefined);
      appendTimeline(
        entries,
        timelineEntry({ ...applied.event, ...(by !== undefined && { by }) }, before, after, folded.eventCount, startedAt),
      );
      before = after;
    });
    return entries;
  }

  /** Keys still in the schedule, and the most recent others, so a carried set stays bounded. */
  function carriedSentKeys(scheduled: Notification[]): string[] {
    const inSchedule = new Set(scheduled.map((n) => n.key));
    const all = [...sent];
    const recent = all.slice(-SENT_KEYS_CARRIED);
    return [...new Set([...all.filter((k) => inSchedule.has(k)), ...recent])];
  }

  /** The schedule as sent (corrections.ts: SEQUENCE and key offsets after a void). */
  function adjusted(notifications: Notification[]): Notification[] {
    return withInviteOffsets(notifications, inviteOffsets);
  }

  function deliveryRequest(n: Notification): DeliveryRequest {
    return {
      epaId,
      notification: n,
      recipients: recipients(n),
      context: {
        standard: ctx.plan.standard,
        standardTitle: ctx.plan.title,
        epaoName: ctx.policy.name,
        epaoEmail: people.epaoAdmin.email,
        apprenticeName: people.apprentice.name,
        employerName: people.employer.organisation,
      },
      requestedAt: Date.now(),
    };
  }

  function appendLog(entry: NotificationLogEntry): void {
    log.push(entry);
    if (log.length > LOG_ENTRIES_KEPT * 2) log.splice(0, log.length - LOG_ENTRIES_KEPT);
  }

  function failureMessage(err: unknown): string {
    return err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err);
  }

  function startDelivery(n: Notification): void {
    sent.add(n.key);
    const request = deliveryRequest(n);
    for (const recipient of request.recipients) {
      inFlight++;
      const entry: NotificationLogEntry = {
        key: n.key,
        kind: n.kind,
        role: recipient.role,
        to: [recipient.email],
        at: new Date().toISOString(),
        status: 'sent',
      };
      void deliverMessage({ ...request, recipient })
        .then(
          (result) => {
            entry.messageId = result.messageId;
            if (result.status === 'expired') entry.status = 'expired';
          },
          (err: unknown) => {
            entry.status = 'failed';
            entry.error = failureMessage(err);
          },
        )
        .finally(() => {
          entry.at = new Date().toISOString();
          appendLog(entry);
          inFlight--;
        });
    }
  }

  async function deliverLegacy(n: Notification): Promise<void> {
    sent.add(n.key);
    const request = deliveryRequest(n);
    const entry: NotificationLogEntry = {
      key: n.key,
      kind: n.kind,
      to: request.recipients.map((r) => r.email),
      at: new Date().toISOString(),
      status: 'sent',
    };
    try {
      const result = await deliverNotification(request);
      entry.messageId = result.messageId;
    } catch (err) {
      entry.status = 'failed';
      entry.error = failureMessage(err);
    }
    appendLog(entry);
  }

  function recipients(n: Notification): Recipient[] {
    return recipientsFor(n, people);
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The state after the gateway submission that starts the workflow, and any history entered with it. */
function firstState(input: EpaStart, ctx: RuleContext): EpaState {
  return input.events?.length
    ? startingState(ctx, input.gatewaySubmittedOn, input.events)
    : applyEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: input.gatewaySubmittedOn }, 0, ctx).state;
}

/** Rejections reach the caller as ApplicationFailures whose type says which kind. */
function toFailure(err: unknown): Error {
  if (err instanceof EpaInputError)
    return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true, details: [{ path: err.path }] });
  if (err instanceof EpaTransitionError || err instanceof EpaDuplicateEventError)
    return ApplicationFailure.create({ type: err.kind, message: err.message, nonRetryable: true });
  if (err instanceof EpaRuleViolationError)
    return ApplicationFailure.create({
      type: err.kind,
      message: err.message,
      nonRetryable: true,
      details: [{ violations: err.violations }],
    });
  return err instanceof Error ? err : new Error(String(err));
}
