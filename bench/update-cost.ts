/**
 * What one admin Update costs, part by part (issue 27):
 *  - the rules' work, timed in this process on a bench EPA: admitting the event, deriving the view,
 *    and building the list row and memo from it (times the count of each the workflow does);
 *  - from the histories of the EPAs and no-op workflows the bench updated: the Update's workflow
 *    task (queued, then run by the worker, local activities included), the commands it issued
 *    (search attributes, memo, local-activity markers, timers) and the payload bytes of the
 *    Update's argument, its reply, the memo and search attributes written and the markers.
 * `node dist/bench/update-cost.js` prints the rules' part alone.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { londonDateOf } from '../src/calendar';
import { admitEvent, startingState, view } from '../src/epa/evaluate';
import { rules } from '../src/plans';
import { listingMemo, listingRow } from '../workflows/definitions';
import { workflowIdFor } from '../src/epa/ids';
import { benchPerson, benchUln, pct, sampledIndex } from './common';

type Payload = temporal.api.common.v1.IPayload;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const fixed = (x: number, digits = 2): number => Number(x.toFixed(digits));

function timeIt(runs: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(50, runs); i++) fn(); // warm
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - t0) / runs;
}

/** The rules' share of a bench Update (GatewayPassed with an override), in ms per call, in this process. */
export function rulesCost(runs = 2000): Record<string, number> {
  const person = benchPerson(1, false);
  const pinned = rules().resolve(person.standard, person.epao);
  const ctx = { plan: pinned.plan, policy: pinned.policy };
  const now = Date.now();
  const today = londonDateOf(now);
  const state = startingState(ctx, person.gatewaySubmittedOn);
  const event = { type: 'GatewayPassed', on: today, override: { reason: 'benchmark' } };
  const applied = admitEvent(state, event, ctx, today);
  const v = view(applied.state, ctx, now);
  const startedAt = new Date(now).toISOString();
  return {
    rulesAdmitMs: fixed(
      timeIt(runs, () => admitEvent(state, event, ctx, today)),
      3,
    ),
    rulesViewMs: fixed(
      timeIt(runs, () => view(applied.state, ctx, now)),
      3,
    ),
    rulesListingMs: fixed(
      timeIt(runs, () => JSON.stringify([listingMemo(person, v), listingRow('epa-x', person, person, v, startedAt)])),
      3,
    ),
    viewBytes: JSON.stringify(v).length,
  };
}

const bytesOf = (payloads: (Payload | null | undefined)[] | null | undefined): number =>
  (payloads ?? []).reduce((sum, p) => {
    if (!p) return sum;
    const meta = Object.entries(p.metadata ?? {}).reduce((m, [k, b]) => m + k.length + (b?.length ?? 0), 0);
    return sum + (p.data?.length ?? 0) + meta;
  }, 0);

const fieldsBytes = (fields: Record<string, Payload> | null | undefined): number => bytesOf(Object.values(fields ?? {}));

interface UpdateTask {
  queuedMs: number;
  runMs: number;
  markers: number;
  searchAttributeUpserts: number;
  memoUpserts: number;
  timers: number;
  argBytes: number;
  replyBytes: number;
  memoBytes: number;
  searchAttributeBytes: number;
  markerBytes: number;
}

/** The workflow task that accepted the (first) Update in a history, and what it wrote. */
export function updateTask(events: HistoryEvent[]): UpdateTask | undefined {
  const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  if (accepted < 0) return undefined;
  let completed = accepted;
  while (completed >= 0 && !events[completed]!.workflowTaskCompletedEventAttributes) completed--;
  const started = events[completed - 1];
  const scheduled = events[completed - 2];
  if (!started?.workflowTaskStartedEventAttributes || !scheduled?.workflowTaskScheduledEventAttributes) return undefined;
  const task: UpdateTask = {
    queuedMs: tsToMs(started.eventTime) - tsToMs(scheduled.eventTime),
    runMs: tsToMs(events[completed]!.eventTime) - tsToMs(started.eventTime),
    markers: 0,
    searchAttributeUpserts: 0,
    memoUpserts: 0,
    timers: 0,
    argBytes: bytesOf(events[accepted]!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest?.input?.args?.payloads),
    replyBytes: 0,
    memoBytes: 0,
    searchAttributeBytes: 0,
    markerBytes: 0,
  };
  // The commands of that task: every event up to the next workflow task.
  for (let i = completed + 1; i < events.length && !events[i]!.workflowTaskScheduledEventAttributes; i++) {
    const e = events[i]!;
    if (e.markerRecordedEventAttributes) {
      task.markers++;
      task.markerBytes += bytesOf(Object.values(e.markerRecordedEventAttributes.details ?? {}).flatMap((d) => d.payloads ?? []));
    }
    if (e.upsertWorkflowSearchAttributesEventAttributes) {
      task.searchAttributeUpserts++;
      task.searchAttributeBytes += fieldsBytes(
        e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields as Record<string, Payload>,
      );
    }
    if (e.workflowPropertiesModifiedEventAttributes) {
      task.memoUpserts++;
      task.memoBytes += fieldsBytes(e.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields as Record<string, Payload>);
    }
    if (e.timerStartedEventAttributes || e.timerCanceledEventAttributes) task.timers++;
    if (e.workflowExecutionUpdateCompletedEventAttributes) {
      task.replyBytes += bytesOf(e.workflowExecutionUpdateCompletedEventAttributes.outcome?.success?.payloads);
    }
  }
  return task;
}

/** The Update tasks of these workflows, as p50 (and p99 for times) figures prefixed `<kind>Task`. */
export async function updateTaskFigures(client: Client, kind: 'epa' | 'noop', ids: string[]): Promise<Record<string, number>> {
  const tasks: UpdateTask[] = [];
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const task = updateTask(history.events ?? []);
    if (task) tasks.push(task);
  }
  if (tasks.length === 0) return {};
  const p = (key: keyof UpdateTask, q = 0.5) =>
    fixed(
      pct(
        tasks.map((t) => t[key]),
        q,
      ),
      1,
    );
  return {
    [`${kind}TaskSamples`]: tasks.length,
    [`${kind}TaskQueuedP50ms`]: p('queuedMs'),
    [`${kind}TaskQueuedP99ms`]: p('queuedMs', 0.99),
    [`${kind}TaskRunP50ms`]: p('runMs'),
    [`${kind}TaskRunP99ms`]: p('runMs', 0.99),
    [`${kind}TaskMarkers`]: p('markers'),
    [`${kind}TaskSearchAttributeUpserts`]: p('searchAttributeUpserts'),
    [`${kind}TaskMemoUpserts`]: p('memoUpserts'),
    [`${kind}TaskTimerCommands`]: p('timers'),
    [`${kind}UpdateArgBytes`]: p('argBytes'),
    [`${kind}UpdateReplyBytes`]: p('replyBytes'),
    [`${kind}TaskMemoBytes`]: p('memoBytes'),
    [`${kind}TaskSearchAttributeBytes`]: p('searchAttributeBytes'),
    [`${kind}TaskMarkerBytes`]: p('markerBytes'),
  };
}

if (require.main === module) {
  console.log(JSON.stringify(rulesCost(), null, 2));
}

/**
 * The Update's cost part by part : the rules' work timed in this process, and
 * the workflow tasks that accepted the sampled Updates, from the histories (at most 100 of each).
 */
export async function updateCostFigures(client: Client, n: number, samples: number): Promise<Record<string, number>> {
  const picked = Array.from({ length: Math.min(samples, 100) }, (_, k) =>
    sampledIndex(Math.floor((k * samples) / Math.min(samples, 100)), samples, n),
  );
  return {
    ...rulesCost(),
    ...(await updateTaskFigures(
      client,
      'epa',
      picked.map((i) => workflowIdFor(benchUln(i))),
    )),
    ...(await updateTaskFigures(
      client,
      'noop',
      picked.map((i) => `noop-${i}`),
    )),
  };
}
