/**
 * The end of a run: once the jobs under way beside the loop have finished and the index holds the
 * last row, the EPA either completes or continues as new with its carry (what the next run starts from).
 */
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { Notification } from '../../src/epa/notifications';
import { LOG_ENTRIES_KEPT, SENT_KEYS_CARRIED, type EpaCarry } from '../definitions';
import { indexWritten } from './publish';
import type { RunState } from './run-state';

/** Waits for every delivery, claim, poll and handler under way, and for the index to hold the newest row. */
export async function settled(run: RunState): Promise<void> {
  await condition(() => run.inFlight === 0 && allHandlersFinished());
  await indexWritten(run);
}

/** Whether the history is long enough to continue as new. */
export function historyFull(run: RunState): boolean {
  return workflowInfo().historyLength > run.historyLimit || workflowInfo().continueAsNewSuggested;
}

/** Continues as new with the carry (after `settled`); never returns. */
export async function continueWithCarry(run: RunState, schedule: Notification[]): Promise<never> {
  return await continueAsNew<(input: RunState['input'], carry: EpaCarry, settings: RunState['settings']) => Promise<unknown>>(
    run.input,
    carryOf(run, schedule),
    run.settings,
  );
}

/** What the next run starts from. */
export function carryOf(run: RunState, schedule: Notification[]): EpaCarry {
  const { polling } = run;
  return {
    state: run.state,
    sent: carriedSentKeys(run, schedule),
    log: run.log.slice(-LOG_ENTRIES_KEPT),
    runs: run.runs + 1,
    eventIds: run.eventIds,
    timeline: run.timeline,
    people: run.people,
    base: run.base,
    recorded: run.recorded,
    inviteOffsets: run.inviteOffsets,
    indexVersion: run.index.version,
    ...(polling.nextAt !== undefined && { certificatePoll: { nextAt: polling.nextAt, every: polling.every } }),
    ...(run.lateEntry && { lateEntry: run.lateEntry }),
    ...(run.importReported && { importReported: true }),
    ...(run.failedMessages.size > 0 && { failedMessages: [...run.failedMessages.values()] }),
  };
}

/** Keys still in the schedule, and the most recent others, so a carried set stays bounded. */
function carriedSentKeys(run: RunState, scheduled: Notification[]): string[] {
  const inSchedule = new Set(scheduled.map((n) => n.key));
  const all = [...run.sent];
  const recent = all.slice(-SENT_KEYS_CARRIED);
  return [...new Set([...all.filter((k) => inSchedule.has(k)), ...recent])];
}
