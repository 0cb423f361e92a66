/** Minimal workflows that prove the servers work; the product's workflows live in workflows/. */
import { condition, defineSignal, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';

export const proceed = defineSignal('proceed');

/** Sleeps for `days` days of workflow time; returns the workflow time before and after. */
export async function sleepForDays(days: number): Promise<{ before: number; after: number }> {
  const before = Date.now();
  await sleep(`${days} days`);
  return { before, after: Date.now() };
}

/** Waits for the `proceed` signal; optionally tags itself with a stage for visibility tests. */
export async function waitForProceed(): Promise<string> {
  let proceeded = false;
  setHandler(proceed, () => {
    proceeded = true;
  });
  await condition(() => proceeded);
  return 'proceeded';
}

export async function tagAndWait(stage: string): Promise<void> {
  upsertSearchAttributes({ EpaStage: [stage] });
  await condition(() => false, '1 day');
}
