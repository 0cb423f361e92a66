/**
 * Other paths through an EPA: gateway rejected and resubmitted (002), extenuating circumstances
 * (001 §8), withdrawal with an assessment booked, a reschedule voided (a correction), a failed
 * result appealed and upheld, and continue-as-new over long resit cycles.
 */
import { epaStart } from '../support/people';
import { advanceTo, eventually, useHarness, type Harness } from '../support/lifecycle';
import { gatewaySteps, st0071ToLastResult, startWalk } from '../support/walk';
import type { epaWorkflow } from '../../workflows/epa';
import { eventUpdates, statusQuery } from '../../workflows/definitions';
import { recordHistoryFixture } from '../support/history-fixtures';
import { rules } from '../../src/plans';

let h: Harness;
useHarness((harness) => (h = harness));

test('gateway rejected with a reason, resubmitted and passed; extenuating circumstances; then withdrawn', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  const rejected = await w.at('2027-01-08', 'GatewayRejected', { reason: 'project synopsis needs a clearer scope' });
  expect(rejected.stage).toBe('GatewayRejected');
  expect((await w.searchAttributes()).stage).toBe('GatewayRejected');
  await w.at('2027-01-25', 'GatewaySubmitted');
  const passed = await w.passGateway('2027-02-01');
  expect(passed).toMatchObject({ stage: 'InAssessment', epaStart: '2027-02-01', epaPeriodEnds: '2027-05-01' });

  await w.at('2027-02-02', 'AssessmentBooked', { component: 'observation', at: '2027-03-02T10:00' });
  const ec = await w.at('2027-03-01', 'ExtenuatingCircumstances', { component: 'observation', reason: 'bereavement' });
  expect(ec.epaPeriodEnds).toBe('2027-05-01'); // 001 §5: a maximum of 3 months; no seed extends it (001 §8 rearranges the date)
  await w.at('2027-03-02', 'AssessmentBooked', { component: 'observation', at: '2027-03-23T10:00' });
  const withdrawn = await w.at('2027-03-10', 'Withdrawn', { reason: 'apprentice left the employer' });
  expect(withdrawn.stage).toBe('Withdrawn');
  const summary = await h.epa.handle(w.uln).result();
  await recordHistoryFixture('withdrawal-st0071', h.epa.handle(w.uln));
  expect(summary).toMatchObject({ stage: 'Withdrawn', completed: true, overdue: false });

  // Invites: REQUEST seq 0, CANCEL seq 1 (extenuating circumstances), REQUEST seq 2 (rebooked), CANCEL seq 3 (withdrawn).
  const invites = h.deliveries.filter((d) => d.epaId === `epa-${w.uln}` && d.notification.kind.startsWith('invite'));
  expect(invites.map((d) => [d.notification.kind, d.notification.inviteUid, d.notification.sequence])).toEqual([
    ['invite', 'observation-1', 0],
    ['inviteCancelled', 'observation-1', 1],
    ['invite', 'observation-1', 2],
    ['inviteCancelled', 'observation-1', 3],
  ]);
});

test('continue-as-new keeps the state, the sent keys and the log across runs', async () => {
  const input = epaStart({ gatewaySubmittedOn: '2027-06-01' });
  await advanceTo(h.env, '2027-06-01', '09:00');
  const handle = await h.env.client.workflow.start<typeof epaWorkflow>('epaWorkflow', {
    workflowId: `epa-${input.uln}`,
    taskQueue: 'epa-test',
    args: [{ ...input, rules: rules().resolve(input.standard, input.epao) }, undefined, { historyLimit: 40 }],
  });
  const firstRun = handle.firstExecutionRunId;
  type EventType = keyof typeof eventUpdates;
  const send = async (date: string, type: EventType, payload: Record<string, unknown> = {}) => {
    await advanceTo(h.env, date);
    return await handle.executeUpdate(eventUpdates[type], { args: [{ on: date, ...payload }] });
  };
  for (const [type, payload] of gatewaySteps('ST0071', '2027-06-07')) await send('2027-06-07', type as EventType, payload);
  await send('2027-06-07', 'PlanningMeetingHeld');
  // Three fail → resit cycles of the observation.
  let day = 8;
  for (let cycle = 0; cycle < 3; cycle++) {
    const d = (n: number) => `2027-${String(6 + cycle * 2).padStart(2, '0')}-${String(n).padStart(2, '0')}`;
    await send(d(day), 'AssessmentBooked', { component: 'observation', at: `${d(day + 15)}T10:00` });
    await send(d(day + 15), 'AssessmentTaken', { component: 'observation' });
    await send(d(day + 16), 'GradeRecorded', { component: 'observation', grade: 'Fail' });
    await send(d(day + 17), 'ResultModerated', { component: 'observation' });
    await send(d(day + 17), 'ResultPublished', { component: 'observation' });
    day = 1;
  }
  const status = await eventually(async () => {
    const s = await h.env.client.workflow.getHandle(`epa-${input.uln}`).query(statusQuery);
    expect(s.runs).toBeGreaterThan(1);
    return s;
  });
  expect(status.components.observation!.attempts).toHaveLength(3);
  expect(status.stage).toBe('Resit');
  const first = await h.env.client.workflow.getHandle(`epa-${input.uln}`, firstRun).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');
  const delivered = h.deliveries.filter((d) => d.epaId === `epa-${input.uln}`);
  const mine = delivered.map((d) => d.notification.key);
  expect(new Set(mine).size).toBe(mine.length); // nothing sent twice across runs
  // The log, carried across runs, has one entry per recipient of every notification sent (once the
  // last delivery, which runs beside the workflow loop, has reported back).
  await eventually(async () => {
    const sent = h.deliveries.filter((d) => d.epaId === `epa-${input.uln}`);
    const perRecipient = sent.flatMap((d) => d.recipients.map((r) => `${d.notification.key} → ${r.role}`)).sort();
    const log = (await h.env.client.workflow.getHandle(`epa-${input.uln}`).query(statusQuery)).log;
    expect(log.map((l) => `${l.key} → ${l.role}`).sort()).toEqual(perRecipient);
  }); // The first run, ended by continue-as-new, and the run it continued into (started from the carry).
  await recordHistoryFixture('continued-as-new-st0071', h.env.client.workflow.getHandle(`epa-${input.uln}`, firstRun));
  await recordHistoryFixture('continued-run-st0071', h.env.client.workflow.getHandle(`epa-${input.uln}`));
});

test('a reschedule recorded in error is voided: the booking is as before and calendars are put right', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-12', 'AssessmentBooked', { component: 'observation', at: '2027-02-09T10:00', eventId: 'book-1' });
  const moved = await w.at('2027-01-13', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-02-16T10:00',
    eventId: 'move-1',
  });
  expect(moved.components.observation!.attempts[0]!.booking!.at).toBe('2027-02-16T10:00');
  const voided = await w.at('2027-01-14', 'EventVoided', { eventId: 'move-1', reason: 'moved the wrong apprentice' });
  expect(voided.components.observation!.attempts[0]!.booking!.at).toBe('2027-02-09T10:00');
  const status = await h.epa.status(w.uln);
  expect(status.timeline.at(-1)).toMatchObject({
    type: 'EventVoided',
    changed: expect.arrayContaining(['voided the AssessmentBooked of 2027-01-13']),
  });
  await w.at('2027-01-15', 'Withdrawn', { reason: 'apprentice left the employer' });
  expect(await h.epa.handle(w.uln).result()).toMatchObject({ stage: 'Withdrawn', completed: true });
  await recordHistoryFixture('corrections-st0071', h.epa.handle(w.uln));
});

test('a failed result appealed and upheld becomes a pass, and the EPA goes on to its certificate', async () => {
  const g = '2027-01-11';
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway(g);
  for (const [type, { on, ...payload }] of st0071ToLastResult(g)) {
    const failed = type === 'GradeRecorded' && payload.component === 'project' ? { grade: 'Fail' } : {};
    await w.at(on as string, type, { ...payload, ...failed });
  }
  expect((await h.epa.status(w.uln)).grades.project).toBe('Fail');
  await w.at('2027-02-25', 'AppealLodged', { component: 'project', reason: 'the interview overran its time' });
  const upheld = await w.at('2027-03-04', 'AppealDecided', { component: 'project', outcome: 'upheld', grade: 'Pass' });
  expect(upheld).toMatchObject({ stage: 'AwaitingCertificate', grades: { project: 'Pass' } });
  await w.at('2027-03-05', 'CertificateClaimed');
  await w.at('2027-03-19', 'CertificateReceived');
  expect(await h.epa.handle(w.uln).result()).toMatchObject({ stage: 'Completed', completed: true });
  await recordHistoryFixture('appeal-upheld-st0071', h.epa.handle(w.uln));
});
