/**
 * Events: each admin event arrives as an Update named as its type. Its validator refuses what the
 * rules refuse (before anything is written to history); its handler applies it, keeps it for a
 * later void, adds it to the timeline and publishes the new view. A void (EventVoided) works the
 * state out again without the event and puts calendars right (corrections.ts).
 */
import { currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import { londonDateOf } from '../../src/calendar/london';
import { applyContactChange } from '../../src/epa/contacts';
import {
  invitesAfterVoid,
  offsetAfterCorrection,
  trimRecorded,
  voidEvent,
  voidNames,
  type RecordedEvent,
} from '../../src/epa/corrections';
import { EpaInputError, EpaTransitionError } from '../../src/epa/errors';
import { parseEvent } from '../../src/epa/event-check';
import { checkEventId, rememberEventId } from '../../src/epa/event-ids';
import { admitEvent, checkAdmission, view, type EpaView } from '../../src/epa/evaluate';
import type { Applied } from '../../src/epa/reducer';
import type { EpaEvent } from '../../src/epa/events';
import type { EpaState } from '../../src/epa/state';
import { appendTimeline, timelineEntry, type TimelineEntry } from '../../src/epa/timeline';
import { messageAgain, nextAgainKey, originalKey, resendRefusal, supersededInvite } from '../../src/epa/resend';
import type { Role } from '../../src/epa/deadlines';
import type { Notification } from '../../src/epa/notifications';
import {
  eventUpdates,
  summarise,
  type EpaSummary,
  type EventPayload,
  type PreviewAnswer,
  type PreviewRequest,
} from '../definitions';
import { adjusted, readdressInvites } from './delivery';
import { toFailure } from './failures';
import { publish } from './publish';
import { current, viewOf, type RunState } from './run-state';
import { statusOf, tasksOf } from './status';
import { taskDoneProblem } from '../../src/epa/tasks';

/**
 * Keeps an event the rules applied: the new state, the event among those a void can take out, the
 * timeline entry (with `changed` first), and the view published. Returns the view after it, derived
 * once here (before anything is kept, so a date the rules cannot compute changes nothing) and shared
 * with the loop and the reply through `current`.
 */
export function keepEvent(
  run: RunState,
  applied: { state: EpaState; event: EpaEvent },
  before: EpaView,
  changed: string[],
  extra: Pick<TimelineEntry, 'message'> = {},
): EpaView {
  const now = Date.now();
  const v = viewOf(run, applied.state);
  run.state = applied.state;
  run.recorded.push({ event: applied.event as RecordedEvent['event'] });
  run.base = trimRecorded(run.ctx, run.base, run.recorded);
  run.changes++;
  const entry = timelineEntry(applied.event, before, v, nextEntryNumber(run), now);
  appendTimeline(run.timeline, { ...entry, ...extra, changed: [...changed, ...entry.changed] });
  publish(run, v);
  return v;
}

/** One Update per event type, each with its validator. */
export function handleEvents(run: RunState): void {
  for (const type of Object.keys(eventUpdates) as (keyof typeof eventUpdates)[]) {
    setHandler(eventUpdates[type], (payload: EventPayload) => applyAdminEvent(run, type, payload), {
      validator: (payload: EventPayload) => validateAdminEvent(run, type, payload),
    });
  }
}

function applyAdminEvent(run: RunState, type: keyof typeof eventUpdates, payload: EventPayload): EpaSummary {
  run.updated = true;
  if (type === 'EventVoided') return applyVoid(run, payload);
  // A repeat of an event already recorded under its id: the EPA as it stands, nothing applied or sent.
  if (checkEventId(run.eventIds, type, payload) === 'repeat') return unchanged(run);
  const before = current(run);
  const applied = admission(run, type, payload);
  try {
    viewOf(run, applied.state); // derived once, before anything is kept (keepEvent takes it over)
  } catch (err) {
    throw toFailure(err); // a date the rules cannot compute: refused, nothing kept
  }
  // A message sent again: judged again here, before anything is kept or its id remembered (a
  // refusal leaves the same id free to try once more).
  let again: Notification | undefined;
  if (applied.event.type === 'MessageSentAgain') {
    try {
      again = messageToSendAgain(run, applied.event.message, applied.event.role);
    } catch (err) {
      throw toFailure(err); // answered since the validator ran (another resend delivered): nothing kept
    }
  }
  rememberEventId(run.eventIds, type, payload);
  let corrected: string[] = [];
  if (applied.event.type === 'ContactDetailsChanged') {
    const was = run.people;
    ({ people: run.people, changed: corrected } = applyContactChange(run.people, applied.event));
    // A corrected email: live invites leave the old address and go to the new one.
    // shipped 2026-12-07; deprecatePatch after 2028-06-07
    readdressInvites(run, before, was, applied.event.role, Date.now(), () => patched('contact-email-moves-invites'));
  }
  if (applied.event.type === 'MessageSentAgain' && again) {
    const v = keepEvent(run, applied, before, [], {
      message: { key: applied.event.message, role: applied.event.role, sentAs: again.key },
    });
    // The loop delivers it, once, under its new key (a new Message-ID), to the role's address now;
    // its key is taken at once, so another Update in this task finds it under way (resend.ts).
    // shipped 2026-12-07; deprecatePatch after 2028-06-07
    if (patched('epa-resend-message')) {
      run.sent.add(again.key);
      run.corrections.push(again);
    }
    return summarise(statusOf(run, v), applied);
  }
  const v = keepEvent(run, applied, before, corrected);
  return summarise(statusOf(run, v), applied);
}

/**
 * The message an admin asks to send again (MessageSentAgain): the failed one as it was to be sent
 * (kept when it failed, else as the schedule has it), under the next `/again-<n>` key, to `role`
 * only; EpaTransitionError in words when the rules (resend.ts) refuse it.
 */
function messageToSendAgain(run: RunState, key: string, role: string): Notification {
  const refused = resendRefusal(run.log, key, role, run.sent);
  if (refused) throw new EpaTransitionError(refused);
  const base = originalKey(key);
  const schedule = adjusted(run, current(run).notifications);
  const n = run.failedMessages.get(key) ?? run.failedMessages.get(base) ?? schedule.find((x) => x.key === base);
  if (!n) throw new EpaTransitionError('This message can no longer be sent again: what it said was not kept when it failed');
  const later = supersededInvite(n, schedule);
  if (later)
    throw new EpaTransitionError(
      'The booking has changed since this calendar message failed: a later one for the same assessment replaces it, so it is not sent again',
    );
  return messageAgain(n, nextAgainKey(base, run.sent, run.log), role as Role, Date.now());
}

/**
 * The event as the rules admit it: the validator's admission when it ran in this workflow task on
 * the state as it stands (a live Update), else admitted here (on replay validators do not run).
 */
function admission(run: RunState, type: keyof typeof eventUpdates, payload: EventPayload): Applied & { event: EpaEvent } {
  const kept = run.admitted;
  run.admitted = undefined;
  const id = currentUpdateInfo()?.id;
  if (kept && id !== undefined && kept.updateId === id && kept.changes === run.changes && kept.at === Date.now())
    return kept.applied;
  return admitEvent(run.state, { ...payload, type }, run.ctx, londonDateOf(Date.now()));
}

function validateAdminEvent(run: RunState, type: keyof typeof eventUpdates, payload: EventPayload): void {
  try {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new EpaInputError('the event must be a JSON object', 'event');
    }
    if (type === 'EventVoided') {
      checkVoid(run, payload);
      return;
    }
    if (checkEventId(run.eventIds, type, payload) === 'repeat') return;
    if (type === 'TaskDone') {
      // One of this EPA's tasks, open, with no natural end (tasks.ts): else refused in words.
      const problem = taskDoneProblem(tasksOf(run, current(run)), String(payload.task));
      if (problem) throw new EpaInputError(problem, 'task');
    }
    // Admitted, and every date the rules derive from the new state computable, or refused here;
    // the rest of the view is the handler's, which takes this admission over (`admission`).
    const now = Date.now();
    const applied = checkAdmission(run.state, { ...payload, type }, run.ctx, londonDateOf(now), now);
    if (applied.event.type === 'MessageSentAgain') messageToSendAgain(run, applied.event.message, applied.event.role);
    const updateId = currentUpdateInfo()?.id;
    run.admitted = updateId === undefined ? undefined : { updateId, changes: run.changes, at: now, applied };
  } catch (err) {
    throw toFailure(err);
  }
}

interface VoidEvent {
  /** The void's own id; before 1.1 (no `voids`) it named the target. */
  eventId?: string;
  /** The eventId of the event it voids. */
  voids: string;
  reason: string;
  on: string;
  by?: string;
}

/** A void as sent: its shape, its date (not after today), and the target (a repeat of a void already made is accepted). */
function parseVoid(run: RunState, payload: EventPayload): VoidEvent | 'repeat' {
  const parsed = parseEvent({ ...payload, type: 'EventVoided' }) as Omit<VoidEvent, 'voids'> & { voids?: string };
  const event: VoidEvent = { ...parsed, ...voidNames(parsed) };
  if (parsed.voids === undefined) delete event.eventId; // a void recorded before 1.1 has no id of its own
  const today = londonDateOf(Date.now());
  if (event.on > today) throw new EpaTransitionError(`EventVoided is dated ${event.on}, after today (${today})`);
  if (event.eventId !== undefined && checkEventId(run.eventIds, 'EventVoided', payload) === 'repeat') return 'repeat';
  const target = run.recorded.find((r) => r.event.eventId === event.voids);
  if (target?.voided && target.voided.reason === event.reason) return 'repeat';
  return event;
}

function checkVoid(run: RunState, payload: EventPayload): void {
  const event = parseVoid(run, payload);
  if (event === 'repeat') return;
  view(voidEvent(run.ctx, run.base, run.recorded, event.voids, event).state, run.ctx, Date.now());
}

function applyVoid(run: RunState, payload: EventPayload): EpaSummary {
  const event = parseVoid(run, payload);
  if (event === 'repeat') return unchanged(run);
  const before = current(run);
  const done = voidEvent(run.ctx, run.base, run.recorded, event.voids, {
    reason: event.reason,
    on: event.on,
    ...(event.by !== undefined && { by: event.by }),
  });
  if (event.eventId !== undefined) rememberEventId(run.eventIds, 'EventVoided', payload);
  run.recorded = done.recorded;
  run.state = done.state;
  run.changes++;
  const v = current(run);
  // Calendars put right: a CANCEL where the booking is gone, a REQUEST where it changed, each
  // above the SEQUENCE last sent for that assessment (later invites for it count on from there).
  const sentBefore = { ...before, notifications: adjusted(run, before.notifications) };
  for (const n of invitesAfterVoid(sentBefore, v, run.sent, Date.now(), String(run.timeline.length))) {
    const uid = n.inviteUid!;
    run.corrections.push(n);
    const now = v.notifications.find((x) => x.kind === 'invite' && x.inviteUid === uid);
    run.inviteOffsets[uid] = offsetAfterCorrection(n, now);
    if (now) run.sent.add(adjusted(run, [now])[0]!.key); // superseded by the re-issue
  }
  const entry = timelineEntry({ ...event, type: 'EventVoided' }, before, v, nextEntryNumber(run), Date.now());
  appendTimeline(run.timeline, { ...entry, changed: [`voided the ${done.target.type} of ${done.target.on}`, ...entry.changed] });
  publish(run, v);
  return summarise(statusOf(run, v), { violations: [], warnings: [] });
}

/** The EPA as it stands: what a repeat is answered with (nothing applied or sent). */
function unchanged(run: RunState): EpaSummary {
  return summarise(statusOf(run, current(run)), { violations: [], warnings: [] });
}

function nextEntryNumber(run: RunState): number {
  return (run.timeline[run.timeline.length - 1]?.number ?? 0) + 1;
}

/**
 * The preview query (a check-your-answers page): the event judged and applied to a copy of the
 * run's state by the rules core, as the Update would, and the view after it; nothing is kept,
 * remembered or sent. A refusal comes back in words, not as a failed query.
 */
export function previewEvent(run: RunState, request: PreviewRequest): PreviewAnswer {
  try {
    const payload = request.payload;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new EpaInputError('the event must be a JSON object', 'event');
    const now = Date.now();
    if (request.type === 'EventVoided') {
      const event = parseVoid(run, payload);
      if (event === 'repeat') return { view: current(run), corrections: [] };
      const done = voidEvent(run.ctx, run.base, run.recorded, event.voids, { reason: event.reason, on: event.on });
      const v = view(done.state, run.ctx, now);
      const before = current(run);
      const sentBefore = { ...before, notifications: adjusted(run, before.notifications) };
      return { view: v, corrections: invitesAfterVoid(sentBefore, v, run.sent, now, 'preview') };
    }
    const applied = admitEvent(run.state, { ...payload, type: request.type }, run.ctx, londonDateOf(now));
    // A message sent again: refused in words as the Update would be, else the message that would go.
    const again =
      applied.event.type === 'MessageSentAgain' ? [messageToSendAgain(run, applied.event.message, applied.event.role)] : [];
    return { view: view(applied.state, run.ctx, now), corrections: again };
  } catch (err) {
    return { refused: err instanceof Error ? err.message : String(err) };
  }
}
