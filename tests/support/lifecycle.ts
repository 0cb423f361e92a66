/** A time-skipping test server, a real EPA worker on it, and helpers to walk an EPA through time. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { DeliveryRequest, EpaActivities } from '../../activities/types';
import { londonInstant } from '../../src/calendar';
import { createTimeSkippingEnv } from '../../src/temporal/test-env';
import { EpaClient } from '../../src/app/epa-client';
import { createEpaWorker } from '../../workers/epa-worker';
import { recordingActivities } from './recording-activities';
import { epaWorkflowBundle } from './workflow-bundle';

export interface Harness {
  env: TestWorkflowEnvironment;
  epa: EpaClient;
  deliveries: DeliveryRequest[];
  worker: Worker;
  teardown(): Promise<void>;
}

export async function startHarness(activities?: EpaActivities): Promise<Harness> {
  const env = await createTimeSkippingEnv();
  const recording = recordingActivities();
  const workflowBundle = await epaWorkflowBundle();
  const worker = await createEpaWorker({
    connection: env.nativeConnection,
    activities: activities ?? recording.activities,
    workflowBundle,
    taskQueue: 'epa-test',
  });
  const running = worker.run();
  return {
    env,
    // "Today" for start requests is the test server's (skipped) time, as the workflow's is.
    epa: new EpaClient(env.client, 'epa-test', { now: () => env.currentTimeMs() }),
    deliveries: recording.deliveries,
    worker,
    async teardown() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Starts a harness before the file's tests and tears it down after them; `set` receives it. */
export function useHarness(set: (harness: Harness) => void, activities?: () => EpaActivities): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(activities?.());
    set(harness);
  });
  afterAll(async () => {
    await harness?.teardown();
  });
}

/** Skips server time forward to a London date and time (never backwards). */
export async function advanceTo(env: TestWorkflowEnvironment, date: string, time = '12:00'): Promise<void> {
  const target = londonInstant(date, time);
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

/** Polls until `check` passes (the workflow processes timers and activities asynchronously). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * The length of a workflow's history once the workflow is idle: no workflow task and no activity
 * pending or running (what an accepted event set off, deliveries and search attributes, is done),
 * seen twice in a row with the same history between. What a test compares against to show that a
 * refused request added nothing. It waits on the server's state, never on a stretch of quiet.
 */
export async function settledHistoryLength(handle: {
  fetchHistory(): Promise<{ events?: unknown[] | null }>;
  describe(): Promise<{ raw: { pendingWorkflowTask?: unknown; pendingActivities?: unknown[] | null } }>;
}): Promise<number> {
  const idle = async () => {
    const { raw } = await handle.describe();
    return !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0;
  };
  return await eventually(async () => {
    if (!(await idle())) throw new Error('the workflow is still working');
    const n = (await handle.fetchHistory()).events?.length ?? 0;
    if (!(await idle()) || ((await handle.fetchHistory()).events?.length ?? 0) !== n)
      throw new Error('the workflow is still working');
    return n;
  }, 30_000);
}

const { EventType } = temporal.api.enums.v1;
/** The server's own records of a workflow task: what a task it had to keep (a speculative one that ran long) writes. */
const TASK_RECORDS = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/**
 * What the history gained after its first `from` events, by type (`TIMER_FIRED`...), leaving out the
 * server's records of workflow tasks: a refused Update's speculative task is dropped, unless the
 * server had to keep it (it timed out on a loaded machine), and then those are all it writes.
 */
export function eventsAddedSince(events: readonly temporal.api.history.v1.IHistoryEvent[], from: number): string[] {
  return events
    .slice(from)
    .map((e) => e.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED)
    .filter((t) => !TASK_RECORDS.has(t))
    .map((t) => String(EventType[t]).replace(/^EVENT_TYPE_/, ''));
}

/**
 * Waits, in real time, until the EPA's workflow has completed. Unlike `handle.result()` it does not
 * let the time-skipping server skip ahead meanwhile (which it would do under a local activity the
 * server cannot see, or a worker it no longer hears from).
 */
export async function untilCompleted(h: Harness | { epa: Harness['epa'] }, uln: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => expect((await h.epa.handle(uln).describe()).status.name).toBe('COMPLETED'), timeoutMs);
}
