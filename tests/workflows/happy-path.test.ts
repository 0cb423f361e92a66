/**
 * ST0071 with Innovate, gateway to certificate, on the time-skipping server with real durations:
 * reminders on the right London dates and times across the October 2027 BST→GMT change (seeds 001, 002).
 */
import { londonDateOf, londonTimeOf } from '../../src/calendar';
import type { EpaSummary } from '../../workflows/definitions';
import { advanceTo, eventually, useHarness, type Harness } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { recordHistoryFixture } from '../support/history-fixtures';
import { gatewaySteps } from '../support/walk';

let h: Harness;
useHarness((harness) => (h = harness));

test('happy path to Distinction; reminders at 09:00 London either side of the clocks going back', async () => {
  const started = Date.now();
  await advanceTo(h.env, '2027-07-26', '09:00');
  const { input } = await h.epa.start(epaStart({ gatewaySubmittedOn: '2027-07-26' }));
  const uln = input.uln;
  const at = async (date: string, type: string, payload: Record<string, unknown> = {}): Promise<EpaSummary> => {
    await advanceTo(h.env, date);
    return await h.epa.recordEvent(uln, type, { on: date, ...payload });
  };

  expect((await h.epa.status(uln)).stage).toBe('GatewayReview');
  for (const [type, payload] of gatewaySteps('ST0071', '2027-08-02')) await at('2027-08-02', type, payload);
  await at('2027-08-02', 'PlanningMeetingHeld'); // 002 Assessment Booking
  await at('2027-08-03', 'AssessmentBooked', { component: 'observation', at: '2027-09-14T10:00' });
  await at('2027-08-03', 'AssessmentBooked', {
    component: 'project',
    at: '2027-10-12T10:00',
    location: 'https://meet.example/epa-project',
  });
  const booked = await at('2027-08-03', 'AssessmentBooked', { component: 'discussion', at: '2027-11-01T14:00' });
  expect(booked.warnings.map((w) => w.rule)).toEqual(['componentOrder']); // 002: observation not before the discussion
  await at('2027-09-14', 'AssessmentTaken', { component: 'observation' });
  await at('2027-09-15', 'GradeRecorded', { component: 'observation', grade: 'Distinction' });
  await at('2027-09-16', 'ResultModerated', { component: 'observation' }); // 001 §8
  await at('2027-09-16', 'ResultPublished', { component: 'observation' });
  await at('2027-09-20', 'ReportSubmitted', { words: 2480 });
  await at('2027-10-12', 'AssessmentTaken', { component: 'project' });
  await at('2027-10-13', 'GradeRecorded', { component: 'project', grade: 'Distinction' });
  await at('2027-10-14', 'ResultModerated', { component: 'project' }); // 001 §8
  await at('2027-10-14', 'ResultPublished', { component: 'project' });
  await at('2027-10-15', 'PortfolioSubmitted', { pieces: 12 });
  await at('2027-11-01', 'AssessmentTaken', { component: 'discussion' });
  await at('2027-11-02', 'GradeRecorded', { component: 'discussion', grade: 'Distinction' });
  await at('2027-11-03', 'ResultModerated', { component: 'discussion' }); // 001 §8
  const published = await at('2027-11-03', 'ResultPublished', { component: 'discussion' });
  expect(published).toMatchObject({ stage: 'AwaitingCertificate', overall: 'Distinction', overdue: false });
  await at('2027-11-10', 'CertificateClaimed');
  await at('2027-11-24', 'CertificateReceived');

  const summary = await h.epa.handle(uln).result();
  await recordHistoryFixture('happy-path-st0071', h.epa.handle(uln));
  expect(summary).toMatchObject({ stage: 'Completed', overall: 'Distinction', completed: true, overdue: false });
  console.log(`4-month EPA ran in ${Date.now() - started} ms of wall time`);

  // Reminders to apprentice and employer 14, 7 and 1 days before the discussion (1 Nov 2027, 14:00):
  // The clocks go back at 02:00 on Sunday 31 Oct 2027: 18 and 25 Oct are BST (09:00 London = 08:00 UTC),
  // 31 Oct is GMT (09:00 London = 09:00 UTC).
  const mine = h.deliveries.filter((d) => d.epaId === `epa-${uln}`);
  const discussion = mine.filter(
    (d) => d.notification.kind === 'assessmentReminder' && d.notification.component === 'discussion',
  );
  expect(
    discussion.map((d) => [londonDateOf(d.requestedAt), londonTimeOf(d.requestedAt), new Date(d.requestedAt).getUTCHours()]),
  ).toEqual([
    ['2027-10-18', '09:00', 8],
    ['2027-10-25', '09:00', 8],
    ['2027-10-31', '09:00', 9],
  ]);
  expect(discussion[0]!.recipients.map((r) => r.role)).toEqual(['apprentice', 'employer']);
  // One invite per booked assessment, sent on the booking day.
  const invites = mine.filter((d) => d.notification.kind === 'invite');
  expect(invites.map((d) => [d.notification.component, d.notification.sequence, londonDateOf(d.requestedAt)])).toEqual([
    ['observation', 0, '2027-08-03'],
    ['project', 0, '2027-08-03'],
    ['discussion', 0, '2027-08-03'],
  ]);
  // Each key delivered exactly once.
  const keys = mine.map((d) => d.notification.key);
  expect(new Set(keys).size).toBe(keys.length);
  // Report due 28 Sep: the 14-day reminder went out on 14 Sep; the report came in on 20 Sep, so the
  // 7- and 1-day reminders were not sent.
  expect(mine.filter((d) => d.notification.deadlineKey === 'reportDue').map((d) => londonDateOf(d.requestedAt))).toEqual([
    '2027-09-14',
  ]);
  expect(mine.some((d) => d.notification.kind === 'deadlineMissed')).toBe(false);

  const history = await h.epa.handle(uln).fetchHistory();
  console.log(`history length: ${history.events?.length} events`);
  await eventually(async () => {
    const description = await h.epa.handle(uln).describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
