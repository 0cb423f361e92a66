/**
 * Voiding an event recorded in error (`EventVoided {voids, reason}`, with its own `eventId`): the EPA's state is worked
 * out again from its events without it, and invites already sent for a booking that changed are
 * put right (a CANCEL, or a REQUEST with a higher SEQUENCE). Pure and zod-free: the workflow and
 * `epa plan` call it.
 *
 * An EPA keeps its newest RECORDED_KEPT events individually (older ones are folded into a base
 * state): those can be voided; older ones are corrected by recording a new event instead.
 */
import { EpaInputError, EpaTransitionError } from './errors';
import { recordEvent, type EpaView } from './evaluate';
import { bookingChanges, type Notification } from './notifications';
import type { RuleContext } from './reducer';
import { clone } from './reducer';
import type { EpaState } from './state';

export const RECORDED_KEPT = 200;

/** One recorded event, as the EPA keeps it for working its state out again. */
export interface RecordedEvent {
  event: Record<string, unknown> & { type: string; on: string };
  voided?: { reason: string; on: string; by?: string };
}

/** Events that only a workflow's record applies (not the rules), and so cannot be voided. */
const NOT_VOIDABLE = new Set(['EventVoided', 'ContactDetailsChanged']);

/** The state from `base` and the events not voided, in order; EpaTransitionError naming the first that no longer fits. */
export function refold(ctx: RuleContext, base: EpaState, recorded: readonly RecordedEvent[]): EpaState {
  const state = clone(base);
  for (const r of recorded) {
    if (r.voided || NOT_VOIDABLE.has(r.event.type)) continue;
    try {
      recordEvent(state, r.event, ctx, 'event', true);
    } catch (err) {
      throw new EpaTransitionError(
        `${r.event.type} of ${r.event.on} depends on it (${err instanceof Error ? err.message : String(err)}): void that first`,
      );
    }
  }
  return state;
}

/** Voids the event recorded under `eventId`: the new record and the state worked out without it. */
export function voidEvent(
  ctx: RuleContext,
  base: EpaState,
  recorded: readonly RecordedEvent[],
  eventId: string,
  voided: { reason: string; on: string; by?: string },
): { recorded: RecordedEvent[]; state: EpaState; target: RecordedEvent['event'] } {
  const index = recorded.findIndex((r) => r.event.eventId === eventId);
  const target = recorded[index];
  if (!target)
    throw new EpaInputError(
      `no event with id "${eventId}" that can be voided (unknown, or older than the newest ${RECORDED_KEPT} events: record a correcting event instead)`,
      'eventId',
    );
  if (target.voided)
    throw new EpaTransitionError(`the ${target.event.type} of ${target.event.on} was already voided on ${target.voided.on}`);
  if (NOT_VOIDABLE.has(target.event.type))
    throw new EpaTransitionError(`a ${target.event.type} is not voided: record another one instead`);
  const next = recorded.map((r, i) => (i === index ? { ...r, voided } : r));
  try {
    return { recorded: next, state: refold(ctx, base, next), target: target.event };
  } catch (err) {
    throw new EpaTransitionError(
      `cannot void the ${target.event.type} of ${target.event.on}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** A void, whichever form it came in: `voids` names the target; `eventId` is the void's own id. */
export interface VoidNames {
  voids?: string;
  eventId?: string;
}

/**
 * The void as it is read: its target and its own id. A void recorded before 1.1 has no `voids`: its
 * `eventId` named the target, and it had no id of its own.
 */
export function voidNames(v: VoidNames): { voids: string; eventId?: string } {
  if (v.voids !== undefined) return { voids: v.voids, ...(v.eventId !== undefined && { eventId: v.eventId }) };
  if (v.eventId === undefined) throw new EpaInputError('name the event to void: its eventId, in voids', 'voids');
  return { voids: v.eventId };
}

/** Keeps the newest RECORDED_KEPT events; older ones are folded into the base (they can no longer be voided). */
export function trimRecorded(ctx: RuleContext, base: EpaState, recorded: RecordedEvent[]): EpaState {
  let folded = base;
  while (recorded.length > RECORDED_KEPT) {
    const oldest = recorded.shift()!;
    if (!oldest.voided && !NOT_VOIDABLE.has(oldest.event.type)) folded = recordEvent(folded, oldest.event, ctx, 'event').state;
  }
  return folded;
}

/**
 * Invites to send after a void: for every assessment whose invite had gone out, a CANCEL when it
 * is no longer booked, or a REQUEST with the booking as it now stands when that differs, each with
 * a SEQUENCE above the last one sent (calendars ignore a lower one).
 */
export function invitesAfterVoid(
  before: EpaView,
  after: EpaView,
  sent: ReadonlySet<string>,
  now: number,
  tag: string,
): Notification[] {
  const out: Notification[] = [];
  for (const b of before.notifications) {
    if (b.kind !== 'invite' || !sent.has(b.key) || b.inviteUid === undefined) continue;
    const a = after.notifications.find((n) => n.kind === 'invite' && n.inviteUid === b.inviteUid);
    const sequence = (b.sequence ?? 0) + 1;
    if (!a) {
      out.push({ ...b, kind: 'inviteCancelled', key: `${b.key}:voided-${tag}`, sequence, at: now, movedFrom: undefined });
    } else if (a.assessmentAt !== b.assessmentAt || a.location !== b.location || a.assessor?.email !== b.assessor?.email) {
      out.push({
        ...a,
        key: `${a.key}:reissued-${tag}`,
        sequence,
        at: now,
        changed: bookingChanges(
          { at: b.assessmentAt!, location: b.location, assessor: b.assessor },
          { at: a.assessmentAt!, location: a.location, assessor: a.assessor },
        ),
        movedFrom: b.assessmentAt && b.assessmentAt !== a.assessmentAt ? b.assessmentAt : undefined,
      });
    }
  }
  return out;
}

/** Per assessment (invite UID), what is added to the SEQUENCE the rules count, since a void re-issued or cancelled its invite. */
export type InviteOffsets = Record<string, number>;

/**
 * The schedule as sent: invites of an assessment with an offset carry it in their SEQUENCE and in
 * their key (so a key the rules reuse after a void is a new message, not one already sent).
 */
export function withInviteOffsets(notifications: Notification[], offsets: Readonly<InviteOffsets>): Notification[] {
  return notifications.map((n) => {
    const offset =
      n.inviteUid !== undefined && (n.kind === 'invite' || n.kind === 'inviteCancelled') ? (offsets[n.inviteUid] ?? 0) : 0;
    return offset ? { ...n, key: `${n.key}~${offset}`, sequence: (n.sequence ?? 0) + offset } : n;
  });
}

/**
 * The offset an assessment's invites take after a correction was sent for it: after a CANCEL, a new
 * booking's first invite (SEQUENCE 0 in the rules) must come above it; after a re-issued REQUEST,
 * the rules' current SEQUENCE maps to the one just sent.
 */
export function offsetAfterCorrection(correction: Notification, current: Notification | undefined): number {
  const sent = correction.sequence ?? 0;
  return correction.kind === 'inviteCancelled' ? sent + 1 : sent - (current?.sequence ?? 0);
}

/**
 * Keys of the schedule already sent under `before`'s offsets, as they read under `after`'s: an
 * assessment whose offset rose (a correction went out above it) does not send its current messages
 * again under their new keys.
 */
export function keysSentUnder(
  schedule: Notification[],
  before: Readonly<InviteOffsets>,
  after: Readonly<InviteOffsets>,
  sent: ReadonlySet<string>,
): string[] {
  const was = withInviteOffsets(schedule, before);
  const now = withInviteOffsets(schedule, after);
  return now.filter((n, i) => sent.has(was[i]!.key) && n.key !== was[i]!.key).map((n) => n.key);
}
