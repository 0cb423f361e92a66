/**
 * The listing index as the EPA workflow writes it (patch 'listing-index'): its row is written when
 * it starts and whenever what the lists show changes (an event, a deadline passing), always with a
 * higher version; the last row (Completed, not running) is written before the workflow ends.
 * Time-skipping server; the index activity is the recording one (tests/support/recording-activities).
 * With the database away (the index's local activity failing and retried in real time, which the
 * time-skipping server cannot see): tests/e2e/listing-index-database-away.test.ts, on the dev server.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { MessageRequest } from '../../activities/types';
import type { EpaIndexChange } from '../../workflows/definitions';
import { EpaBookingDays } from '../../src/temporal/search-attributes';
import { advanceTo, eventually, startHarness, untilCompleted, type Harness } from '../support/lifecycle';
import { recordHistoryFixture } from '../support/history-fixtures';
import { deliverEachWith, recordingActivities } from '../support/recording-activities';
import { gatewaySteps, st0071ToCertificate, startWalk } from '../support/walk';

let h: Harness;
const recording = recordingActivities();
/** Every write the workflow asked for, in order. */
const writes: { epaId: string; version: number; stage: string }[] = [];

/** A mailbox that refuses for good (as SMTP's 550): the message fails. */
async function refusing(request: MessageRequest) {
  if (request.recipient.email.startsWith('refused'))
    throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'smtp_permanent');
  return await recording.activities.deliverMessage(request);
}

beforeAll(async () => {
  h = await startHarness({
    ...recording.activities,
    async indexEpa(change: EpaIndexChange) {
      writes.push({ epaId: change.row.epaId, version: change.version, stage: change.row.stage });
      return await recording.activities.indexEpa(change);
    },
    // A mailbox that refuses for good (as SMTP's 550): the message fails.
    deliverMessage: refusing,
    deliverMessages: deliverEachWith(refusing),
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

test('the row carries the case owner and the open tasks: an owner assigned, a message failed, a task marked done (patch epa-tasks)', async () => {
  const w = await startWalk(h, {
    gatewaySubmittedOn: '2028-03-01', // after the EPA above has finished: the harness's clock only moves on
    apprentice: { name: 'Ines Refusal', email: 'refused.ines@apprentice.example' },
  });
  await eventually(async () => expect(rowOf(w.uln)?.row.tasks?.map((t) => t.kind)).toEqual(['deadline']));
  expect(rowOf(w.uln)!.row.caseOwner).toBeNull();

  // Only the task fields change: written all the same.
  await w.at('2028-03-02', 'CaseOwnerAssigned', { owner: 'olu.ferris', name: 'Olu Ferris' });
  await eventually(async () => expect(rowOf(w.uln)?.row.caseOwner).toEqual({ username: 'olu.ferris', name: 'Olu Ferris' }));

  // A task that does not exist is refused by the validator, in words.
  await expect(w.at('2028-03-02', 'TaskDone', { task: 'failed:nothing:apprentice' })).rejects.toThrow(
    /This EPA has no such task/,
  );

  // The gateway passes: its outcome to the apprentice fails for good, and the row shows the task at once.
  await w.passGateway('2028-03-06');
  await eventually(async () => expect(rowOf(w.uln)?.row.tasks?.some((t) => t.kind === 'failedMessage')).toBe(true));
  const status = await h.epa.status(w.uln);
  const failed = status.tasks!.find((t) => t.kind === 'failedMessage' && !t.done)!;
  expect(failed.message).toMatchObject({ role: 'apprentice' });
  expect(status.caseOwner).toMatchObject({ username: 'olu.ferris', name: 'Olu Ferris' });

  // A result the EPAO owes cannot be marked done; the failed message can, once.
  await w.at('2028-03-06', 'TaskDone', { task: failed.key });
  await eventually(async () => expect(rowOf(w.uln)?.row.tasks?.some((t) => t.key === failed.key)).toBe(false));
  expect((await h.epa.status(w.uln)).tasks!.find((t) => t.key === failed.key)?.done).toBe(true);
  await expect(w.at('2028-03-06', 'TaskDone', { task: failed.key })).rejects.toThrow(/already done/);
  await recordHistoryFixture('tasks-st0071', h.epa.handle(w.uln));
});
