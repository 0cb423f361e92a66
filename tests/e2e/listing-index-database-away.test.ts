/**
 * The listing index with its database away, on the real Temporal dev server (the index's write is a
 * local activity, which the time-skipping server cannot see; its retries run in real time): events
 * are still taken at once, the row catches up when the database is back, and an EPA ends only once
 * its last row is written. The row itself, event by event, is tests/workflows/listing-index.test.ts;
 * the real database killed under a cluster is tests/cluster/listing-index.test.ts.
 */
import { ApplicationFailure } from '@temporalio/common';
import { addDays, londonDateOf } from '../../src/calendar';
import type { EpaIndexChange } from '../../workflows/definitions';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventually, untilCompleted } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { recordingActivities } from '../support/recording-activities';
import { passGatewayWith } from '../support/walk';

let stack: DevStack;
const recording = recordingActivities();
/** Every write the workflow asked for, in order, and whether the database was "down". */
const writes: { epaId: string; version: number; stage: string; refused: boolean }[] = [];
let databaseDown = false;

beforeAll(async () => {
  stack = await startDevStack({
    taskQueue: 'epa-index-away',
    activities: {
      ...recording.activities,
      async indexEpa(change: EpaIndexChange) {
        writes.push({ epaId: change.row.epaId, version: change.version, stage: change.row.stage, refused: databaseDown });
        if (databaseDown) throw ApplicationFailure.retryable('connect ECONNREFUSED 127.0.0.1:5432', 'database_down');
        return await recording.activities.indexEpa(change);
      },
    },
  });
});
afterAll(async () => {
  await stack?.teardown();
});

const rowOf = (uln: string) => recording.indexed.get(`epa-${uln}`);
const refusedWrites = (uln: string, stage?: string) =>
  writes.filter((x) => x.epaId === `epa-${uln}` && x.refused && (stage === undefined || x.stage === stage)).length;

test('with the database away, events are still taken at once; the row catches up when it is back, and the EPA ends only once it has', async () => {
  const today = londonDateOf(Date.now());
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -1) });
  const uln = input.uln;
  await stack.epa.start(input);
  await eventually(async () => expect(rowOf(uln)?.row.stage).toBe('GatewayReview'));

  databaseDown = true;
  try {
    const t0 = Date.now();
    await passGatewayWith((type, payload) => stack.epa.recordEvent(uln, type, payload), 'ST0071', today);
    expect((await stack.epa.status(uln)).stage).toBe('InAssessment');
    console.log(`the gateway's events recorded with the database away in ${Date.now() - t0} ms`);
    await eventually(async () => expect(refusedWrites(uln)).toBeGreaterThan(0));
    // The index still holds the old row; the EPA itself moved on.
    expect(rowOf(uln)!.row.stage).toBe('GatewayReview');
    const at = `${addDays(today, 21)}T10:00`;
    const booked = await stack.epa.recordEvent(uln, 'AssessmentBooked', { on: today, component: 'observation', at });
    expect(booked.stage).toBe('InAssessment');
    expect(rowOf(uln)!.row.stage).toBe('GatewayReview');
  } finally {
    databaseDown = false;
  }
  // The workflow tries again on its own timer (5 seconds, doubling): the row catches up.
  await eventually(
    async () =>
      expect(rowOf(uln)?.row).toMatchObject({
        stage: 'InAssessment',
        bookings: [{ component: 'observation', at: `${addDays(today, 21)}T10:00` }],
      }),
    60_000,
  );

  // A withdrawal while the database is away: the workflow waits for the write before it ends.
  databaseDown = true;
  await stack.epa.recordEvent(uln, 'Withdrawn', { on: today, reason: 'left the employer' });
  await eventually(async () => expect(refusedWrites(uln, 'Withdrawn')).toBeGreaterThan(0));
  expect((await stack.epa.handle(uln).describe()).status.name).toBe('RUNNING');
  databaseDown = false;
  await untilCompleted(stack, uln, 90_000);
  expect(rowOf(uln)!.row).toMatchObject({ stage: 'Withdrawn', running: false });
  const mine = writes.filter((x) => x.epaId === `epa-${uln}`);
  for (let i = 1; i < mine.length; i++) expect(mine[i]!.version).toBeGreaterThanOrEqual(mine[i - 1]!.version);
}, 180_000);
