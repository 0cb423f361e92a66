/**
 * The EPA workflow's public surface: one Update per admin event type, a status query, and the
 * shapes they carry. Imported by the workflow and by clients (CLI, API, tests).
 */
import type { LateEntryWatch } from '../src/epa/late-entry';
import type { ImportedLateEntry, Notification } from '../src/epa/notifications';
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { eventTypeNames, SYSTEM_EVENT_TYPES } from '../src/epa/event-check';
import type { EpaEventType } from '../src/epa/events';
import { mostUrgentMissed, type Role } from '../src/epa/deadlines';
import type { EpaView } from '../src/epa/evaluate';
import { filterKey } from '../src/temporal/search-attributes';
import type { EpaStart, People, RestartNote } from '../src/epa/people';
import type { EpaState, Finding } from '../src/epa/state';
import type { TimelineEntry } from '../src/epa/timeline';
import type { RecordedEvent } from '../src/epa/corrections';
import type { CertificateTask } from '../src/epa/certificate-claims';
import type { EpaIndexRow } from '../activities/types';
import { rowTasks, type RowTask, type Task } from '../src/epa/tasks';

export const EPA_TASK_QUEUE = 'epa';

/** An event payload as an admin sends it: the event without its `type` (the Update's name is the type). */
export type EventPayload = Record<string, unknown>;

export interface NotificationLogEntry {
  key: string;
  kind: string;
  /** The recipient's role (one entry per recipient). */
  role: string;
  to: string[];
  at: string;
  /** `expired`: still undelivered when its moment had passed (a reminder after the event), so not sent. */
  status: 'sent' | 'failed' | 'expired';
  error?: string;
  messageId?: string;
}

/** Which rules an EPA decides by: the plan version and EPAO policy pinned when it started, with their content hashes. */
export interface RulesInUse {
  standard: string;
  version: string;
  planHash: string;
  epao: string;
  policyHash: string;
}

export interface EpaStatus extends EpaView {
  epaId: string;
  uln: string;
  people: People;
  eventCount: number;
  /** Violations accepted by an admin's override, with the reasons. */
  overrides: { rule: string; reason: string; event: number; on: string }[];
  log: NotificationLogEntry[];
  completed: boolean;
  /** How many workflow runs this EPA has used (continue-as-new keeps history short). */
  runs: number;
  rules: RulesInUse;
  /** When this EPA was started again after an earlier run finished: which run, and why. */
  restartOf?: RestartNote;
  /** Every event (the newest 500): when, who recorded it and when, the reason given, what it changed. */
  timeline: TimelineEntry[];
  /** Claims through the assessment service: what staff must do before the claim can be made (missing details, a refusal). */
  certificateTask?: CertificateTask;
  /** The staff member who owns the EPA's tasks (CaseOwnerAssigned); absent: no owner yet. */
  caseOwner?: { username: string; name: string; on: string };
  /** Everything about the EPA that needs a person, done or not, oldest due first (src/epa/tasks.ts). Absent from older workers' answers. */
  tasks?: Task[];
}

/**
 * What an accepted Update returns: where the EPA stands now, and what this event raised. Bounded
 * whatever the EPA's length: the accumulated findings, overrides, notifications and log are in
 * the status query, not here (they once grew every result until the server refused it).
 */
export type EpaSummary = Omit<
  EpaStatus,
  | 'notifications'
  | 'log'
  | 'people'
  | 'overrides'
  | 'violations'
  | 'warnings'
  | 'restartOf'
  | 'timeline'
  | 'rules'
  | 'certificateTask'
  | 'tasks'
> & {
  /** The violations (accepted with an override) and warnings this event raised. */
  violations: Finding[];
  warnings: Finding[];
};

export function summarise(status: EpaStatus, raised: { violations: Finding[]; warnings: Finding[] }): EpaSummary {
  const {
    notifications: _n,
    log: _l,
    people: _p,
    overrides: _o,
    violations: _v,
    warnings: _w,
    restartOf: _r,
    timeline: _t,
    rules: _rules,
    certificateTask: _task,
    tasks: _tasks,
    ...summary
  } = status;
  return { ...summary, violations: raised.violations, warnings: raised.warnings };
}

/** Kept in the workflow memo, so list views have it without querying each EPA. */
export interface EpaListingMemo {
  uln: string;
  apprentice: string;
  employer: string;
  /** The training provider's organisation: set by the client when the EPA starts (the workflow leaves it). */
  provider?: string;
  standard: string;
  epao: string;
  stage: string;
  missed: { key: string; due: string; component?: string }[];
  next: { key: string; due: string } | null;
  /** Assessments booked and not yet taken, soonest first. */
  bookings: { component: string; at: string }[];
  /** The planning meeting booked and not yet held (patch 'listing-planning-meeting'): the board's next 14 days show it; null once held. */
  planningMeeting?: { at: string } | null;
  /** The case owner and the open tasks (taskFields); absent in memos written before tasks. */
  caseOwner?: { username: string; name: string } | null;
  tasks?: RowTask[];
}

/** Sent notification keys and log entries carried across continue-as-new (the rest is in old runs' histories). */
export const SENT_KEYS_CARRIED = 2000;
export const LOG_ENTRIES_KEPT = 500;

/** Assessments booked and not yet taken, soonest first: what the board's next 14 days show besides deadlines. */
export function bookedAssessments(v: EpaView): { component: string; at: string }[] {
  const out: { component: string; at: string }[] = [];
  for (const [component, c] of Object.entries(v.components)) {
    const latest = c.attempts[c.attempts.length - 1];
    if (latest?.booking && !latest.takenOn) out.push({ component, at: latest.booking.at });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The planning meeting booked and not yet held: the board's next 14 days show it beside the assessments. */
export function bookedPlanningMeeting(v: Pick<EpaView, 'planningMeeting'>): { at: string } | undefined {
  const m = v.planningMeeting;
  return m && !m.heldOn ? { at: m.at } : undefined;
}

/** The search attributes the lists filter, sort and page by on the server. */
export interface ListingAttributes {
  apprenticeKey: string;
  providerKey: string;
  /** Who must act on the most urgent missed deadline, and when it expired; null when none is missed. */
  owner: Role | null;
  overdueSince: string | null;
  /** London dates of assessments booked and not yet taken (and, with `planningMeeting`, of the planning meeting booked), space-separated. */
  bookingDays: string;
}

/**
 * `planningMeeting`: the planning meeting booked counts as a booking (its day in the booking days,
 * itself in the memo). The workflow passes patched('listing-planning-meeting'); a client, true.
 */
export interface ListingOptions {
  planningMeeting?: boolean;
}

export function listingAttributes(
  people: Pick<People, 'apprentice' | 'provider'>,
  v: EpaView,
  options: ListingOptions = {},
): ListingAttributes {
  const urgent = mostUrgentMissed(v.deadlines);
  const meeting = options.planningMeeting ? bookedPlanningMeeting(v) : undefined;
  const days = [...bookedAssessments(v).map((b) => b.at), ...(meeting ? [meeting.at] : [])].map((at) => at.slice(0, 10)).sort();
  return {
    apprenticeKey: filterKey(people.apprentice.name),
    providerKey: filterKey(people.provider.organisation),
    owner: urgent?.owner ?? null,
    overdueSince: urgent?.dueAt ?? null,
    bookingDays: [...new Set(days)].join(' '),
  };
}

/** What listings show for an EPA without querying it (kept in the workflow memo). */
export function listingMemo(input: EpaStart, v: EpaView, options: ListingOptions = {}): EpaListingMemo {
  const meeting = options.planningMeeting ? bookedPlanningMeeting(v) : undefined;
  return {
    uln: input.uln,
    apprentice: input.apprentice.name,
    employer: input.employer.organisation,
    standard: input.standard,
    epao: input.epao,
    stage: v.stage,
    missed: v.deadlines
      .filter((d) => d.status === 'missed')
      .map((d) => ({ key: d.key, due: d.due, ...(d.component && { component: d.component }) })),
    next: v.nextDeadline ? { key: v.nextDeadline.key, due: v.nextDeadline.due } : null,
    bookings: bookedAssessments(v),
    ...(meeting && { planningMeeting: meeting }),
  };
}

/** The listing index's row and change are the activity contract's (activities/types.ts); named here too for clients. */
export type { EpaIndexChange, EpaIndexRow } from '../activities/types';

export function listingRow(
  epaId: string,
  input: Pick<EpaStart, 'uln' | 'standard' | 'epao'>,
  people: Pick<People, 'apprentice' | 'employer' | 'provider'>,
  v: EpaView,
  startedAt: string,
  options: ListingOptions = {},
): EpaIndexRow {
  const urgent = mostUrgentMissed(v.deadlines);
  // Behind the patch too: a row that changes when the meeting is booked is a write (an activity) more.
  const meeting = options.planningMeeting ? bookedPlanningMeeting(v) : undefined;
  return {
    epaId,
    uln: input.uln,
    apprentice: people.apprentice.name,
    standard: input.standard,
    epao: input.epao,
    employer: people.employer.organisation,
    provider: people.provider.organisation,
    stage: v.stage,
    running: v.stage !== 'Completed' && v.stage !== 'Withdrawn',
    overdue: v.overdue,
    overdueSince: urgent?.dueAt ?? null,
    mustAct: urgent?.owner ?? null,
    nextDeadline: v.nextDeadline ? { key: v.nextDeadline.key, due: v.nextDeadline.due, dueAt: v.nextDeadline.dueAt } : null,
    missed: v.deadlines
      .filter((d) => d.status === 'missed')
      .map((d) => ({ key: d.key, due: d.due, ...(d.component && { component: d.component }), owner: d.owner })),
    bookings: bookedAssessments(v),
    ...(meeting && { planningMeeting: meeting }),
    startedAt,
  };
}

/** What the lists show of an EPA's tasks: its case owner and its open tasks (the row's and the memo's last fields). */
export function taskFields(
  state: Pick<EpaState, 'caseOwner'>,
  tasks: readonly Task[],
): { caseOwner: { username: string; name: string } | null; tasks: RowTask[] } {
  return {
    caseOwner: state.caseOwner ? { username: state.caseOwner.username, name: state.caseOwner.name } : null,
    tasks: rowTasks(tasks),
  };
}

/** What continue-as-new carries over. */
export interface EpaCarry {
  state: EpaState;
  sent: string[];
  log: NotificationLogEntry[];
  runs: number;
  /** Event ids recorded so far (the newest 1,000), so a repeat is recognised in the next run too. */
  eventIds: Record<string, string>;
  timeline: TimelineEntry[];
  /** Contact details as corrected since the start. */
  people: People;
  /** The state before the events kept individually, those events, and invite SEQUENCE offsets (corrections.ts). */
  base: EpaState;
  recorded: RecordedEvent[];
  inviteOffsets: Record<string, number>;
  /** The version of the last row written to the listing index. */
  indexVersion: number;
  /** When the claimed certificate's status is read next, and the interval then (absent while none is tracked). */
  certificatePoll?: { nextAt: number; every: number };
  /** Alerts of facts entered late, waiting for their quiet period (src/epa/late-entry.ts). */
  lateEntry?: LateEntryWatch;
  /** Started by an import, and reported to its summary already. */
  importReported?: boolean;
  /** The messages that failed for good, as they were to be sent (the newest): what an admin may send again. */
  failedMessages?: Notification[];
}

/** Operational settings, not rules: kept across continue-as-new. */
export interface EpaSettings {
  /** Continue-as-new once the history passes this many events. */
  historyLimit?: number;
  /**
   * How long one attempt at one message may take before Temporal retries it (default 5 minutes). A
   * retry never sends twice while the first attempt lives: each message is claimed in the sent
   * record (with a lease the attempt renews while it heartbeats) before the SMTP server is spoken to.
   */
  deliveryTimeout?: Duration;
  /** First retry delay after a transient delivery failure, doubling up to 30 minutes (default 10 seconds). */
  deliveryRetryInterval?: Duration;
  /** First retry delay while the assessment service cannot be reached, doubling up to an hour (default 1 minute). */
  claimRetryInterval?: Duration;
  /** How long one attempt at a claim may take before Temporal tries again, elsewhere if its worker died (default 2 minutes). */
  claimTimeout?: Duration;
  /** First look at a claimed certificate's status, and the interval after a change (default 1 day; backs off to 7 times it). */
  certificatePollInterval?: Duration;
  /** The quiet period before the summary of facts entered late, in seconds (EPA_LATE_ENTRY_QUIET_SECONDS; default: the EPAO's). */
  lateEntryQuietSeconds?: number;
}

export const statusQuery = defineQuery<EpaStatus>('status');

/** An event as it would be recorded now (a void included), for a check-your-answers page: nothing is applied or sent. */
export interface PreviewRequest {
  type: string;
  payload: EventPayload;
}
/** The EPA as it would stand after the event, and the calendar corrections a void would send; or why it would be refused. */
export type PreviewAnswer = { view: EpaView; corrections: Notification[] } | { refused: string };
/** Read-only: answers from the run's state with the rules core; no command, so no `patched` (issue 29). */
export const previewQuery = defineQuery<PreviewAnswer, [PreviewRequest]>('preview');

/** One Update per event type, named as the event (`AssessmentBooked`, `GradeRecorded`, …). */
export const eventUpdates = Object.fromEntries(
  eventTypeNames.filter((t) => !SYSTEM_EVENT_TYPES.has(t)).map((t) => [t, defineUpdate<EpaSummary, [EventPayload]>(t)]),
) as Record<EpaEventType, ReturnType<typeof defineUpdate<EpaSummary, [EventPayload]>>>;

/**
 * An import's one summary for the EPAO admin (issue 28 part 2): a workflow, `epa-import-<id>`,
 * started before the import's first EPA, hears from each of them once its late-entry quiet period
 * is over (`lateEntryReported`, with nothing to report or with what it would have sent the admin),
 * and then sends one message listing every apprentice with something to report. An EPA that cannot
 * reach it (it has finished) sends its own summary: nothing is lost.
 */
export interface ImportSummaryInput {
  importId: string;
  /** The ULNs the import is to start (`importStarted` narrows them to those it did). */
  expected: string[];
  epaoAdmin: { name: string; email: string };
  /** How long to wait for every EPA before sending what has come (ms). */
  waitMs: number;
}

export function importSummaryWorkflowId(importId: string): string {
  return `epa-import-${importId}`;
}

export const lateEntryReported = defineSignal<[ImportedLateEntry]>('lateEntryReported');
/**
 * The import has finished starting: the ULNs it started, and those of them entering late
 * (`reporting`, src/epa/late-entry.ts `entersLate`): the summary waits for these only. Without
 * `reporting` (sent before it was added) it waits for every one started.
 */
export const importStarted = defineSignal<[{ started: string[]; reporting?: string[] }]>('importStarted');
