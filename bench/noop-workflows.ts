/** The trivial reference workflow the benchmark compares the EPA workflow against. */
import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [number]>('noop');

/** Waits for ever; answers a no-op Update (with a validator, like the EPA's) with its argument. */
export async function noopWorkflow(): Promise<void> {
  let updates = 0;
  setHandler(
    noopUpdate,
    (n: number) => {
      updates++;
      return n;
    },
    {
      validator: (n: number) => {
        if (typeof n !== 'number') throw new Error('a number');
      },
    },
  );
  await condition(() => updates < 0);
}

/** Sleeps until `until` (epoch ms), then completes: the benchmark's timers due across a restart. */
export async function timerWorkflow(until: number): Promise<void> {
  const wait = until - Date.now();
  if (wait > 0) await sleep(wait);
}
