/**
 * Patch 'epa-tasks' (src/epa/tasks.ts, workflows/epa/publish.ts): a message that fails now puts a
 * task on the lists at once (the memo and the listing row written for it). An EPA whose messages
 * failed before tasks existed wrote nothing then: its history, recorded on the code before the
 * patch by this same scenario, replays on this code only through the old branch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { MessageRequest } from '../../activities/types';
import { eventually, startHarness, type Harness } from '../support/lifecycle';
import { deliverEachWith, recordingActivities } from '../support/recording-activities';
import { startWalk } from '../support/walk';
import { epaWorkflowBundle } from '../support/workflow-bundle';

/** Recorded on the code before tasks (commit 9d7e8d3) by the scenario below: messages to the apprentice failed. */
const BEFORE_PATCH = path.resolve(__dirname, '../fixtures/patches/epa-tasks.1.2.json');

let h: Harness;
const recording = recordingActivities();

/** A mailbox that refuses for good (as SMTP's 550): the message fails. */
async function refusing(request: MessageRequest) {
  if (request.recipient.email.startsWith('refused'))
    throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'smtp_permanent');
  return await recording.activities.deliverMessage(request);
}

beforeAll(async () => {
  h = await startHarness({
    ...recording.activities,
    // A mailbox that refuses for good (as SMTP's 550).
    deliverMessage: refusing,
    deliverMessages: deliverEachWith(refusing),
  });
});
afterAll(async () => {
  await h?.teardown();
});

test('an EPA whose messages failed before tasks (nothing written for them) replays on this code: the old branch of epa-tasks', async () => {
  // Recording the baseline: run this file on the code before the patch with EPA_RECORD_PATCH_BASELINE=1.
  if (process.env.EPA_RECORD_PATCH_BASELINE === '1') {
    const w = await startWalk(h, {
      gatewaySubmittedOn: '2027-05-03',
      apprentice: { name: 'Ines Refusal', email: 'refused.ines@apprentice.example' },
    });
    await w.passGateway('2027-05-10');
    await eventually(async () => expect((await h.epa.status(w.uln)).log.some((l) => l.status === 'failed')).toBe(true));
    await w.at('2027-05-11', 'Withdrawn', { reason: 'the apprentice left the employer' });
    await h.epa.handle(w.uln).result();
    writeFileSync(BEFORE_PATCH, historyToJSON(await h.epa.handle(w.uln).fetchHistory()) + '\n');
  }
  const history = historyFromJSON(JSON.parse(readFileSync(BEFORE_PATCH, 'utf8')));
  const failed = (history.events ?? []).filter((e) => e.activityTaskFailedEventAttributes);
  expect(failed.length).toBeGreaterThan(0); // deliveries that failed for good, with nothing written for them
  await expect(
    Worker.runReplayHistory({ workflowBundle: await epaWorkflowBundle(), replayName: 'epa-tasks-before' }, history),
  ).resolves.toBeUndefined();
});
