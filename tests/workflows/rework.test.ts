/** A failed work-based project is reworked within one month of the failing result (001 §8, 002). */
import { advanceTo, useHarness, type Harness } from '../support/lifecycle';
import { eventually, startWalk } from '../support/walk';
import { recordHistoryFixture } from '../support/history-fixtures';

let h: Harness;
useHarness((harness) => (h = harness));

test('rework due one month after the failing result; missed → overdue, then escalated to the admin', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-12', 'ReportSubmitted', { words: 2400 });
  await w.at('2027-01-12', 'AssessmentBooked', { component: 'project', at: '2027-02-09T10:00' });
  await w.at('2027-02-09', 'AssessmentTaken', { component: 'project' });
  await w.at('2027-02-10', 'GradeRecorded', { component: 'project', grade: 'Fail' });
  const failed = await w.publish('2027-02-12', 'project');
  expect(failed.stage).toBe('Rework');
  expect(failed.deadlines.find((d) => d.key === 'reworkDue')).toMatchObject({ due: '2027-03-12', status: 'open' });
  // Booking a new interview before the rework is in is refused.
  await expect(
    h.epa.recordEvent(w.uln, 'AssessmentBooked', { on: '2027-02-12', component: 'project', at: '2027-03-20T10:00' }),
  ).rejects.toMatchObject({
    kind: 'rejected_transition',
  });

  await advanceTo(h.env, '2027-03-13', '00:30');
  await eventually(async () => expect(await w.searchAttributes()).toMatchObject({ overdue: true, stage: 'Rework' }));
  const missed = await h.epa.status(w.uln);
  expect(missed.deadlines.find((d) => d.key === 'reworkDue')!.status).toBe('missed');
  expect(
    h.deliveries.some((d) => d.epaId === `epa-${w.uln}` && d.notification.key === 'deadlineMissed:reworkDue:2027-03-12'),
  ).toBe(true);
  // The apprentice was reminded 14, 7 and 1 days before.
  expect(
    h.deliveries.filter(
      (d) =>
        d.epaId === `epa-${w.uln}` && d.notification.deadlineKey === 'reworkDue' && d.notification.kind === 'deadlineReminder',
    ),
  ).toHaveLength(3);

  // After its month, the rework is late work: refused without a reason (001 §8, 002 Annex 2), accepted with one.
  await expect(w.at('2027-03-15', 'ReworkSubmitted', { words: 2600 })).rejects.toMatchObject({ kind: 'rule_violation' });
  const reworked = await w.at('2027-03-15', 'ReworkSubmitted', {
    words: 2600,
    override: { reason: 'the EPAO agreed three more days' },
  });
  expect(reworked.violations).toContainEqual(
    expect.objectContaining({ rule: 'reworkLate', source: '001 §8', overridden: 'the EPAO agreed three more days' }),
  );
  await recordHistoryFixture('rework-st0071', h.epa.handle(w.uln));
  expect(reworked.overdue).toBe(false);
  expect(reworked.components.project!.attempts.map((a) => a.kind)).toEqual(['first', 'rework']);
});
