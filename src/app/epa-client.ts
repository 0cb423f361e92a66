/**
 * The EPA gateway every door drives EPAs through (CLI, API, pages, tests): start one, record an
 * event, read its status, list and find overdue ones. Temporal's errors become the four outcomes
 * callers act on. The Temporal plumbing it stands on (connection, search attributes) is src/temporal.
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type SearchAttributePair } from '@temporalio/common';
import { isLondonDate, londonDateOf } from '../calendar';
import { EpaStartSchema, Uln, workflowIdFor, type EpaStart, type EpaWorkflowInput, type RestartNote } from '../epa/people';
import { adminEventTypes, type EpaEventType } from '../epa/events';
import { EpaDuplicateEventError, fromZodError, EpaHistoryError, EpaInputError, type RuleViolation } from '../epa/errors';
import { EVENT_ID, EVENT_ID_MESSAGE } from '../epa/event-check';
import { eventFingerprint, eventIdOf } from '../epa/event-ids';
import { enterHistory, view, type EpaView } from '../epa/evaluate';
import { epaTasks } from '../epa/tasks';
import { entersLate, importSummaryWaitMs } from '../epa/late-entry';
import { overdueBy } from '../epa/deadlines';
import {
  EPA_TASK_QUEUE,
  eventUpdates,
  importStarted,
  importSummaryWorkflowId,
  bookedAssessments,
  listingAttributes,
  listingMemo,
  taskFields,
  statusQuery,
  previewQuery,
  type PreviewAnswer,
  type EpaIndexRow,
  type EpaListingMemo,
  type EpaSettings,
  type EpaStatus,
  type EpaSummary,
  type EventPayload,
} from '../../workflows/definitions';
import type { epaWorkflow } from '../../workflows/epa';
import type { importSummaryWorkflow } from '../../workflows/import-summary';
import {
  EpaApprenticeKey,
  EpaBookingDays,
  EpaOverdueSince,
  EpaEmployer,
  EpaEmployerKey,
  EpaEpao,
  EpaNextDeadline,
  EpaOverdue,
  EpaOwner,
  EpaProviderKey,
  EpaStage,
  EpaStandard,
  employerKey,
} from '../temporal/search-attributes';
import type { Role } from '../epa/deadlines';
import { stages } from '../epa/state';
import { rules, type PinnedRules, type RuleRegistry } from '../plans';

/** The EPA does not exist (or its workflow has ended and been deleted). */
export class EpaNotFoundError extends Error {
  readonly kind = 'not_found' as const;
}
/**
 * The workflow refused the event; `kind` says why (invalid_input, rejected_transition,
 * rule_violation, duplicate_event_id). A rule violation carries the rules broken, each with its
 * citation and whether an override reason can accept it.
 */
export class EpaRejectedError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid_input' | 'rejected_transition' | 'rule_violation' | 'duplicate_event_id',
    readonly path?: string,
    readonly violations: RuleViolation[] = [],
  ) {
    super(message);
  }
}
export class EpaAlreadyExistsError extends Error {
  readonly kind = 'already_exists' as const;
}

/** One run of an EPA's workflow: the first start, each continue-as-new, each explicit re-start. */
/** A started EPA: its workflow ID, its start as checked, and whether it enters with deadlines missed or met late (`entersLate`). */
export interface StartedEpa {
  epaId: string;
  input: EpaStart;
  entersLate: boolean;
}

export interface EpaRun {
  runId: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
}

export interface EpaClientOptions {
  /** The clock that says what "today" is (a test's time-skipping server, in tests). */
  now?: () => number | Promise<number>;
  /** The rules new EPAs are pinned to (default: the process's, from EPA_RULES_DIR or rules/). */
  rules?: RuleRegistry;
  /** Settings every EPA this client starts runs with (a start's own settings win): `epaClientOptions(config)` (src/config.ts). */
  settings?: EpaSettings;
}

export function parseUln(uln: string): string {
  const r = Uln.safeParse(uln);
  if (!r.success) throw new EpaInputError(r.error.issues[0]!.message, 'uln');
  return r.data;
}

/** The event with its id: from the payload, or from the Idempotency-Key (they must agree). */
export function withEventId(payload: EventPayload, idempotencyKey: string | undefined): EventPayload {
  // Not an object: left for the workflow's validator to refuse, like any malformed event.
  if (idempotencyKey === undefined || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  if (!EVENT_ID.test(idempotencyKey)) throw new EpaInputError(EVENT_ID_MESSAGE, 'Idempotency-Key');
  if (payload.eventId !== undefined && payload.eventId !== idempotencyKey)
    throw new EpaInputError('differs from the Idempotency-Key header', 'eventId');
  return { ...payload, eventId: idempotencyKey };
}

/**
 * A void names its target in `voids` and has an eventId of its own: the Idempotency-Key, or else
 * `void.<target>` (one void per target). The form before 1.1, whose `eventId` named the target, is
 * read as `voids`.
 */
export function voidWithOwnId(payload: EventPayload, idempotencyKey: string | undefined): EventPayload {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const legacy = payload.voids === undefined && typeof payload.eventId === 'string';
  const named = legacy ? { ...payload, voids: payload.eventId, eventId: undefined } : payload;
  const withId = withEventId(named, idempotencyKey);
  if (withId.eventId !== undefined || typeof withId.voids !== 'string') return withId;
  return { ...withId, eventId: `void.${withId.voids}`.slice(0, 100) };
}

export function parseEventType(type: string): EpaEventType {
  if (!(adminEventTypes as readonly string[]).includes(type)) {
    throw new EpaInputError(`unknown event type "${type}" (one of: ${adminEventTypes.join(', ')})`, 'type');
  }
  return type as EpaEventType;
}

/**
 * One EPA in a listing, without querying the workflow: from visibility (search attributes and memo)
 * or from the listing index. The index row's fields, with the next deadline's date only; the
 * training provider is empty for EPAs started before it was kept, and `mustAct` is set for EPAs
 * since patch 'listing-attributes'.
 */
export interface EpaListing extends Pick<
  EpaIndexRow,
  | 'epaId'
  | 'uln'
  | 'apprentice'
  | 'standard'
  | 'epao'
  | 'employer'
  | 'provider'
  | 'bookings'
  | 'planningMeeting'
  | 'stage'
  | 'overdue'
> {
  running: boolean;
  nextDeadline: { key: string; due: string } | null;
  missed: EpaIndexRow['missed'];
  startedAt: string;
  /** Who must act on the most urgent missed deadline. */
  mustAct?: Role;
  /** The staff member who owns the EPA's tasks (null or absent: none yet), and its open tasks (src/epa/tasks.ts). */
  caseOwner?: EpaIndexRow['caseOwner'];
  tasks?: EpaIndexRow['tasks'];
}

export interface OverdueEpa extends EpaListing {
  missedDeadline: string;
  missedDue: string;
  daysOverdue: number;
}

export interface EpaFilter {
  stage?: string;
  standard?: string;
  employer?: string;
  epao?: string;
  overdue?: boolean;
  /** Only EPAs whose next deadline falls in [from, to] (ISO instants). */
  nextDeadlineFrom?: string;
  nextDeadlineTo?: string;
  running?: boolean;
  /** Who must act on the most urgent missed deadline (a role). */
  owner?: Role;
  /** The most urgent missed deadline expired before this instant (ISO); `null`: the EPA has no such attribute yet. */
  overdueSinceBefore?: string | null;
  overdueSinceFrom?: string;
  /** Next deadline strictly before this instant (ISO); `null`: none set. */
  nextDeadlineBefore?: string | null;
  /** An assessment booked (not yet taken) on one of these London dates. */
  bookedOn?: string[];
}

const ROLES: readonly Role[] = ['apprentice', 'employer', 'provider', 'assessor', 'epaoAdmin'];
/** An instant as visibility takes it, to the second. */
const instant = (field: string, value: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new EpaInputError('must be an ISO 8601 instant', field);
  return new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

const SAFE_VALUE = /^[\p{L}\p{N} .,&'()/-]{1,200}$/u;

/** A filter value that can only match something when it is one of `values`: otherwise a 400, not an empty list. */
function known(field: string, value: string, values: readonly string[]): string {
  if (!values.includes(value))
    throw new EpaInputError(`unknown ${field} "${value.slice(0, 50)}" (one of: ${values.join(', ')})`, field);
  return value;
}

function quoted(field: string, value: string): string {
  if (!SAFE_VALUE.test(value)) throw new EpaInputError("letters, digits, spaces and . , & ' ( ) / - only", field);
  return `"${value}"`;
}

/** A visibility query for the filter; every value is checked before it goes in. */
export function visibilityQuery(filter: EpaFilter): string {
  const parts = ['WorkflowType = "epaWorkflow"'];
  if (filter.running !== undefined) parts.push(`ExecutionStatus ${filter.running ? '=' : '!='} "Running"`);
  if (filter.stage) parts.push(`EpaStage = ${quoted('stage', known('stage', filter.stage, stages))}`);
  if (filter.standard) parts.push(`EpaStandard = ${quoted('standard', known('standard', filter.standard, rules().standardIds))}`);
  if (filter.employer) {
    // Any stored name, any case: the key set at start; EPAs started before the key existed match exactly.
    const byKey = `EpaEmployerKey = "${employerKey(filter.employer)}"`;
    parts.push(SAFE_VALUE.test(filter.employer) ? `(${byKey} OR EpaEmployer = "${filter.employer}")` : byKey);
  }
  if (filter.epao) parts.push(`EpaEpao = ${quoted('epao', known('epao', filter.epao, rules().epaoIds))}`);
  if (filter.overdue !== undefined) parts.push(`EpaOverdue = ${filter.overdue ? 'true' : 'false'}`);
  // Both ends inclusive, to the second. Measured on the dev server's SQLite store: a deadline due
  // exactly at the bound is left out by `<=` (and `>=`) but kept by `<` the next second (and `>` the
  // one before), so the bounds are written that way.
  for (const [field, op, value, shift] of [
    ['nextDeadlineFrom', '>', filter.nextDeadlineFrom, -1000],
    ['nextDeadlineTo', '<', filter.nextDeadlineTo, 1000],
  ] as const) {
    if (value === undefined) continue;
    if (Number.isNaN(Date.parse(value))) throw new EpaInputError('must be an ISO 8601 instant', field);
    const second = Math.floor(Date.parse(value) / 1000) * 1000 + shift;
    parts.push(`EpaNextDeadline ${op} "${new Date(second).toISOString().replace(/\.\d{3}Z$/, 'Z')}"`);
  }
  if (filter.owner !== undefined) parts.push(`EpaOwner = "${known('owner', filter.owner, ROLES)}"`);
  if (filter.overdueSinceBefore === null) parts.push('EpaOverdueSince IS NULL');
  else if (filter.overdueSinceBefore !== undefined)
    parts.push(`EpaOverdueSince < "${instant('overdueSinceBefore', filter.overdueSinceBefore)}"`);
  if (filter.overdueSinceFrom !== undefined) {
    const before = new Date(Date.parse(instant('overdueSinceFrom', filter.overdueSinceFrom)) - 1000).toISOString();
    parts.push(`EpaOverdueSince > "${before.replace(/\.\d{3}Z$/, 'Z')}"`);
  }
  if (filter.nextDeadlineBefore === null) parts.push('EpaNextDeadline IS NULL');
  else if (filter.nextDeadlineBefore !== undefined)
    parts.push(`EpaNextDeadline < "${instant('nextDeadlineBefore', filter.nextDeadlineBefore)}"`);
  if (filter.bookedOn?.length) {
    if (!filter.bookedOn.every(isLondonDate)) throw new EpaInputError('London dates (YYYY-MM-DD)', 'bookedOn');
    parts.push(`EpaBookingDays IN (${filter.bookedOn.map((d) => `"${d}"`).join(', ')})`);
  }
  return parts.join(' AND ');
}

/** The listing attributes the workflow publishes (listingAttributes), set at start so lists are right from the first moment. */
function startListingAttributes(input: EpaStart, v: EpaView): SearchAttributePair[] {
  const l = listingAttributes(input, v, { planningMeeting: true });
  return [
    { key: EpaApprenticeKey, value: l.apprenticeKey },
    { key: EpaProviderKey, value: l.providerKey },
    ...(l.owner !== null ? [{ key: EpaOwner, value: l.owner }] : []),
    ...(l.overdueSince !== null ? [{ key: EpaOverdueSince, value: new Date(l.overdueSince) }] : []),
    ...(l.bookingDays ? [{ key: EpaBookingDays, value: l.bookingDays.split(' ') }] : []),
  ] as SearchAttributePair[];
}

export class EpaClient {
  constructor(
    readonly client: Client,
    readonly taskQueue = EPA_TASK_QUEUE,
    private readonly options: EpaClientOptions = {},
  ) {}

  handle(uln: string): WorkflowHandle<typeof epaWorkflow> {
    return this.client.workflow.getHandle<typeof epaWorkflow>(workflowIdFor(parseUln(uln)));
  }

  /**
   * Checks a start request completely before anything runs: the fields (zod), the standard/EPAO
   * pair, a gateway date that is not in the future, and that every date the rules derive from it can
   * be computed. Throws EpaInputError naming the field.
   */
  async validateStart(raw: unknown): Promise<EpaStart> {
    return (await this.checkStart(raw)).input;
  }

  /** As validateStart, with the view the EPA will start in (for its first search attributes and memo). */
  private async checkStart(raw: unknown): Promise<{ input: EpaStart; view: EpaView; pinned: PinnedRules; now: number }> {
    const parsed = EpaStartSchema.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const input = parsed.data;
    // The plan version and EPAO policy this EPA will decide by for ever, pinned in its input.
    const pinned = (this.options.rules ?? rules()).resolve(input.standard, input.epao, input.standardVersion);
    const ctx = { plan: pinned.plan, policy: pinned.policy };
    const now = await this.now();
    const today = londonDateOf(now);
    if (input.gatewaySubmittedOn > today) {
      throw new EpaInputError(
        `${input.gatewaySubmittedOn} is in the future (today is ${today}): start an EPA once its gateway has been submitted`,
        'gatewaySubmittedOn',
      );
    }
    const { state, problems } = enterHistory(ctx, input.gatewaySubmittedOn, input.events ?? [], today);
    if (problems.length > 0) throw new EpaHistoryError(problems);
    return { input, view: view(state, ctx, now), pinned, now };
  }

  /**
   * Starts `epa-<ULN>`. The ID may not be reused: a ULN whose EPA is running, completed or withdrawn
   * is refused (EpaAlreadyExistsError); starting it again is `restart`, with a reason.
   */
  async start(
    raw: unknown,
    settings?: EpaSettings,
    options: { idempotencyKey?: string; by?: string; importId?: string } = {},
  ): Promise<StartedEpa> {
    const { input, view: first, pinned, now } = await this.checkStart(raw);
    const key = options.idempotencyKey;
    if (key !== undefined && !EVENT_ID.test(key)) throw new EpaInputError(EVENT_ID_MESSAGE, 'Idempotency-Key');
    const request =
      key === undefined
        ? undefined
        : { key, fingerprint: eventFingerprint('start', input as unknown as Record<string, unknown>) };
    try {
      await this.startWorkflow(
        {
          ...input,
          rules: pinned,
          ...(options.by && { startedBy: options.by }),
          ...(options.importId && { importId: options.importId }),
        },
        first,
        'REJECT_DUPLICATE',
        settings,
        request,
      );
    } catch (err) {
      // The same start sent again under its key: the first answer. Another start under it: refused.
      if (!(err instanceof EpaAlreadyExistsError) || request === undefined) throw err;
      const memo = (await this.client.workflow.getHandle(workflowIdFor(input.uln)).describe()).memo as
        { startRequest?: typeof request } | undefined;
      if (memo?.startRequest?.key !== request.key) throw err;
      if (memo.startRequest.fingerprint !== request.fingerprint) {
        throw new EpaDuplicateEventError(`Idempotency-Key "${key}" was already used to start this EPA with different details`);
      }
    }
    return { epaId: workflowIdFor(input.uln), input, entersLate: entersLate(first, now) };
  }

  /**
   * Starts an EPA again after its earlier run finished (withdrawn in error, completed and retaken):
   * an explicit act with a reason, kept in the new run's status. The earlier runs stay readable
   * (`runs`). Refused while the EPA is still running, and when it never existed.
   */
  async restart(
    raw: unknown,
    reason: string,
    settings?: EpaSettings,
  ): Promise<{ epaId: string; input: EpaStart; restartOf: RestartNote }> {
    if (typeof reason !== 'string' || reason.trim().length < 3)
      throw new EpaInputError('give a reason of at least 3 characters', 'reason');
    const { input, view: first, pinned } = await this.checkStart(raw);
    const epaId = workflowIdFor(input.uln);
    const previous = await this.client.workflow
      .getHandle(epaId)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError)
          throw new EpaNotFoundError(`no earlier EPA for ULN ${input.uln} to restart: start it instead`);
        throw err;
      });
    if (previous.status.name === 'RUNNING') {
      throw new EpaRejectedError(
        `the EPA for ULN ${input.uln} is still running: record Withdrawn first if it must start again`,
        'rejected_transition',
      );
    }
    const restartOf: RestartNote = {
      previousRunId: previous.runId,
      previousStatus: previous.status.name.toLowerCase(),
      reason: reason.trim().slice(0, 2000),
      on: londonDateOf(await this.now()),
    };
    await this.startWorkflow({ ...input, rules: pinned, restartOf }, first, 'ALLOW_DUPLICATE', settings);
    return { epaId, input, restartOf };
  }

  /**
   * Starts an import's one summary to the EPAO admin (workflows/import-summary.ts) before its first
   * EPA, expecting these ULNs; already started (the same import run again): left as it is.
   */
  async startImportSummary(importId: string, expected: string[], epaoAdmin: { name: string; email: string }): Promise<void> {
    const waitMs = importSummaryWaitMs(this.options.settings?.lateEntryQuietSeconds);
    try {
      await this.client.workflow.start<typeof importSummaryWorkflow>('importSummaryWorkflow', {
        workflowId: importSummaryWorkflowId(importId),
        taskQueue: this.taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ importId, expected, epaoAdmin, waitMs }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** Tells an import's summary which EPAs the import did start, and which of them it is to wait for (those entering late). */
  async importStarted(importId: string, started: string[], reporting: string[]): Promise<void> {
    await this.client.workflow.getHandle(importSummaryWorkflowId(importId)).signal(importStarted, { started, reporting });
  }

  /** Whether an EPA exists for this ULN: `running`, `completed`, … (its latest run), or undefined. */
  async existing(uln: string): Promise<string | undefined> {
    try {
      return (await this.handle(uln).describe()).status.name.toLowerCase();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Every run of an EPA's workflow, newest first (closed runs stay readable until the namespace's retention). */
  async runs(uln: string): Promise<EpaRun[]> {
    const epaId = workflowIdFor(parseUln(uln));
    const out: EpaRun[] = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowId = "${epaId}"` })) {
      out.push({
        runId: wf.runId,
        status: wf.status.name.toLowerCase(),
        startedAt: wf.startTime.toISOString(),
        closedAt: wf.closeTime?.toISOString() ?? null,
      });
    }
    if (out.length === 0) throw new EpaNotFoundError(`no EPA for ULN ${uln}`);
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * Deletes every run of a finished EPA from Temporal (its histories and visibility rows): the
   * Temporal half of a data-erasure request. Refused while the EPA runs (withdraw it first).
   */
  async erase(uln: string): Promise<{ runsDeleted: number }> {
    const runs = await this.runs(uln);
    if (runs.some((r) => r.status === 'running')) {
      throw new EpaRejectedError(
        `the EPA for ULN ${uln} is still running: record Withdrawn first, then erase it`,
        'rejected_transition',
      );
    }
    for (const run of runs) {
      await this.client.workflowService.deleteWorkflowExecution({
        namespace: this.client.options.namespace,
        workflowExecution: { workflowId: workflowIdFor(parseUln(uln)), runId: run.runId },
      });
    }
    return { runsDeleted: runs.length };
  }

  private async now(): Promise<number> {
    return (await this.options.now?.()) ?? Date.now();
  }

  private async startWorkflow(
    input: EpaWorkflowInput,
    first: EpaView,
    reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE',
    settings?: EpaSettings,
    startRequest?: { key: string; fingerprint: string },
  ): Promise<void> {
    const epaId = workflowIdFor(input.uln);
    settings = this.options.settings || settings ? { ...this.options.settings, ...settings } : undefined;
    try {
      await this.client.workflow.start<typeof epaWorkflow>('epaWorkflow', {
        workflowId: epaId,
        taskQueue: this.taskQueue,
        workflowIdReusePolicy: reuse,
        args: settings ? [{ ...input, startPublished: true }, undefined, settings] : [{ ...input, startPublished: true }],
        // Listable from the first moment, as the EPA starts (its history entered).
        typedSearchAttributes: [
          { key: EpaStage, value: first.stage },
          { key: EpaStandard, value: input.standard },
          { key: EpaEpao, value: input.epao },
          { key: EpaEmployer, value: input.employer.organisation },
          { key: EpaEmployerKey, value: employerKey(input.employer.organisation) },
          ...startListingAttributes(input, first),
          { key: EpaOverdue, value: first.overdue },
          ...(first.nextDeadline ? [{ key: EpaNextDeadline, value: new Date(first.nextDeadline.dueAt) }] : []),
        ],
        memo: {
          ...listingMemo(input, first, { planningMeeting: true }),
          // The task fields as the run's first task would write them (no case owner yet, no log),
          // so that task need not write the memo again (workflows/epa/publish.ts asStarted).
          ...taskFields({}, epaTasks({ deadlines: first.deadlines, components: first.components, log: [] })),
          bookings: bookedAssessments(first),
          provider: input.provider.organisation,
          ...(startRequest && { startRequest }),
        },
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const existing = await this.client.workflow
          .getHandle(epaId)
          .describe()
          .catch(() => undefined);
        const running = existing === undefined || existing.status.name === 'RUNNING';
        throw new EpaAlreadyExistsError(
          running
            ? `an EPA for ULN ${input.uln} is already running (${epaId})`
            : `the EPA for ULN ${input.uln} has finished (${existing.status.name.toLowerCase()}); starting it again is a restart, with a reason`,
        );
      }
      throw err;
    }
  }

  /** Records one admin event; resolves with the EPA's new status, or throws EpaRejectedError / EpaNotFoundError. */
  async recordEvent(
    uln: string,
    type: string,
    payload: EventPayload = {},
    options: { idempotencyKey?: string } = {},
  ): Promise<EpaSummary> {
    const eventType = parseEventType(type);
    const handle = this.handle(uln);
    const event =
      eventType === 'EventVoided' ? voidWithOwnId(payload, options.idempotencyKey) : withEventId(payload, options.idempotencyKey);
    const eventId = eventIdOf(event);
    try {
      // The update id names the event and its content: sent again, Temporal answers with the first
      // result; the same id with other content reaches the workflow, which refuses it.
      return await handle.executeUpdate(eventUpdates[eventType], {
        args: [event],
        ...(eventId !== undefined && { updateId: `${eventId}.${eventFingerprint(eventType, event)}` }),
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // Not running: either there is no such EPA, or it has finished (completed or withdrawn).
        const finished = await handle.describe().catch(() => undefined);
        if (finished) {
          throw new EpaRejectedError(
            `the EPA for ULN ${uln} has finished (${finished.status.name.toLowerCase()}); it takes no more events`,
            'rejected_transition',
          );
        }
      }
      throw this.translate(err, uln);
    }
  }

  async status(uln: string): Promise<EpaStatus> {
    try {
      return await this.handle(uln).query(statusQuery);
    } catch (err) {
      throw this.translate(err, uln);
    }
  }

  /**
   * The EPA as it would stand after `type` with `payload` (a void included), worked out by the rules
   * core in the EPA's workflow without recording anything: for a check-your-answers page.
   */
  async preview(uln: string, type: string, payload: Record<string, unknown>): Promise<PreviewAnswer> {
    try {
      return await this.handle(uln).query(previewQuery, { type, payload });
    } catch (err) {
      throw this.translate(err, uln);
    }
  }

  /** EPAs matching the filter, newest first, from visibility alone (no workflow is queried). */
  async list(filter: EpaFilter = {}, limit = 10_000): Promise<EpaListing[]> {
    const out: EpaListing[] = [];
    for await (const listing of this.iterate(filter)) {
      out.push(listing);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Every EPA matching the filter, a visibility page at a time (epa-flow reindex reads them all). */
  async *iterate(filter: EpaFilter = {}): AsyncGenerator<EpaListing> {
    for await (const wf of this.client.workflow.list({ query: visibilityQuery(filter), pageSize: 1000 })) {
      const memo = (wf.memo ?? {}) as Partial<EpaListingMemo>;
      const sa = wf.typedSearchAttributes;
      const uln = memo.uln ?? wf.workflowId.replace(/^epa-/, '');
      yield {
        epaId: wf.workflowId,
        uln,
        apprentice: memo.apprentice ?? '',
        standard: sa.get(EpaStandard) ?? memo.standard ?? '',
        epao: sa.get(EpaEpao) ?? memo.epao ?? '',
        employer: sa.get(EpaEmployer) ?? memo.employer ?? '',
        provider: memo.provider ?? '',
        mustAct: (sa.get(EpaOwner) as Role | undefined) ?? undefined,
        bookings: memo.bookings ?? [],
        ...(memo.planningMeeting && { planningMeeting: memo.planningMeeting }),
        stage: sa.get(EpaStage) ?? memo.stage ?? '',
        overdue: sa.get(EpaOverdue) ?? false,
        running: wf.status.name === 'RUNNING',
        nextDeadline: memo.next ?? null,
        missed: memo.missed ?? [],
        startedAt: wf.startTime.toISOString(),
        ...(memo.caseOwner !== undefined && { caseOwner: memo.caseOwner }),
        ...(memo.tasks !== undefined && { tasks: memo.tasks }),
      };
    }
  }

  /** Running EPAs with a missed deadline, most overdue first, as of the London date `today`. */
  async overdue(today: string): Promise<OverdueEpa[]> {
    const rows = (await this.list({ overdue: true, running: true })).map((e) => {
      const by = overdueBy(e.missed, today);
      return { ...e, missedDeadline: by.keys || 'deadline', missedDue: by.due, daysOverdue: by.days };
    });
    return rows.sort((a, b) => b.daysOverdue - a.daysOverdue || a.apprentice.localeCompare(b.apprentice));
  }

  async count(filter: EpaFilter = {}): Promise<number> {
    return (await this.client.workflow.count(visibilityQuery(filter))).count;
  }

  private translate(err: unknown, uln: string): Error {
    if (err instanceof WorkflowNotFoundError) return new EpaNotFoundError(`no EPA for ULN ${uln}`);
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const kind = err.cause.type;
      if (
        kind === 'invalid_input' ||
        kind === 'rejected_transition' ||
        kind === 'rule_violation' ||
        kind === 'duplicate_event_id'
      ) {
        const details = err.cause.details?.[0] as { path?: string; violations?: RuleViolation[] } | undefined;
        return new EpaRejectedError(err.cause.message, kind, details?.path, details?.violations ?? []);
      }
    }
    if (err instanceof Error && /workflow execution already completed/i.test(err.message)) {
      return new EpaRejectedError(`the EPA for ULN ${uln} has finished: ${err.message}`, 'rejected_transition');
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
