/**
 * Results not published within 7 working days (002 Annex 2) → EpaOverdue true and an EPAO-admin
 * alert; published later → EpaOverdue false. Time-skipping server, real durations.
 */
import { advanceTo, useHarness, type Harness } from '../support/lifecycle';
import { eventually, startWalk } from '../support/walk';

let h: Harness;
useHarness((harness) => (h = harness));

test('a late result turns the EPA overdue, alerts the EPAO admin, and clears once published', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-12', 'AssessmentBooked', { component: 'observation', at: '2027-02-02T10:00' });
  await w.at('2027-02-02', 'AssessmentTaken', { component: 'observation' });
  await w.at('2027-02-03', 'GradeRecorded', { component: 'observation', grade: 'Pass' });

  // 2 Feb + 7 working days = 11 Feb. On the 11th it is still open; from midnight it is missed.
  const dueDay = await w.statusOn('2027-02-11', '23:30');
  expect(dueDay.deadlines.find((d) => d.key === 'resultDue.observation')).toMatchObject({ due: '2027-02-11', status: 'open' });
  expect(dueDay.overdue).toBe(false);
  expect(await w.searchAttributes()).toMatchObject({ overdue: false });

  await advanceTo(h.env, '2027-02-12', '00:30');
  await eventually(async () => expect(await w.searchAttributes()).toMatchObject({ overdue: true }));
  const late = await h.epa.status(w.uln);
  expect(late.deadlines.find((d) => d.key === 'resultDue.observation')!.status).toBe('missed');
  const alerts = h.deliveries.filter((d) => d.epaId === `epa-${w.uln}` && d.notification.deadlineKey === 'resultDue.observation');
  expect(alerts.map((a) => [a.notification.kind, a.recipients.map((r) => r.role)])).toEqual([
    ['deadlineNear', ['epaoAdmin']], // 2 working days before
    ['deadlineMissed', ['epaoAdmin']],
  ]);
  expect(late.log.filter((l) => l.kind === 'deadlineMissed')).toHaveLength(1);

  const published = await w.publish('2027-02-15', 'observation');
  expect(published.overdue).toBe(false);
  expect(published.deadlines.find((d) => d.key === 'resultDue.observation')).toMatchObject({ status: 'metLate' });
  expect(await w.searchAttributes()).toMatchObject({ overdue: false, stage: 'InAssessment' });
});
