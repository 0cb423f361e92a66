/** Foundation smoke test: the cached Java time-skipping test server runs a 120-day sleep in seconds. */
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../../src/temporal/test-env';
import { sleepForDays } from '../support/smoke-workflows';

const DAY = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  const started = Date.now();
  env = await createTimeSkippingEnv();
  console.log(`time-skipping test server ready in ${Date.now() - started} ms`);
});

afterAll(async () => {
  await env?.teardown();
});

test('a workflow that sleeps 120 days completes under the time-skipping server', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'smoke-time-skipping',
    workflowsPath: require.resolve('../support/smoke-workflows'),
  });
  const started = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute(sleepForDays, { args: [120], workflowId: 'smoke-sleep-120d', taskQueue: 'smoke-time-skipping' }),
  );
  console.log(`120-day sleep took ${Date.now() - started} ms of wall time`);
  expect(result.after - result.before).toBeGreaterThanOrEqual(120 * DAY);
  expect(result.after - result.before).toBeLessThan(121 * DAY);
});
