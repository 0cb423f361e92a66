/**
 * What to send, to whom, and when — decided here, from the state; the workflow only sleeps until
 * the next instant and hands each due notification to an activity.
 *
 * Every notification has a stable `key`: the workflow sends each key once, and the email activity
 * derives the Message-ID from it, so a retry or a replay never sends twice.
 */
import {
  addDays,
  endOfLondonDay,
  londonDateTimeInstant,
  londonInstant,
  subtractWorkingDays,
  type LondonDate,
  type LondonDateTime,
} from '../calendar';
import type { Plan, Policy } from '../plans';
import type { Deadline, Role } from './deadlines';
import { latestAttempt, type Booking, type EpaState } from './state';

export type NotificationKind =
  | 'assessmentReminder'
  | 'deadlineReminder'
  | 'deadlineNear'
  | 'deadlineMissed'
  | 'epaPeriodEscalation'
  | 'invite'
  | 'inviteCancelled'
  /** A contact's email corrected: the CANCEL sent to the old address (only the date and the EPAO's name; contacts.ts). */
  | 'inviteCancelledAtOldAddress'
  /** One summary to the EPAO admin of deadlines missed before they were entered (src/epa/late-entry.ts). */
  | 'missedBeforeEntry'
  /** An import's one summary to the EPAO admin: every imported EPA whose history shows deadlines missed or met late. */
  | 'importSummary'
  /** Messages the seeds imply (rule fidelity II): the gateway outcome (002, 001 §4) … */
  | 'gatewayOutcome'
  /** … a component's result to the apprentice (004 Grading) and an appeal's outcome … */
  | 'resultPublished'
  | 'appealDecided'
  /** … the resit window about to close (001 §8, 004) … */
  | 'resitWindowClosing'
  /** … the certificate claimed, and received (002 Annex 2: the ESFA sends it to the employer) … */
  | 'certificateClaimed'
  | 'certificateReceived'
  /** … and the planning meeting booked, then its confirmation (002 Assessment Booking). */
  | 'planningMeeting'
  | 'planningMeetingHeld'
  /** Claims through the assessment service: a claim it refused, and a certificate it could not deliver (to the EPAO admin). */
  | 'certificateClaimRefused'
  | 'certificateNotDelivered'
  /** A message that failed for good (refused by the mail server, or one that cannot be built): to the EPAO admin, with why. */
  | 'messageFailed';

/** What a rebooking changed. */
export type BookingChange = 'time' | 'place' | 'assessor';

/** What changed from `previous` to `now` (emails compared without case). */
export function bookingChanges(
  previous: { at: LondonDateTime; location?: string; assessor?: { email: string } },
  now: { at: LondonDateTime; location?: string; assessor?: { email: string } },
): BookingChange[] {
  const out: BookingChange[] = [];
  if (previous.at !== now.at) out.push('time');
  if ((previous.location ?? '') !== (now.location ?? '')) out.push('place');
  if ((previous.assessor?.email ?? '').toLowerCase() !== (now.assessor?.email ?? '').toLowerCase()) out.push('assessor');
  return out;
}

/** A deadline in a `missedBeforeEntry` summary. */
export interface MissedDeadline {
  key: string;
  due: LondonDate;
  rule: string;
  source: string;
  owner: Role;
  component?: string;
  /** A quiet-period summary (late-entry.ts): still missed, or met late and by how much. Absent: missed. */
  status?: 'missed' | 'metLate';
  lateBy?: { days: number; unit: 'workingDays' | 'calendarDays' };
}

/** One imported EPA in an import's summary: who, and its deadlines missed or met late before entry. */
export interface ImportedLateEntry {
  uln: string;
  apprenticeName: string;
  standard: string;
  epaoName: string;
  missed: MissedDeadline[];
}

export interface Notification {
  key: string;
  kind: NotificationKind;
  /** When to send (epoch ms). */
  at: number;
  /** Not worth sending from this instant on (epoch ms): a reminder after its event. */
  expiresAt?: number;
  to: Role[];
  deadlineKey?: string;
  due?: LondonDate;
  component?: string;
  componentName?: string;
  attempt?: number;
  /** Booked assessment (invites and assessment reminders). */
  assessmentAt?: LondonDateTime;
  durationMinutes?: number;
  location?: string;
  assessor?: { name: string; email: string };
  /** Calendar-invite SEQUENCE (RFC 5545) and the stable UID part. */
  sequence?: number;
  inviteUid?: string;
  daysBefore?: number;
  /** Which attempt an assessment is: `first`, or a `resit`, `retake` or `rework` (the message says so). */
  attemptKind?: string;
  /** A rescheduled assessment's earlier date-time (the message says "moved from … to …"); only when the time moved. */
  movedFrom?: LondonDateTime;
  /** A rebooking: what it changed (an assessor-only change says so, and never that the time moved). */
  changed?: BookingChange[];
  /**
   * A contact's corrected email (contacts.ts): `readdressed` marks the invite re-issued to the new
   * address; `address` sends a message to one address that is no longer the role's (the CANCEL at
   * the old address, which says nothing personal).
   */
  readdressed?: boolean;
  address?: { role: Role; email: string };
  /** The rule behind a reminder or alert, in words, and its seed (or `policy` for an EPAO setting). */
  rule?: string;
  source?: string;
  /** `missedBeforeEntry`: the deadlines it reports, and the apprentice's ULN (a quiet-period summary names it). */
  missed?: MissedDeadline[];
  uln?: string;
  /** `importSummary`: the imported EPAs it lists. */
  imported?: ImportedLateEntry[];
  /** `gatewayOutcome`: passed or rejected, with the rejection's reason (002: "including the rejection reason"). */
  outcome?: 'passed' | 'rejected' | 'upheld' | 'dismissed';
  reason?: string;
  /** `resultPublished`, `appealDecided`: the component's grade (and, for an upheld appeal, the one it replaced). */
  grade?: string;
  previousGrade?: string;
  /** `messageFailed`: which message failed, to whom (by role, never the address), and why. */
  failed?: { kind: NotificationKind; role: Role; error: string };
}

/** A message about something that happened is news for a week; after that (a late entry) it is not sent. Not a seed rule. */
const EVENT_NEWS_DAYS = 7;

const RESULT_OR_CERTIFICATE = /^(resultDue\.|resultsDue$|certificateClaimDue$|certificateReceivedDue$)/;
const SUBMISSIONS = new Set(['reportDue', 'portfolioDue', 'projectCompletionDue', 'reworkDue']);

/**
 * Each reminder (N days before `date`, at `time`) with the instant it goes stale: when the next,
 * closer reminder is due, or `end`. A late worker sends only the reminder that is still true.
 */
function reminderWindows(daysBefore: number[], date: LondonDate, time: string, end: number): [number, number][] {
  const sorted = [...daysBefore].sort((a, b) => b - a);
  return sorted.map((days, i) => {
    const next = sorted[i + 1];
    return [days, next === undefined ? end : Math.min(end, londonInstant(addDays(date, -next), time))];
  });
}

/** Reminders to the apprentice and employer N days before a deadline (the policy's days, at its time). */
function deadlineReminders(d: Deadline, kind: 'deadlineReminder' | 'resitWindowClosing', policy: Policy): Notification[] {
  const { daysBefore, at: time } = policy.reminders;
  return reminderWindows(daysBefore, d.due, time, endOfLondonDay(d.due)).map(([days, until]) => ({
    // deadlineReminder:<key>:<due>:<n>d, resitWindowClosing:<due>:<n>d (keys running EPAs already use)
    key: kind === 'deadlineReminder' ? `${kind}:${d.key}:${d.due}:${days}d` : `${kind}:${d.due}:${days}d`,
    rule: d.rule,
    source: d.source,
    kind,
    at: londonInstant(addDays(d.due, -days), time),
    expiresAt: until,
    to: ['apprentice', 'employer'],
    deadlineKey: d.key,
    due: d.due,
    component: d.component,
    daysBefore: days,
  }));
}

/** Every notification the state implies, sent or not, in time order. */
export function scheduledNotifications(state: EpaState, plan: Plan, policy: Policy, deadlines: Deadline[]): Notification[] {
  const out: Notification[] = [];
  const { daysBefore, at: time, adminAlertWorkingDaysBefore } = policy.reminders;

  for (const spec of plan.components) {
    const component = state.components[spec.id]!;
    for (const attempt of component.attempts) {
      const uid = `${spec.id}-${attempt.number}`;
      const base = {
        component: spec.id,
        componentName: spec.name,
        attempt: attempt.number,
        attemptKind: attempt.kind,
        inviteUid: uid,
        durationMinutes: spec.durationMinutes,
        source: spec.source,
      };
      /** An invite (or its cancellation) about a booking, to everyone the booking concerns. */
      const invite = (
        b: Booking,
        kind: 'invite' | 'inviteCancelled',
        key: string,
        on: LondonDate,
        sequence: number,
      ): Notification => ({
        ...base,
        key,
        kind,
        at: londonInstant(on),
        expiresAt: londonDateTimeInstant(b.at),
        to: b.assessor ? ['apprentice', 'employer', 'assessor'] : ['apprentice', 'employer'],
        assessmentAt: b.at,
        location: b.location,
        assessor: b.assessor,
        sequence,
      });
      if (attempt.booking && state.withdrawn && !attempt.takenOn) {
        // Withdrawn with an assessment still booked: cancel the invite.
        const sequence = attempt.inviteSequence + 1;
        out.push(invite(attempt.booking, 'inviteCancelled', `invite:${uid}:${sequence}:cancel`, state.withdrawn.on, sequence));
      } else if (attempt.booking) {
        const b = attempt.booking;
        out.push({
          ...invite(b, 'invite', `invite:${uid}:${attempt.inviteSequence}`, b.bookedOn, attempt.inviteSequence),
          ...(b.previous && { changed: bookingChanges(b.previous, b) }),
          ...(b.previous && b.previous.at !== b.at && { movedFrom: b.previous.at }),
        });
        const replaced = b.previous?.assessor;
        if (replaced && replaced.email.toLowerCase() !== b.assessor?.email.toLowerCase()) {
          // The assessor was changed by the reschedule: the one replaced gets the CANCEL for their entry.
          out.push({
            ...base,
            key: `invite:${uid}:${attempt.inviteSequence}:cancel-replaced-assessor`,
            kind: 'inviteCancelled',
            at: londonInstant(b.bookedOn),
            expiresAt: londonDateTimeInstant(b.previous!.at),
            to: ['assessor'],
            assessmentAt: b.previous!.at,
            location: b.previous!.location,
            assessor: replaced,
            sequence: attempt.inviteSequence,
          });
        }
        if (attempt === latestAttempt(component) && !attempt.takenOn) {
          for (const [days, until] of reminderWindows(daysBefore, b.at.slice(0, 10), time, londonDateTimeInstant(b.at))) {
            out.push({
              ...base,
              key: `assessmentReminder:${uid}:${b.at}:${days}d`,
              kind: 'assessmentReminder',
              at: londonInstant(addDays(b.at.slice(0, 10), -days), time),
              expiresAt: until,
              to: ['apprentice', 'employer'],
              assessmentAt: b.at,
              location: b.location,
              daysBefore: days,
            });
          }
        }
      } else if (attempt.invited && attempt.cancelledBooking) {
        // Cancelled (or voided by extenuating circumstances) after an invite went out.
        const b = attempt.cancelledBooking;
        const on =
          [attempt.cancellations[attempt.cancellations.length - 1]?.on, attempt.extenuating[attempt.extenuating.length - 1]?.on]
            .filter((d): d is string => d !== undefined)
            .sort()
            .pop() ?? b.bookedOn;
        out.push(invite(b, 'inviteCancelled', `invite:${uid}:${attempt.inviteSequence}:cancel`, on, attempt.inviteSequence));
      }
    }
  }

  out.push(...seedImpliedMessages(state, plan, policy, deadlines));

  for (const d of deadlines) {
    if (d.status === 'met' || d.status === 'metLate') continue;
    const expires = endOfLondonDay(d.due);
    if (SUBMISSIONS.has(d.key)) {
      out.push(...deadlineReminders(d, 'deadlineReminder', policy));
    }
    if (RESULT_OR_CERTIFICATE.test(d.key) && adminAlertWorkingDaysBefore > 0) {
      out.push({
        key: `deadlineNear:${d.key}:${d.due}`,
        rule: d.rule,
        source: d.source,
        kind: 'deadlineNear',
        at: londonInstant(subtractWorkingDays(d.due, adminAlertWorkingDaysBefore), time),
        expiresAt: expires,
        to: ['epaoAdmin'],
        deadlineKey: d.key,
        due: d.due,
        component: d.component,
      });
    }
    if (d.key === 'epaPeriodEnds') {
      out.push({
        key: `epaPeriodEscalation:${d.due}`,
        kind: 'epaPeriodEscalation',
        at: expires,
        to: ['epaoAdmin', 'provider', 'employer'],
        deadlineKey: d.key,
        due: d.due,
        rule: d.rule,
        source: d.source,
      });
    } else if (d.key !== 'observationNoticeBy') {
      out.push({
        key: `deadlineMissed:${d.key}:${d.due}`,
        kind: 'deadlineMissed',
        at: expires,
        to: ['epaoAdmin'],
        deadlineKey: d.key,
        due: d.due,
        component: d.component,
        rule: d.rule,
        source: d.source,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/** Messages about events (each news for EVENT_NEWS_DAYS) and the resit window's closing reminders. */
function seedImpliedMessages(state: EpaState, plan: Plan, policy: Policy, deadlines: Deadline[]): Notification[] {
  const out: Notification[] = [];
  const news = (key: string, kind: NotificationKind, on: LondonDate, to: Role[], extra: Partial<Notification> = {}) =>
    out.push({ key, kind, at: londonInstant(on), expiresAt: endOfLondonDay(addDays(on, EVENT_NEWS_DAYS)), to, ...extra });
  const { gateway } = state;
  gateway.rejections.forEach((r, i) =>
    news(`gatewayOutcome:rejected:${i + 1}:${r.on}`, 'gatewayOutcome', r.on, ['apprentice', 'employer', 'provider'], {
      outcome: 'rejected',
      reason: r.reason,
      source: policy.gatewaySource,
    }),
  );
  for (const on of gateway.passes) {
    news(`gatewayOutcome:passed:${on}`, 'gatewayOutcome', on, ['apprentice', 'employer', 'provider'], {
      outcome: 'passed',
      source: policy.gatewaySource,
    });
  }
  if (state.planningMeeting && policy.planningMeeting) {
    const m = state.planningMeeting;
    const meeting = {
      assessmentAt: m.at,
      durationMinutes: policy.planningMeeting.minutes,
      source: policy.planningMeeting.source,
    };
    news(`planningMeeting:${m.at}`, 'planningMeeting', m.bookedOn, ['apprentice', 'employer'], {
      ...meeting,
      expiresAt: londonDateTimeInstant(m.at),
    });
    if (m.heldOn) news(`planningMeetingHeld:${m.heldOn}`, 'planningMeetingHeld', m.heldOn, ['apprentice', 'employer'], meeting);
  }
  for (const spec of plan.components) {
    for (const a of state.components[spec.id]!.attempts) {
      const about = { component: spec.id, componentName: spec.name, attempt: a.number, attemptKind: a.kind };
      if (a.publishedOn && a.grade) {
        const grade = a.appeal?.previousGrade ?? a.grade; // the grade as published
        news(`resultPublished:${spec.id}-${a.number}`, 'resultPublished', a.publishedOn, ['apprentice'], {
          ...about,
          grade,
          source: policy.results.source,
        });
      }
      if (a.appeal?.decidedOn && a.appeal.outcome) {
        news(`appealDecided:${spec.id}-${a.number}`, 'appealDecided', a.appeal.decidedOn, ['apprentice', 'employer'], {
          ...about,
          outcome: a.appeal.outcome,
          grade: a.grade,
          ...(a.appeal.previousGrade && { previousGrade: a.appeal.previousGrade }),
          source: policy.appeals.basis ?? policy.appeals.source,
        });
      }
    }
  }
  for (const on of [
    ...(state.certificate.previousClaims ?? []),
    ...(state.certificate.claimedOn ? [state.certificate.claimedOn] : []),
  ]) {
    news(`certificateClaimed:${on}`, 'certificateClaimed', on, ['apprentice', 'employer'], { source: policy.certificate.source });
  }
  if (state.certificate.receivedOn) {
    news(`certificateReceived:${state.certificate.receivedOn}`, 'certificateReceived', state.certificate.receivedOn, [
      'apprentice',
      'employer',
    ]);
  }
  const { refusal, retries, statuses } = state.certificate;
  if (refusal)
    news(`certificateClaimRefused:${retries ?? 0}:${refusal.on}`, 'certificateClaimRefused', refusal.on, ['epaoAdmin'], {
      reason: refusal.messages.join('; '),
    });
  (statuses ?? []).forEach((s, i) => {
    if (s.status === 'NotDelivered')
      news(`certificateNotDelivered:${i + 1}:${s.on}`, 'certificateNotDelivered', s.on, ['epaoAdmin']);
  });
  const resit = deadlines.find((d) => d.key === 'resitDeadline' && d.status !== 'met' && d.status !== 'metLate');
  if (resit && !state.withdrawn) {
    out.push(...deadlineReminders(resit, 'resitWindowClosing', policy));
  }
  return out;
}

/** The notifications to send at `now`: due, not expired, not yet sent. */
export function dueNotifications(all: Notification[], now: number, sent: ReadonlySet<string>): Notification[] {
  return all.filter((n) => n.at <= now && (n.expiresAt === undefined || now < n.expiresAt) && !sent.has(n.key));
}

/** The next instant after `now` at which something happens by itself: a notification or a deadline expiring. */
export function nextWakeUp(all: Notification[], deadlines: Deadline[], now: number): number | undefined {
  let next: number | undefined;
  for (const n of all) if (n.at > now && (next === undefined || n.at < next)) next = n.at;
  for (const d of deadlines) {
    const t = Date.parse(d.dueAt);
    if (d.status === 'open' && t > now && (next === undefined || t < next)) next = t;
  }
  return next;
}

/** The EPAO admin's message that `n` could not be sent to `role` (no address: the role says who). */
export function messageFailedAlert(n: Notification, role: Role, error: string, at: number): Notification {
  return {
    key: `messageFailed:${n.key}:${role}`,
    kind: 'messageFailed',
    at,
    to: ['epaoAdmin'],
    failed: { kind: n.kind, role, error: error.slice(0, 500) },
  };
}
