/**
 * The listing index as the EPA workflow writes it (patch 'listing-index'): its row is written when
 * it starts and whenever what the lists show changes (an event, a deadline passing), always with a
 * higher version; the last row (Completed, not running) is written before the workflow ends.
 * Time-skipping server; the index activity is the recording one (tests/support/recording-activities).
 * With the database away (the index's local activity failing and retried in real time, which the
 * time-skipping server cannot see): tests/e2e/listing-index-database-away.test.ts, on the dev server.
 */
import type { EpaIndexChange } from '../../workflows/definitions';
import { EpaBookingDays } from '../../src/temporal/search-attributes';
import { advanceTo, eventually, startHarness, untilCompleted, type Harness } from '../support/lifecycle';
import { recordingActivities } from '../support/recording-activities';
import { gatewaySteps, st0071ToCertificate, startWalk } from '../support/walk';

let h: Harness;
const recording = recordingActivities();
/** Every write the workflow asked for, in order. */
const writes: { epaId: string; version: number; stage: string }[] = [];

beforeAll(async () => {
  h = await startHarness({
    ...recording.activities,
    async indexEpa(change: EpaIndexChange) {
      writes.push({ epaId: change.row.epaId, version: change.version, stage: change.row.stage });
      return await recording.activities.indexEpa(change);
    },
  });
});
afterAll(async () => {
  await h?.teardown();
});

const rowOf = (uln: string) => recording.indexed.get(`epa-${uln}`);

/** The EPA's result once it has ended, waited for in real time (see `untilCompleted`). */
async function resultOf(uln: string) {
  await untilCompleted(h, uln);
  return await h.epa.handle(uln).result();
}

test('the row follows the EPA: written at start, on each event and when a deadline passes, versions rising, the last before the end', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
  const epaId = `epa-${w.uln}`;
  await eventually(async () =>
    expect(rowOf(w.uln)?.row).toMatchObject({ stage: 'GatewayReview', running: true, overdue: false }),
  );
  expect(rowOf(w.uln)!.row).toMatchObject({
    epaId,
    uln: w.uln,
    standard: 'ST0071',
    epao: 'innovate',
    apprentice: expect.any(String),
    mustAct: null,
    overdueSince: null,
    nextDeadline: { key: expect.any(String), due: expect.any(String), dueAt: expect.any(String) },
  });
  // No contact details in the row: names only.
  expect(JSON.stringify(rowOf(w.uln)!.row)).not.toMatch(/@/);

  // The gateway review deadline passes with nothing done: the row says overdue, since when, and who acts.
  const review = rowOf(w.uln)!.row.nextDeadline!;
  await advanceTo(h.env, review.due, '23:59');
  await advanceTo(h.env, '2027-03-31');
  await eventually(async () =>
    expect(rowOf(w.uln)?.row).toMatchObject({ overdue: true, overdueSince: review.dueAt, mustAct: 'epaoAdmin' }),
  );
  expect(rowOf(w.uln)!.row.missed.map((m) => m.key)).toContain(review.key);

  const g = '2027-03-31';
  await w.passGateway(g);
  await eventually(async () => expect(rowOf(w.uln)?.row).toMatchObject({ stage: 'InAssessment', overdue: false }));
  for (const [type, payload] of st0071ToCertificate(g)) await w.at(payload.on as string, type, payload);
  const result = await resultOf(w.uln);
  expect(result.stage).toBe('Completed');
  // Written before the workflow ended: the last row is the completed EPA, no longer running.
  expect(rowOf(w.uln)!.row).toMatchObject({ stage: 'Completed', running: false, overdue: false, bookings: [] });

  const mine = writes.filter((x) => x.epaId === epaId);
  expect(mine.length).toBeGreaterThan(5);
  for (let i = 1; i < mine.length; i++) expect(mine[i]!.version).toBeGreaterThan(mine[i - 1]!.version);
  // Only changes are written: far fewer writes than events and wake-ups.
  expect(mine.length).toBeLessThan(st0071ToCertificate(g).length + 12);
});

test('a planning meeting booked is in the row, the memo and the booking days until it is held (patch listing-planning-meeting)', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-06-01' });
  for (const [type, payload] of gatewaySteps('ST0071', '2027-06-08').slice(0, 3)) await w.at('2027-06-08', type, payload);
  await w.at('2027-06-08', 'PlanningMeetingBooked', { at: '2027-06-10T14:30' });
  await eventually(async () => expect(rowOf(w.uln)?.row.planningMeeting).toEqual({ at: '2027-06-10T14:30' }));
  // The memo and the booking days (visibility's lists), as the time-skipping server describes the workflow.
  const published = async () => {
    const d = await h.epa.handle(w.uln).describe();
    return { memo: (d.memo as { planningMeeting?: unknown }).planningMeeting, days: d.typedSearchAttributes.get(EpaBookingDays) };
  };
  await eventually(async () => expect(await published()).toEqual({ memo: { at: '2027-06-10T14:30' }, days: ['2027-06-10'] }));
  await w.at('2027-06-10', 'PlanningMeetingHeld');
  await eventually(async () => expect(rowOf(w.uln)?.row.planningMeeting).toBeUndefined());
  await eventually(async () => expect(await published()).toEqual({ memo: undefined, days: undefined }));
});
