/**
 * A paper file typed in event by event (issue 28 part 2; src/epa/late-entry.ts, an epa-flow rule):
 * the admin's summary waits for the quiet period (10 minutes, the default EPAO setting) after the
 * last entry, and lists what was missed or met late. Deadline: 002's two-week gateway review.
 * Time-skipping server, real durations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { londonInstant } from '../../src/calendar';
import { recordHistoryFixture } from '../support/history-fixtures';
import { advanceTo, eventually, useHarness, type Harness } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { epaWorkflowBundle } from '../support/workflow-bundle';

/** The same scenario recorded on 1.1 (commit fd48564, by the same steps), before the quiet period: the summary went at the start. */
const BEFORE_PATCH = path.resolve(__dirname, '../fixtures/patches/late-entry-quiet.1.1.json');

let h: Harness;
useHarness((harness) => (h = harness));

const MINUTE = 60_000;

test('typed in late: one summary to the admin 10 minutes after the last entry, naming the gateway review met late', async () => {
  await advanceTo(h.env, '2027-03-01', '10:00');
  const input = epaStart({ gatewaySubmittedOn: '2027-01-04' }); // 002: reviewed by 18 January
  await h.epa.start(input);
  const mine = () => h.deliveries.filter((d) => d.epaId === `epa-${input.uln}`);
  await eventually(async () => expect((await h.epa.status(input.uln)).eventCount).toBe(1));

  // Two minutes later, the next page of the file: the gateway was reviewed on 25 January (late).
  await h.env.sleep(2 * MINUTE);
  await h.epa.recordEvent(input.uln, 'GatewayPassed', { on: '2027-01-25', override: { reason: 'entered from the paper file' } });
  // Nine minutes after that (eleven after the start): still quiet, the second entry moved it on.
  await h.env.sleep(9 * MINUTE);
  expect(mine().map((d) => d.notification.kind)).toEqual([]);

  await h.env.sleep(2 * MINUTE);
  await eventually(async () => expect(mine()).toHaveLength(1));
  const [summary] = mine();
  expect(summary!.notification).toMatchObject({
    kind: 'missedBeforeEntry',
    to: ['epaoAdmin'],
    uln: input.uln,
    missed: [{ key: 'gatewayReviewDue', due: '2027-01-18', status: 'metLate', source: '002 Gateway' }],
  });
  expect(summary!.notification.at).toBeGreaterThanOrEqual(londonInstant('2027-03-01', '10:12'));
  expect(summary!.recipients.map((r) => r.role)).toEqual(['epaoAdmin']);
  // Nothing to anyone about the deadline missed before entry.
  expect(mine().filter((d) => d.notification.kind === 'deadlineMissed')).toEqual([]);
  await recordHistoryFixture('late-entry-st0071', h.epa.handle(input.uln));
});

test('an EPA typed in on 1.1 (its summary sent at once) replays on this code: the old branch of late-entry-quiet', async () => {
  const history = historyFromJSON(JSON.parse(readFileSync(BEFORE_PATCH, 'utf8')));
  const events = history.events ?? [];
  // 1.1 sent its summary at once: a delivery scheduled before the second entry (the Update) came in.
  const delivery = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverMessage');
  const update = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect([delivery >= 0, update > delivery]).toEqual([true, true]);
  const decoded = [...readFileSync(BEFORE_PATCH, 'utf8').matchAll(/"data":\s*"([^"]*)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString(),
  );
  expect(decoded.some((d) => d.includes('missedBeforeEntry'))).toBe(true);
  expect(decoded.some((d) => d.includes('late-entry-quiet'))).toBe(false); // no marker of the patch
  await expect(
    Worker.runReplayHistory({ workflowBundle: await epaWorkflowBundle(), replayName: 'late-entry-1.1' }, history),
  ).resolves.toBeUndefined();
});
