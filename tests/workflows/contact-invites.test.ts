/**
 * A contact's corrected email moves their live invites (patch 'contact-email-moves-invites';
 * src/epa/contacts.ts). On the time-skipping server with the recording delivery activity: the CANCEL
 * goes to the old address and the same invite, one SEQUENCE up, to the new one; a later reschedule
 * counts on from it. An EPA whose history was written on 1.0 (the change made, no invite moved)
 * replays on this code, taking the old branch. The invites are 002 Assessment Booking's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { eventually, useHarness, type Harness } from '../support/lifecycle';
import { startWalk } from '../support/walk';
import { epaWorkflowBundle } from '../support/workflow-bundle';

let h: Harness;
useHarness((harness) => (h = harness));

const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
/** Recorded on 1.0 (commit 67453b3) by this same scenario: the email changed, no invite moved. */
const BEFORE_PATCH = path.resolve(__dirname, '../fixtures/patches/contact-email-moves-invites.1.0.json');

/** Booked, the apprentice's email corrected, rescheduled, withdrawn: the scenario both histories hold. */
async function scenario(gatewaySubmittedOn: string) {
  const w = await startWalk(h, { gatewaySubmittedOn });
  const day = (n: number) => {
    const d = new Date(`${gatewaySubmittedOn}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  await w.passGateway(day(7));
  await w.at(day(8), 'AssessmentBooked', { component: 'observation', at: `${day(29)}T10:00`, assessor: priya });
  const mine = () => h.deliveries.filter((d) => d.epaId === `epa-${w.uln}` && d.notification.kind.startsWith('invite'));
  await eventually(async () => expect(mine().map((d) => d.recipients.length)).toEqual([3]));
  await w.at(day(9), 'ContactDetailsChanged', { role: 'apprentice', email: 'ada.new@apprentice.example', reason: 'typo' });
  await w.at(day(10), 'AssessmentBooked', { component: 'observation', at: `${day(36)}T10:00`, assessor: priya });
  await w.at(day(11), 'Withdrawn', { reason: 'apprentice left the employer' });
  await h.epa.handle(w.uln).result();
  return { uln: w.uln, invites: mine() };
}

test('the live invite: CANCEL at the old address, REQUEST to the new (same UID, SEQUENCE up); later invites count on from it', async () => {
  const { uln, invites } = await scenario('2027-01-04');
  const history = await h.epa.handle(uln).fetchHistory();
  // Recording the 1.0 baseline: run this file on the 1.0 code with EPA_RECORD_PATCH_BASELINE=1.
  if (process.env.EPA_RECORD_PATCH_BASELINE === '1') writeFileSync(BEFORE_PATCH, historyToJSON(history) + '\n');
  // The CANCEL and the REQUEST of one correction go out side by side (either may be first): by SEQUENCE, then kind.
  const sent = invites
    .map((d) => [d.notification.kind, d.notification.sequence, d.recipients.map((r) => `${r.role} ${r.email}`)] as const)
    .sort(
      (a, b) =>
        (a[1] ?? 0) - (b[1] ?? 0) ||
        (a[0] === 'inviteCancelledAtOldAddress' ? -1 : b[0] === 'inviteCancelledAtOldAddress' ? 1 : 0),
    );
  expect(sent).toEqual([
    [
      'invite',
      0,
      ['apprentice ada.testwell@apprentice.example', 'employer noor.castellan@brightside.example', `assessor ${priya.email}`],
    ],
    ['inviteCancelledAtOldAddress', 1, ['apprentice ada.testwell@apprentice.example']],
    ['invite', 1, ['apprentice ada.new@apprentice.example']],
    [
      'invite',
      2,
      ['apprentice ada.new@apprentice.example', 'employer noor.castellan@brightside.example', `assessor ${priya.email}`],
    ],
    [
      'inviteCancelled',
      3,
      ['apprentice ada.new@apprentice.example', 'employer noor.castellan@brightside.example', `assessor ${priya.email}`],
    ],
  ]);
  expect(new Set(invites.map((d) => d.notification.inviteUid))).toEqual(new Set(['observation-1']));
  // The old address's CANCEL names nobody and no place.
  const cancel = invites.find((d) => d.notification.kind === 'inviteCancelledAtOldAddress')!;
  expect([cancel.recipients[0]!.name, cancel.notification.location, cancel.notification.assessor]).toEqual([
    '',
    undefined,
    undefined,
  ]);
  // Its history replays on this code (the new branch is deterministic).
  await Worker.runReplayHistory({ workflowBundle: await epaWorkflowBundle(), replayName: 'contact-invites' }, history);
});

test('an EPA whose email was corrected on 1.0 (no invite moved) replays on this code: the old branch', async () => {
  const history = historyFromJSON(JSON.parse(readFileSync(BEFORE_PATCH, 'utf8')));
  const scheduled = JSON.stringify(history).match(/inviteCancelledAtOldAddress/g) ?? [];
  expect(scheduled).toEqual([]); // 1.0 sent nothing to the old address
  await expect(
    Worker.runReplayHistory({ workflowBundle: await epaWorkflowBundle(), replayName: 'contact-invites-1.0' }, history),
  ).resolves.toBeUndefined();
});
