/**
 * A failed observation → resit about 5 months later → Distinction capped at Pass; with exceptional
 * circumstances for the original fail the Distinction stands (001 §8, 002 Annex 2).
 */
import { useHarness, type Harness } from '../support/lifecycle';
import { startWalk, type Walk } from '../support/walk';
import { recordHistoryFixture } from '../support/history-fixtures';

let h: Harness;
useHarness((harness) => (h = harness));

async function failThenResit(w: Walk, start: number, exceptionalCircumstances: boolean) {
  const y = 2027 + start;
  await w.passGateway(`${y}-01-11`);
  await w.at(`${y}-01-12`, 'AssessmentBooked', { component: 'observation', at: `${y}-02-02T10:00` });
  await w.at(`${y}-02-02`, 'AssessmentTaken', { component: 'observation' });
  await w.at(`${y}-02-03`, 'GradeRecorded', { component: 'observation', grade: 'Fail' });
  const failed = await w.publish(`${y}-02-04`, 'observation');
  expect(failed.stage).toBe('Resit');
  expect(failed.deadlines.find((d) => d.key === 'resitDeadline')).toMatchObject({ due: `${y + 1}-02-04`, status: 'open' });
  // Five months on, the resit.
  const booked = await w.at(`${y}-06-28`, 'AssessmentBooked', { component: 'observation', at: `${y}-07-13T10:00` });
  expect(booked.components.observation!.attempts.map((a) => a.kind)).toEqual(['first', 'resit']);
  await w.at(`${y}-07-13`, 'AssessmentTaken', { component: 'observation' });
  return await w.at(`${y}-07-14`, 'GradeRecorded', { component: 'observation', grade: 'Distinction', exceptionalCircumstances });
}

test('resit Distinction is capped at Pass', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  const graded = await failThenResit(w, 0, false);
  await recordHistoryFixture('resit-capped-st0071', h.epa.handle(w.uln));
  expect(graded.grades.observation).toBe('Pass');
  expect(graded.components.observation!.attempts[1]).toMatchObject({ rawGrade: 'Distinction', capped: true });
  // The resit got its own invite (a new UID: attempt 2).
  const invites = h.deliveries.filter((d) => d.epaId === `epa-${w.uln}` && d.notification.kind === 'invite');
  expect(invites.map((d) => d.notification.inviteUid)).toEqual(['observation-1', 'observation-2']);
});

test('with exceptional circumstances for the original fail, the Distinction is kept', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2028-01-04' });
  const graded = await failThenResit(w, 1, true);
  expect(graded.grades.observation).toBe('Distinction');
});
