/**
 * Messages honest about time (src/epa/late-entry.ts): what facts entered late may still trigger.
 * Not a seed rule: how epa-flow reports what it learns late. The deadlines themselves are the seeds'
 * (002 two-week gateway review, 002 Annex 2 results within 7 working days, 001 §5 notice).
 */
import fc from 'fast-check';
import { addDays, endOfLondonDay, londonInstant } from '../../src/calendar';
import { dueNotifications, newEpa, recordEvent, ruleContext, view, type EpaState } from '../../src/epa';
import { REPORTS_A_MISS, triageLateEntry } from '../../src/epa/late-entry';
import { eventStep, eventsFrom } from '../support/arbitraries';

const ctx = ruleContext('ST0071', 'innovate');

function fold(events: Record<string, unknown>[]): EpaState {
  let state = newEpa(ctx);
  for (const e of events) {
    try {
      state = recordEvent(state, { override: { reason: 'entered from the EPAO’s records' }, ...e }, ctx).state;
    } catch {
      // a random history may hold an impossible step: skip it, as the import would refuse it
    }
  }
  return state;
}

/** What would go out at `enteredAt` for an EPA entered with this history, and the triage of it. */
function entered(events: Record<string, unknown>[], enteredAt: number) {
  const v = view(fold(events), ctx, enteredAt);
  const triage = triageLateEntry(new Set(), v.notifications, v.deadlines, enteredAt, 'start');
  const withheld = new Set(triage.withheld);
  const sent = dueNotifications(v.notifications, enteredAt, withheld);
  return { v, triage, sent };
}

test('an EPA entered with a history whose deadlines were all met sends no alert at all', () => {
  const history = [
    { type: 'GatewaySubmitted', on: '2027-01-04' },
    { type: 'GatewayPassed', on: '2027-01-11' }, // 002: reviewed within two weeks
    { type: 'PlanningMeetingBooked', on: '2027-01-11', at: '2027-01-11T15:00' }, // 002 Assessment Booking
    { type: 'PlanningMeetingHeld', on: '2027-01-11' },
    { type: 'AssessmentBooked', on: '2027-01-12', component: 'observation', at: '2027-02-02T10:00' },
    { type: 'AssessmentTaken', on: '2027-02-02', component: 'observation' },
    { type: 'GradeRecorded', on: '2027-02-03', component: 'observation', grade: 'Pass' },
    { type: 'ResultPublished', on: '2027-02-04', component: 'observation' }, // 002 Annex 2: within 7 working days
  ];
  const { triage, sent } = entered(history, londonInstant('2027-02-10', '10:00'));
  expect(triage).toEqual({ withheld: [] });
  expect(sent.filter((n) => REPORTS_A_MISS.has(n.kind) || n.kind === 'deadlineNear')).toEqual([]);
});

test('one deadline genuinely missed before entry: one summary to the EPAO admin, nothing to anyone else about it', () => {
  const history = [
    { type: 'GatewaySubmitted', on: '2027-01-04' },
    { type: 'GatewayPassed', on: '2027-01-11' },
    { type: 'PlanningMeetingBooked', on: '2027-01-11', at: '2027-01-11T15:00' },
    { type: 'PlanningMeetingHeld', on: '2027-01-11' },
    { type: 'AssessmentBooked', on: '2027-01-12', component: 'observation', at: '2027-02-02T10:00' },
    { type: 'AssessmentTaken', on: '2027-02-02', component: 'observation' },
    { type: 'GradeRecorded', on: '2027-02-03', component: 'observation', grade: 'Pass' },
    // not yet published: 002 Annex 2's 7 working days ended on 11 February
  ];
  const enteredAt = londonInstant('2027-02-20', '10:00');
  const { triage, sent } = entered(history, enteredAt);
  expect(triage.withheld).toEqual(['deadlineMissed:resultDue.observation:2027-02-11']);
  expect(triage.summary).toMatchObject({
    kind: 'missedBeforeEntry',
    to: ['epaoAdmin'],
    at: enteredAt,
    missed: [{ key: 'resultDue.observation', due: '2027-02-11', source: '002 Annex 2', owner: 'epaoAdmin' }],
  });
  expect(sent.filter((n) => REPORTS_A_MISS.has(n.kind))).toEqual([]);
  expect(sent.flatMap((n) => n.to).filter((r) => r === 'employer' || r === 'provider')).toEqual([]);
});

test('a single back-dated event: a deadline it shows was missed before it was entered is summarised, not announced', () => {
  const live = [
    { type: 'GatewaySubmitted', on: '2027-01-04' },
    { type: 'GatewayPassed', on: '2027-01-11' },
    { type: 'PlanningMeetingBooked', on: '2027-01-11', at: '2027-01-11T15:00' },
    { type: 'PlanningMeetingHeld', on: '2027-01-11' },
    { type: 'AssessmentBooked', on: '2027-01-12', component: 'observation', at: '2027-02-02T10:00' },
  ];
  const enteredAt = londonInstant('2027-02-25', '09:30');
  const before = view(fold(live), ctx, enteredAt);
  // Recorded on 25 February: the observation took place on 2 February, so its result was due on 11 February.
  const after = view(fold([...live, { type: 'AssessmentTaken', on: '2027-02-02', component: 'observation' }]), ctx, enteredAt);
  const triage = triageLateEntry(
    new Set(before.notifications.map((n) => n.key)),
    after.notifications,
    after.deadlines,
    enteredAt,
    'event-3',
  );
  expect(triage.withheld).toEqual(['deadlineMissed:resultDue.observation:2027-02-11']);
  expect(triage.summary?.key).toBe('missedBeforeEntry:event-3');
});

test('notifications already scheduled before the entry are untouched (a timer that fires late still sends)', () => {
  const history = [
    { type: 'GatewaySubmitted', on: '2027-01-04' },
    { type: 'GatewayPassed', on: '2027-01-11' },
    { type: 'PlanningMeetingBooked', on: '2027-01-11', at: '2027-01-11T15:00' },
    { type: 'PlanningMeetingHeld', on: '2027-01-11' },
    { type: 'AssessmentBooked', on: '2027-01-12', component: 'observation', at: '2027-02-02T10:00' },
    { type: 'AssessmentTaken', on: '2027-02-02', component: 'observation' },
  ];
  const v = view(fold(history), ctx, londonInstant('2027-02-20', '10:00'));
  const triage = triageLateEntry(
    new Set(v.notifications.map((n) => n.key)),
    v.notifications,
    v.deadlines,
    londonInstant('2027-02-20', '10:00'),
    'loop',
  );
  expect(triage).toEqual({ withheld: [] });
});

const step = eventStep(
  [
    'GatewayPassed',
    'GatewayRejected',
    'GatewaySubmitted',
    'AssessmentBooked',
    'AssessmentTaken',
    'GradeRecorded',
    'ResultPublished',
    'ReportSubmitted',
    'PortfolioSubmitted',
    'CertificateClaimed',
    'ReworkSubmitted',
  ],
  ['observation', 'project', 'discussion'],
  { gap: 30, ahead: 60 },
);

test('property: at entry, no miss before entry is announced, every one is in the single admin summary, nothing about the past reaches employers or providers', () => {
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 20 }),
      fc.integer({ min: 0, max: 400 }),
      fc.integer({ min: 0, max: 23 }),
      (steps, later, hour) => {
        const history = [{ type: 'GatewaySubmitted', on: '2027-01-04' }, ...eventsFrom('2027-01-04', steps)];
        const on = String(history[history.length - 1]!.on);
        const enteredAt = endOfLondonDay(addDays(on, later)) - (24 - hour) * 3_600_000;
        const { v, triage, sent } = entered(history, enteredAt);
        const pastMisses = v.notifications.filter((n) => REPORTS_A_MISS.has(n.kind) && n.at <= enteredAt);
        expect([...triage.withheld].sort()).toEqual(pastMisses.map((n) => n.key).sort());
        expect(sent.filter((n) => REPORTS_A_MISS.has(n.kind))).toEqual([]);
        expect(triage.summary !== undefined).toBe(pastMisses.length > 0);
        if (triage.summary) {
          expect(triage.summary.to).toEqual(['epaoAdmin']);
          expect(triage.summary.missed!.map((m) => `${m.key}:${m.due}`).sort()).toEqual(
            pastMisses.map((n) => `${n.deadlineKey}:${n.due}`).sort(),
          );
          for (const m of triage.summary.missed!)
            expect(v.deadlines.find((d) => d.key === m.key && d.due === m.due)?.status).toBe('missed');
        }
        // What does go out at entry is about now or the future: nothing whose moment is over.
        for (const n of sent) expect(n.expiresAt === undefined || n.expiresAt > enteredAt).toBe(true);
      },
    ),
    { numRuns: Number(process.env.EPA_FUZZ_RUNS ?? 1000) },
  );
});
