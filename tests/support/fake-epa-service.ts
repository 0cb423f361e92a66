/**
 * In-memory fakes of the application services the staff pages call, for the route tests
 * (tests/web), as hmpps-template-typescript's route tests run on mocked services: an EPA service
 * (src/app/epa-service.ts) whose EPAs are real views of the pure core (the rules decide stage,
 * deadlines and forms), listings over invented rows, and a user store. No Temporal, no browser.
 */
import { londonDateOf } from '../../src/calendar';
import { EpaHistoryError, EpaInputError, EpaTransitionError, fromZodError } from '../../src/epa/errors';
import type { Role } from '../../src/epa/deadlines';
import type { Notification } from '../../src/epa/notifications';
import { nextAgainKey, originalKey, resendRefusal } from '../../src/epa/resend';
import { enterHistory, view } from '../../src/epa/evaluate';
import { timelineEntry, type TimelineEntry } from '../../src/epa/timeline';
import { epaTasks } from '../../src/epa/tasks';
import { workflowIdFor } from '../../src/epa/ids';
import { EpaStartSchema, type EpaStart, type RestartNote } from '../../src/epa/people';
import { rules } from '../../src/plans';
import type { EpaService } from '../../src/app/epa-service';
import type { SentCopies, SentCopy } from '../../activities/sent-record';
import {
  checkListingQuery,
  compareListings,
  matchesText,
  tasksOfListings,
  type TaskQuery,
  type EpaListings,
  type ListingOrder,
  type ListingQuery,
  type ListingDirection,
} from '../../src/app/listings';
import type { AccountAudit, AccountChange, StaffUser, UserStore } from '../../src/app/users';
import { summarise, type EpaStatus, type EpaSummary, type PreviewAnswer } from '../../workflows/definitions';
// The one import from the EPA gateway (its errors and listing type): repoint it if the gateway moves.
import {
  EpaAlreadyExistsError,
  EpaNotFoundError,
  EpaRejectedError,
  parseEventType,
  parseUln,
  type EpaListing,
} from '../../src/app/epa-client';

/** One call the pages made, in order. */
export type EpaCall =
  | { method: 'status' | 'existing'; uln: string }
  | { method: 'validateStart'; raw: unknown }
  | { method: 'start'; raw: unknown; options: { idempotencyKey?: string; by?: string; importId?: string } }
  | { method: 'startImportSummary'; importId: string; expected: string[] }
  | { method: 'importStarted'; importId: string; started: string[]; reporting: string[] }
  | { method: 'recordEvent'; uln: string; type: string; payload: Record<string, unknown>; idempotencyKey?: string }
  | { method: 'preview'; uln: string; type: string; payload: Record<string, unknown> }
  | { method: 'restart'; raw: unknown; reason: string };

/** The EPA gateway in memory: EPAs by ULN, each a view of its start and events by the pure core. */
export class FakeEpaService implements EpaService {
  readonly calls: EpaCall[] = [];
  private readonly epas = new Map<string, { input: EpaStart; events: Record<string, unknown>[] }>();
  /** Notification log entries an EPA's status shows, by ULN (default none). */
  readonly logs = new Map<string, EpaStatus['log']>();
  /** The refusal the next recordEvent meets (as the workflow would answer), once. */
  refuseNext: Error | undefined;
  /** The warnings the next recordEvent raises (as the core would), once. */
  warnNext: EpaSummary['warnings'] = [];
  /**
   * Whether recordEvent keeps the event (the browser journeys: a void, a note, a withdrawal show on
   * the next page); off for the route tests, whose EPAs stay as each test file seeded them.
   */
  keepsRecorded = false;
  private recordedCount = 0;

  constructor(private readonly now: () => number) {}

  /** Adds an EPA as though started with `events` as its history. */
  add(input: EpaStart, events: Record<string, unknown>[] = []): EpaStart {
    this.epas.set(input.uln, { input, events });
    return input;
  }

  callsOf<M extends EpaCall['method']>(method: M): Extract<EpaCall, { method: M }>[] {
    return this.calls.filter((c): c is Extract<EpaCall, { method: M }> => c.method === method);
  }

  async status(uln: string): Promise<EpaStatus> {
    this.calls.push({ method: 'status', uln });
    return this.statusOf(uln);
  }

  async existing(uln: string): Promise<string | undefined> {
    this.calls.push({ method: 'existing', uln });
    // As the client: the EPA's workflow status in lower case ("running"), undefined when none exists.
    return this.epas.has(uln) ? 'running' : undefined;
  }

  async validateStart(raw: unknown): Promise<EpaStart> {
    this.calls.push({ method: 'validateStart', raw });
    return this.check(raw);
  }

  async start(
    raw: unknown,
    _settings?: unknown,
    options: { idempotencyKey?: string; by?: string; importId?: string } = {},
  ): Promise<{ epaId: string; input: EpaStart; entersLate: boolean }> {
    this.calls.push({ method: 'start', raw, options });
    const input = this.check(raw);
    if (this.epas.has(input.uln)) throw new EpaAlreadyExistsError(`an EPA for ULN ${input.uln} already exists`);
    this.add(input, (input.events ?? []) as Record<string, unknown>[]);
    // No rules here: an EPA started with a history is taken to enter late.
    return { epaId: workflowIdFor(input.uln), input, entersLate: (input.events ?? []).length > 0 };
  }

  async startImportSummary(importId: string, expected: string[]): Promise<void> {
    this.calls.push({ method: 'startImportSummary', importId, expected });
  }

  async importStarted(importId: string, started: string[], reporting: string[]): Promise<void> {
    this.calls.push({ method: 'importStarted', importId, started, reporting });
  }

  async recordEvent(
    uln: string,
    type: string,
    payload: Record<string, unknown> = {},
    options: { idempotencyKey?: string } = {},
  ): Promise<EpaSummary> {
    parseEventType(type);
    this.calls.push({
      method: 'recordEvent',
      uln,
      type,
      payload,
      ...(options.idempotencyKey && { idempotencyKey: options.idempotencyKey }),
    });
    const refusal = this.refuseNext;
    this.refuseNext = undefined;
    if (refusal) throw refusal;
    if (this.keepsRecorded) {
      const epa = this.epas.get(parseUln(uln));
      if (!epa) throw new EpaNotFoundError(`no EPA for ULN ${uln}`);
      // As the client: the form's key is the event's id (and a repeat of it is recorded once).
      const eventId = (payload.eventId as string | undefined) ?? options.idempotencyKey ?? `recorded-${++this.recordedCount}`;
      if (epa.events.some((e) => e.eventId === eventId)) return summarise(this.statusOf(uln), { violations: [], warnings: [] });
      const event = { ...payload, type, eventId };
      const events = [...epa.events, event];
      const { problems } = this.enter(epa.input, applied(events));
      if (problems.length > 0) throw new EpaHistoryError(problems);
      epa.events = events;
    }
    const status = this.statusOf(uln);
    const warnings = this.warnNext;
    this.warnNext = [];
    return summarise(status, { violations: [], warnings });
  }

  /** As the workflow's preview query: the event applied by the core to the EPA's events (a void: without its target); nothing kept. */
  async preview(uln: string, type: string, payload: Record<string, unknown>): Promise<PreviewAnswer> {
    this.calls.push({ method: 'preview', uln, type, payload });
    const epa = this.epas.get(parseUln(uln));
    if (!epa) throw new EpaNotFoundError(`no EPA for ULN ${uln}`);
    try {
      let events = epa.events;
      if (type === 'EventVoided') {
        if (!events.some((e) => e.eventId === payload.voids))
          throw new EpaInputError(`no event with id "${String(payload.voids)}" that can be voided`, 'voids');
        events = events.filter((e) => e.eventId !== payload.voids);
      } else events = [...events, { ...payload, type }];
      const { ctx, state, problems } = this.enter(epa.input, applied(events));
      if (problems.length > 0) throw new EpaHistoryError(problems);
      return { view: view(state, ctx, this.now()), corrections: this.sentAgain(uln, type, payload) };
    } catch (err) {
      return { refused: err instanceof Error ? err.message : String(err) };
    }
  }

  /** As the workflow's preview of MessageSentAgain: the message that would go (to the role, under its next key), or the refusal in words. */
  private sentAgain(uln: string, type: string, payload: Record<string, unknown>): Notification[] {
    if (type !== 'MessageSentAgain') return [];
    const log = this.logs.get(parseUln(uln)) ?? [];
    const key = String(payload.message);
    const role = String(payload.role);
    const refused = resendRefusal(log, key, role);
    if (refused) throw new EpaTransitionError(refused);
    const kind = log.find((l) => l.key === key)!.kind as Notification['kind'];
    return [{ key: nextAgainKey(originalKey(key), new Set(), log), kind, at: this.now(), to: [role as Role] }];
  }

  /** As the client: refused while the EPA runs; otherwise started again from the request (its events gone). */
  async restart(raw: unknown, reason: string): Promise<{ epaId: string; input: EpaStart; restartOf: RestartNote }> {
    this.calls.push({ method: 'restart', raw, reason });
    if (typeof reason !== 'string' || reason.trim().length < 3)
      throw new EpaInputError('give a reason of at least 3 characters', 'reason');
    const input = this.check(raw);
    const previous = this.epas.get(input.uln);
    if (!previous) throw new EpaNotFoundError(`no earlier EPA for ULN ${input.uln} to restart: start it instead`);
    if (!this.statusOf(input.uln).completed)
      throw new EpaRejectedError(
        `the EPA for ULN ${input.uln} is still running: record Withdrawn first if it must start again`,
        'rejected_transition',
      );
    this.add(input);
    const restartOf: RestartNote = {
      previousRunId: 'run-1',
      previousStatus: 'completed',
      reason: reason.trim(),
      on: londonDateOf(this.now()),
    };
    return { epaId: workflowIdFor(input.uln), input, restartOf };
  }

  private check(raw: unknown): EpaStart {
    const parsed = EpaStartSchema.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    rules().resolve(parsed.data.standard, parsed.data.epao, parsed.data.standardVersion);
    // As the gateway: no EPA before its gateway has been submitted.
    const today = londonDateOf(this.now());
    if (parsed.data.gatewaySubmittedOn > today)
      throw new EpaInputError(`${parsed.data.gatewaySubmittedOn} is in the future (today is ${today})`, 'gatewaySubmittedOn');
    const { problems } = this.enter(parsed.data, parsed.data.events ?? []);
    if (problems.length > 0) throw new EpaHistoryError(problems);
    return parsed.data;
  }

  private enter(input: EpaStart, events: readonly unknown[]) {
    const pinned = rules().resolve(input.standard, input.epao, input.standardVersion);
    const ctx = { plan: pinned.plan, policy: pinned.policy };
    return { pinned, ctx, ...enterHistory(ctx, input.gatewaySubmittedOn, events, londonDateOf(this.now())) };
  }

  private statusOf(uln: string): EpaStatus {
    const epa = this.epas.get(parseUln(uln));
    if (!epa) throw new EpaNotFoundError(`no EPA for ULN ${uln}`);
    const { input, events } = epa;
    const { pinned, ctx, state } = this.enter(input, applied(events));
    const v = view(state, ctx, this.now());
    return {
      ...v,
      epaId: workflowIdFor(input.uln),
      uln: input.uln,
      people: { apprentice: input.apprentice, employer: input.employer, provider: input.provider, epaoAdmin: input.epaoAdmin },
      eventCount: state.eventCount,
      overrides: state.violations
        .filter((x) => x.overridden !== undefined)
        .map((x) => ({ rule: x.rule, reason: x.overridden!, event: x.event, on: x.on })),
      log: this.logs.get(input.uln) ?? [],
      completed: v.stage === 'Completed' || v.stage === 'Withdrawn',
      runs: 1,
      rules: {
        standard: pinned.plan.standard,
        version: pinned.plan.version,
        planHash: pinned.planHash,
        epao: pinned.policy.id,
        policyHash: pinned.policyHash,
      },
      timeline: this.timelineOf(input, events),
      ...(state.caseOwner && { caseOwner: state.caseOwner }),
      tasks: epaTasks({
        deadlines: v.deadlines,
        components: v.components,
        tasksDone: state.tasksDone,
        log: this.logs.get(input.uln) ?? [],
      }),
    };
  }

  /** The timeline the workflow would keep: one entry per event, from the core's views before and after it. */
  private timelineOf(input: EpaStart, events: Record<string, unknown>[]): TimelineEntry[] {
    const viewAfter = (n: number) => {
      const { ctx, state } = this.enter(input, applied(events.slice(0, n)));
      return view(state, ctx, this.now());
    };
    const all = [{ type: 'GatewaySubmitted', on: input.gatewaySubmittedOn }, ...events] as (Record<string, unknown> & {
      type: string;
      on: string;
    })[];
    return all.map((event, i) =>
      timelineEntry({ by: 'Amira Sollen', ...event }, i === 0 ? undefined : viewAfter(i - 1), viewAfter(i), i + 1, this.now()),
    );
  }
}

/** The events the rules apply, as the workflow works its state out again: without voids and the entries they voided. */
function applied(events: Record<string, unknown>[]): Record<string, unknown>[] {
  const voided = new Set(events.filter((e) => e.type === 'EventVoided').map((e) => e.voids));
  return events.filter((e) => e.type !== 'EventVoided' && !voided.has(e.eventId));
}

/** The copies of messages sent, in memory (the SentCopies port: activities/sent-record.ts). */
export class FakeSentCopies implements SentCopies {
  readonly copies = new Map<string, SentCopy>();
  async keep(copy: SentCopy): Promise<void> {
    this.copies.set(`${copy.epaId}/${copy.key}/${copy.role}`, copy);
  }
  async read(epaId: string, key: string, role: string): Promise<SentCopy | undefined> {
    return this.copies.get(`${epaId}/${key}/${role}`);
  }
  async list(epaId: string): Promise<SentCopy[]> {
    return [...this.copies.values()].filter((c) => c.epaId === epaId);
  }
  async erase(epaId: string): Promise<number> {
    const mine = [...this.copies.entries()].filter(([, c]) => c.epaId === epaId);
    for (const [k] of mine) this.copies.delete(k);
    return mine.length;
  }
}

/** An invented listing row (names only, as the index keeps). */
export function listingRow(uln: string, apprentice: string, extra: Partial<EpaListing> = {}): EpaListing {
  return {
    epaId: workflowIdFor(uln),
    uln,
    apprentice,
    standard: 'ST0071',
    epao: 'innovate',
    employer: 'Brightside Lettings Ltd',
    provider: 'Northgate Training',
    bookings: [],
    stage: 'InAssessment',
    overdue: false,
    running: true,
    nextDeadline: null,
    missed: [],
    startedAt: '2027-01-04T09:00:00Z',
    ...extra,
  };
}

/** The listings in memory, with the reference order and text search both real sources follow. */
export class FakeListings implements EpaListings {
  readonly source = 'the test fake';
  readonly queries: ListingQuery[] = [];

  constructor(readonly rows: EpaListing[]) {}

  private matching(query: ListingQuery): EpaListing[] {
    this.queries.push(checkListingQuery(query));
    return this.rows.filter(
      (r) =>
        (query.stage === undefined || r.stage === query.stage) &&
        (query.standard === undefined || r.standard === query.standard) &&
        (query.epao === undefined || r.epao === query.epao) &&
        (query.employer === undefined || r.employer.toLowerCase() === query.employer.toLowerCase()) &&
        (query.overdue === undefined || r.overdue === query.overdue) &&
        (query.running === undefined || r.running === query.running) &&
        (query.bookedOn === undefined ||
          [...r.bookings, ...(r.planningMeeting ? [r.planningMeeting] : [])].some((b) =>
            query.bookedOn!.includes(b.at.slice(0, 10)),
          )) &&
        (query.nextDeadlineFrom === undefined ||
          (r.nextDeadline !== null && r.nextDeadline.due >= query.nextDeadlineFrom.slice(0, 10))) &&
        (query.nextDeadlineTo === undefined ||
          (r.nextDeadline !== null && r.nextDeadline.due <= query.nextDeadlineTo.slice(0, 10))) &&
        matchesText(r, query),
    );
  }

  async page(
    query: ListingQuery,
    order: ListingOrder,
    page: number,
    pageSize: number,
    _now: number,
    direction?: ListingDirection,
  ) {
    const rows = this.matching(query).sort(compareListings(order, direction));
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length, calls: 1 };
  }

  async all(query: ListingQuery, order: ListingOrder, _now: number, direction?: ListingDirection) {
    return this.matching(query).sort(compareListings(order, direction));
  }

  async count(query: ListingQuery) {
    return this.matching(query).length;
  }

  async tasks(query: TaskQuery, limit: number) {
    return tasksOfListings(this.rows, query, limit);
  }

  async stageCounts() {
    const counts: Record<string, number> = {};
    for (const r of this.rows) counts[r.stage] = (counts[r.stage] ?? 0) + 1;
    return counts;
  }
}

/** Staff users in memory. */
export class FakeUserStore implements UserStore {
  private readonly users = new Map<string, StaffUser>();
  async list() {
    return [...this.users.values()];
  }
  async get(username: string) {
    return this.users.get(username);
  }
  async put(user: StaffUser) {
    this.users.set(user.username, user);
  }
}

/** The audit list of changes to accounts in memory: `changes` in the order written, for the tests to read. */
export class FakeAccountAudit implements AccountAudit {
  readonly changes: AccountChange[] = [];
  async append(change: AccountChange) {
    this.changes.push(change);
  }
  async recent(limit: number) {
    return this.changes.slice().reverse().slice(0, limit);
  }
}
