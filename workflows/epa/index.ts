/**
 * One durable workflow per apprentice's EPA (id `epa-<ULN>`), from gateway to certificate.
 *
 * The durable shell only: admin events arrive as Updates (events.ts), the rules core (src/epa)
 * judges and applies them, says which deadlines stand and what to send when; this loop sleeps
 * until the next of those instants or the next change, hands due notifications to delivery
 * (delivery.ts), makes the claims the rules say are due (claims.ts), keeps what lists read current
 * (publish.ts), and continues as new when its history is long (carry.ts). Everything it knows is
 * in one run-state object (run-state.ts). It holds no rule of its own.
 */
import { CancellationScope, condition, patched, setHandler, sleep } from '@temporalio/workflow';
import { nextWakeUp } from '../../src/epa/notifications';
import type { EpaWorkflowInput } from '../../src/epa/people';
import { previewQuery, statusQuery, type EpaCarry, type EpaSettings, type EpaStatus } from '../definitions';
import { continueWithCarry, historyFull, settled } from './carry';
import { advanceClaims, nextPollAt } from './claims';
import { adjusted, deliverDue } from './delivery';
import { handleEvents, previewEvent } from './events';
import { publish, writeIndex } from './publish';
import { current, startRun } from './run-state';
import { statusOf } from './status';

export * from '../definitions';

export async function epaWorkflow(input: EpaWorkflowInput, carry?: EpaCarry, settings: EpaSettings = {}): Promise<EpaStatus> {
  const run = startRun(input, carry, settings);
  handleEvents(run);
  setHandler(statusQuery, () => statusOf(run));
  setHandler(previewQuery, (request) => previewEvent(run, request));

  let timer: WakeTimer | undefined;
  for (;;) {
    const now = Date.now();
    const v = current(run); // an Update's handler in this task derived it already
    publish(run, v);
    const schedule = adjusted(run, v.notifications);
    const ending = v.stage === 'Completed' || v.stage === 'Withdrawn';
    deliverDue(run, schedule, v, now, ending);
    advanceClaims(run, now);
    if (ending) {
      await settled(run);
      return statusOf(run, v);
    }
    if (historyFull(run)) {
      await settled(run);
      await continueWithCarry(run, schedule);
    }
    const wake = earliest(
      earliest(nextWakeUp(schedule, v.deadlines, now), run.index.wanted ? run.index.retryAt : undefined),
      earliest(nextPollAt(run), run.lateEntry?.until),
    );
    const seen = run.changes;
    // Asked only once an Update has come in: until then both branches issue the same commands (one
    // timer per wait), and a patch asked at the start would cost every start a marker and a
    // TemporalChangeVersion search attribute (issue 27).
    // shipped 2026-12-07; deprecatePatch after 2028-06-07
    if (run.updated && patched('epa-update-cost')) {
      // One timer while the next wake-up stands: a change that leaves it where it was (most
      // events, every index write) cancels and starts none.
      timer = wakeTimer(timer, wake, now);
      const waiting = timer;
      await condition(() => run.changes !== seen || waiting?.fired === true);
    } else if (wake === undefined) await condition(() => run.changes !== seen);
    else await condition(() => run.changes !== seen, Math.max(1, wake - now));
    writeIndex(run); // a write that failed earlier, now due again
  }
}

/** The timer the loop sleeps on: due at `at` (workflow time), fired or not. */
interface WakeTimer {
  at: number;
  fired: boolean;
  scope: CancellationScope;
}

/** The timer for a wake-up at `at`: the one running when it is already due then, else a new one (the old cancelled). */
function wakeTimer(timer: WakeTimer | undefined, at: number | undefined, now: number): WakeTimer | undefined {
  if (timer && !timer.fired && timer.at === at) return timer;
  if (timer && !timer.fired) timer.scope.cancel();
  if (at === undefined) return undefined;
  const next: WakeTimer = { at, fired: false, scope: new CancellationScope() };
  void next.scope
    .run(() => sleep(Math.max(1, at - now)))
    .then(
      () => {
        next.fired = true;
      },
      () => undefined, // cancelled: a newer wake-up replaced it
    );
  return next;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
