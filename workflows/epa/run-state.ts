/**
 * One EPA run's state, in one object: the rules it decides by, the EPA's state and recorded
 * events, who it writes to, what it has sent, and the jobs under way beside the loop (deliveries,
 * the listing index write, the claim and the certificate polling). Every room of the workflow is a
 * small function over it (publish.ts, delivery.ts, claims.ts, events.ts, carry.ts).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { EpaInputError } from '../../src/epa/errors';
import type { SeenEventIds } from '../../src/epa/event-ids';
import { lateEntryQuietMs, type LateEntryWatch } from '../../src/epa/late-entry';
import { newEpa, recordEvent, startingState, view, type EpaView } from '../../src/epa/evaluate';
import { trimRecorded, type InviteOffsets, type RecordedEvent } from '../../src/epa/corrections';
import { parseEvent } from '../../src/epa/event-check';
import { appendTimeline, timelineEntry, type TimelineEntry } from '../../src/epa/timeline';
import type { Notification } from '../../src/epa/notifications';
import { workflowIdFor } from '../../src/epa/ids';
import type { EpaStart, EpaWorkflowInput, People } from '../../src/epa/people';
import { applyEvent, type Applied, type RuleContext } from '../../src/epa/reducer';
import type { EpaEvent } from '../../src/epa/events';
import type { EpaState } from '../../src/epa/state';
import type { EpaCarry, EpaIndexRow, EpaSettings, NotificationLogEntry, RulesInUse } from '../definitions';
import { runActivities, type RunActivities } from './activities';

/** Polling a claimed certificate's status: first a day after the claim, then backing off to once a week (reset when it changes). */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Continue-as-new past this many history events (the server suggests it much later). */
const DEFAULT_HISTORY_LIMIT = 4000;

/** The listing index: one write at a time, always of the newest row, each with a higher version than the last. */
export interface IndexWrites {
  /** The row last written, as JSON (and without its task fields); the row waiting to be written; whether a write is under way. */
  written: string;
  writtenClassic: string;
  wanted: EpaIndexRow | undefined;
  writing: boolean;
  version: number;
  failures: number;
  /** After a failed write: not before this instant (workflow time). */
  retryAt: number | undefined;
}

export interface RunState {
  readonly input: EpaWorkflowInput;
  readonly settings: EpaSettings;
  readonly epaId: string;
  readonly ctx: RuleContext;
  readonly rules: RulesInUse;
  /** How many workflow runs this EPA has used, this one included. */
  readonly runs: number;
  readonly historyLimit: number;
  readonly activities: RunActivities;
  state: EpaState;
  /** The state before the events kept individually (older ones are folded in; they cannot be voided). */
  base: EpaState;
  /** The newest events, kept to work the state out again when one is voided (corrections.ts). */
  recorded: RecordedEvent[];
  /** Keys of the notifications handed to delivery (or dealt with otherwise). */
  readonly sent: Set<string>;
  readonly log: NotificationLogEntry[];
  /** Bumped by every change the loop must look at (an event applied, a poll answered). */
  changes: number;
  /** Who the EPA writes to: as started, with any ContactDetailsChanged since. */
  people: People;
  /** Added to an assessment's invite SEQUENCE when sent: a void re-issued or cancelled it above the rules' count. */
  readonly inviteOffsets: InviteOffsets;
  /** Invites a void put right, with their SEQUENCE already final, for the loop to send (and messages an admin sends again). */
  readonly corrections: Notification[];
  /** The messages that failed for good, by key, as they were to be sent (the newest FAILED_KEPT): what an admin may send again. */
  readonly failedMessages: Map<string, Notification>;
  /** The audit staff read: every event, who recorded it and when, what it changed (the newest 500). */
  readonly timeline: TimelineEntry[];
  /** Ids of events recorded so far (the newest 1,000), to recognise a repeat. */
  readonly eventIds: SeenEventIds;
  /**
   * The notification keys scheduled at the previous look: what is new to the schedule was entered
   * late if its moment has passed. A new EPA knows nothing yet (its history is entered at start); a
   * continued run takes the carried schedule as known.
   */
  known: Set<string> | undefined;
  /** The deadlines met late at the previous look (late-entry.ts `metLateIds`), like `known`. */
  lateKnown: Set<string> | undefined;
  /** Alerts of facts entered late, held until a quiet period after the last entry (late-entry.ts). */
  lateEntry: LateEntryWatch | undefined;
  /** That quiet period (ms): the setting, else the EPAO's, else 10 minutes. */
  readonly lateEntryQuietMs: number;
  /** Started by an import: whether this EPA has reported its late entry to the import's summary yet. */
  importReported: boolean;
  /** Jobs under way beside the loop (deliveries, index writes, claims, polls). */
  inFlight: number;
  /** Whether an admin event has come in through an Update in this run (the loop's timer patch waits for one). */
  updated: boolean;
  /**
   * The view last derived, of which state and at which instant: within one workflow task the clock
   * stands still, so the handler, the loop and the reply share one derivation (`current`).
   */
  viewed: { state: EpaState; at: number; view: EpaView } | undefined;
  /** An Update's admission, from its validator to its handler in the same workflow task (events.ts). */
  admitted: { updateId: string; changes: number; at: number; applied: Applied & { event: EpaEvent } } | undefined;
  /** The search attributes and memo last published (publish.ts). */
  published: Record<string, unknown>;
  readonly index: IndexWrites;
  /** The claim under way with the assessment service (its key). */
  readonly claiming: { key: string | undefined; inFlight: boolean };
  /** The certificate status polling: when next, the interval now, and its bounds. */
  readonly polling: { nextAt: number | undefined; every: number; inFlight: boolean; first: number; longest: number };
}

/** The run's state from the workflow's input, or from the carry of the run before. */
export function startRun(input: EpaWorkflowInput, carry: EpaCarry | undefined, settings: EpaSettings): RunState {
  const activities = runActivities(settings);
  const firstPoll = settings.certificatePollInterval ? msToNumber(settings.certificatePollInterval) : DAY_MS;
  let ctx: RuleContext;
  let rules: RulesInUse;
  let state: EpaState;
  let base: EpaState;
  let recorded: RecordedEvent[];
  let first: EpaView;
  try {
    // The rules pinned when the EPA started (the client resolves them).
    const pinned = input.rules as EpaWorkflowInput['rules'] | undefined;
    if (!pinned) throw new EpaInputError(`no rules pinned for ${input.standard} assessed by ${input.epao}`, 'rules');
    rules = {
      standard: pinned.plan.standard,
      version: pinned.plan.version,
      planHash: pinned.planHash,
      epao: pinned.policy.id,
      policyHash: pinned.policyHash,
    };
    ctx = { plan: pinned.plan, policy: pinned.policy };
    state = carry?.state ?? firstState(input, ctx);
    first = view(state, ctx, Date.now()); // every date the rules derive must be computable
    if (carry) {
      base = carry.base;
      recorded = carry.recorded;
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
  return {
    input,
    settings,
    epaId: workflowIdFor(input.uln),
    ctx,
    rules,
    runs: carry?.runs ?? 1,
    historyLimit: settings.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    activities,
    state,
    base,
    recorded,
    sent: new Set<string>(carry?.sent ?? []),
    log: carry?.log ?? [],
    changes: 0,
    people: carry?.people ?? {
      apprentice: input.apprentice,
      employer: input.employer,
      provider: input.provider,
      epaoAdmin: input.epaoAdmin,
    },
    inviteOffsets: { ...carry?.inviteOffsets },
    corrections: [],
    failedMessages: new Map((carry?.failedMessages ?? []).map((n) => [n.key, n])),
    timeline: carry ? carry.timeline : startTimeline(input, ctx, first),
    eventIds: { ...carry?.eventIds },
    known: carry ? undefined : new Set(),
    lateKnown: carry ? undefined : new Set(),
    lateEntry: carry?.lateEntry,
    lateEntryQuietMs: lateEntryQuietMs(ctx.policy, settings.lateEntryQuietSeconds),
    importReported: carry?.importReported ?? false,
    inFlight: 0,
    updated: false,
    viewed: { state, at: Date.now(), view: first },
    admitted: undefined,
    published: {},
    index: {
      written: '',
      writtenClassic: '',
      wanted: undefined,
      writing: false,
      version: carry?.indexVersion ?? 0,
      failures: 0,
      retryAt: undefined,
    },
    claiming: { key: undefined, inFlight: false },
    polling: {
      nextAt: carry?.certificatePoll?.nextAt,
      every: carry?.certificatePoll?.every ?? firstPoll,
      inFlight: false,
      first: firstPoll,
      longest: 7 * firstPoll,
    },
  };
}

/** What the rules make of the EPA now. */
export function current(run: RunState): EpaView {
  return viewOf(run, run.state);
}

/**
 * The view of `state` now, derived once per state and instant: within a workflow task the clock
 * stands still, so an Update's handler, its reply and the loop share one derivation. States and
 * views are never changed in place.
 */
export function viewOf(run: RunState, state: EpaState): EpaView {
  const now = Date.now();
  const seen = run.viewed;
  if (seen && seen.state === state && seen.at === now) return seen.view;
  const v = view(state, run.ctx, now);
  run.viewed = { state, at: now, view: v };
  return v;
}

/** The state after the gateway submission that starts the workflow, and any history entered with it. */
function firstState(input: EpaStart, ctx: RuleContext): EpaState {
  return input.events?.length
    ? startingState(ctx, input.gatewaySubmittedOn, input.events)
    : applyEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: input.gatewaySubmittedOn }, 0, ctx).state;
}

/**
 * A new EPA's first entries: its gateway submission and the history it was entered with. `last` is
 * the view of the state they all make (derived already), the after of the last entry.
 */
function startTimeline(input: EpaWorkflowInput, ctx: RuleContext, last: EpaView): TimelineEntry[] {
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
    const after = i === events.length - 1 ? last : view(folded, ctx, startedAt);
    const by = input.startedBy ?? (typeof raw.by === 'string' ? raw.by : undefined);
    appendTimeline(
      entries,
      timelineEntry({ ...applied.event, ...(by !== undefined && { by }) }, before, after, folded.eventCount, startedAt),
    );
    before = after;
  });
  return entries;
}
