/**
 * Messages honest about time (src/epa/late-entry.ts): what facts entered late may still trigger.
 * Not a seed rule: how epa-flow reports what it learns late. The deadlines themselves are the seeds'
 * (002 two-week gateway review, 002 Annex 2 results within 7 working days, 001 §5 notice).
 */
import fc from 'fast-check';
import { addDays, endOfLondonDay, londonInstant } from '../../src/calendar';
import { dueNotifications, newEpa, recordEvent, ruleContext, view, type EpaState } from '../../src/epa';
import {
  LATE_ENTRY_QUIET_MINUTES,
  entersLate,
  importSummary,
  importSummaryWaitMs,
  REPORTS_A_MISS,
  lateEntryQuietMs,
  lateEntrySummary,
  lateFacts,
  metLateIds,
  triageLateEntry,
  watchLateEntry,
  type LateEntryWatch,
} from '../../src/epa/late-entry';
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

/**
 * A paper file typed in one event at a time (issue 28 part 2): each entry is a look by the
 * workflow; the watch holds the alerts until a quiet period after the last entry. `entries`: each
 * entry's events and the minute (after the first) it is typed in. Returns the watch and the summary.
 */
function typedIn(entries: { events: Record<string, unknown>[]; minute: number }[], quietMs: number) {
  const start = londonInstant('2027-03-01', '10:00');
  let known = new Set<string>();
  let lateKnown = new Set<string>();
  let watch: LateEntryWatch | undefined;
  const withheld = new Set<string>();
  const history: Record<string, unknown>[] = [];
  let at = start;
  for (const entry of entries) {
    history.push(...entry.events);
    at = start + entry.minute * 60_000;
    const v = view(fold(history), ctx, at);
    const facts = lateFacts(known, lateKnown, v.notifications, v.deadlines, at);
    for (const k of facts.withheld) withheld.add(k);
    watch = watchLateEntry(watch, facts, history.length, at, quietMs);
    known = new Set(v.notifications.map((n) => n.key));
    lateKnown = metLateIds(v.deadlines);
  }
  const firesAt = watch?.until;
  const v = view(fold(history), ctx, firesAt ?? at);
  return { watch, withheld, summary: watch && lateEntrySummary(watch, v.deadlines, firesAt!, '1234567890') };
}

const QUIET = 10 * 60_000;

test('the quiet period is the EPAO setting, 10 minutes unless set, and the seconds given override it', () => {
  expect(LATE_ENTRY_QUIET_MINUTES).toBe(10);
  expect(lateEntryQuietMs({})).toBe(600_000);
  expect(lateEntryQuietMs({ lateEntry: { quietMinutes: 30, source: 'EPAO setting' } })).toBe(1_800_000);
  expect(lateEntryQuietMs({ lateEntry: { quietMinutes: 30, source: 'EPAO setting' } }, 2)).toBe(2000);
});

test('typed in event by event with every deadline met (002 two-week gateway review, 002 Annex 2 results): no summary at all', () => {
  const { watch, withheld, summary } = typedIn(
    [
      // The EPA started with only its gateway submission (4 January): 002's two-week review looks missed …
      { events: [{ type: 'GatewaySubmitted', on: '2027-01-04' }], minute: 0 },
      // … until the next entry, two minutes later, shows it was reviewed on 11 January.
      { events: [{ type: 'GatewayPassed', on: '2027-01-11' }], minute: 2 },
      {
        events: [
          { type: 'PlanningMeetingBooked', on: '2027-01-11', at: '2027-01-11T15:00' },
          { type: 'PlanningMeetingHeld', on: '2027-01-11' },
          { type: 'AssessmentBooked', on: '2027-01-12', component: 'observation', at: '2027-02-02T10:00' },
          { type: 'AssessmentTaken', on: '2027-02-02', component: 'observation' },
        ],
        minute: 5,
      },
      // The result looked late (7 working days from 2 February) for four minutes.
      {
        events: [
          { type: 'GradeRecorded', on: '2027-02-03', component: 'observation', grade: 'Pass' },
          { type: 'ResultPublished', on: '2027-02-04', component: 'observation' },
        ],
        minute: 9,
      },
    ],
    QUIET,
  );
  expect(watch?.deadlines).toEqual(expect.arrayContaining(['gatewayReviewDue@2027-01-18']));
  expect(watch?.until).toBe(londonInstant('2027-03-01', '10:19')); // 10 minutes after the last entry
  expect([...withheld].some((k) => k.startsWith('deadlineMissed:gatewayReviewDue'))).toBe(true);
  expect(summary).toBeUndefined();
});

test('a gateway reviewed late, typed in after the submission: one summary naming the ULN, the review met late by how many working days (002)', () => {
  const { summary } = typedIn(
    [
      { events: [{ type: 'GatewaySubmitted', on: '2027-01-04' }], minute: 0 },
      // 002: reviewed within two weeks, by 18 January; it was reviewed on 25 January.
      { events: [{ type: 'GatewayPassed', on: '2027-01-25', override: { reason: 'entered from the paper file' } }], minute: 3 },
    ],
    QUIET,
  );
  expect(summary).toMatchObject({
    key: 'missedBeforeEntry:1',
    kind: 'missedBeforeEntry',
    to: ['epaoAdmin'],
    at: londonInstant('2027-03-01', '10:13'),
    uln: '1234567890',
  });
  const review = summary!.missed!.find((m) => m.key === 'gatewayReviewDue');
  expect(review).toMatchObject({ due: '2027-01-18', status: 'metLate', source: '002 Gateway' });
  expect(review!.lateBy?.days).toBeGreaterThan(0);
});

test('an entry after the quiet period started begins nothing new when it brings nothing late, but still moves the summary on', () => {
  const facts = { withheld: [], deadlines: ['gatewayReviewDue@2027-01-18'] };
  const w = watchLateEntry(undefined, facts, 1, 0, QUIET)!;
  expect(w).toEqual({ entry: '1', until: QUIET, deadlines: ['gatewayReviewDue@2027-01-18'], events: 1 });
  expect(watchLateEntry(w, { withheld: [], deadlines: [] }, 1, 60_000, QUIET)).toBe(w); // a timer, no entry
  expect(watchLateEntry(w, { withheld: [], deadlines: [] }, 2, 60_000, QUIET)?.until).toBe(60_000 + QUIET);
  expect(watchLateEntry(undefined, { withheld: [], deadlines: [] }, 2, 0, QUIET)).toBeUndefined();
});

test('a deadline met late on the day it is recorded is not a late entry (its miss was announced live)', () => {
  const history = [{ type: 'GatewaySubmitted', on: '2027-01-04' }];
  const at = londonInstant('2027-01-25', '10:00');
  const before = view(fold(history), ctx, at);
  const after = view(fold([...history, { type: 'GatewayPassed', on: '2027-01-25', override: { reason: 'late' } }]), ctx, at);
  expect(after.deadlines.find((d) => d.key === 'gatewayReviewDue')?.status).toBe('metLate');
  const facts = lateFacts(
    new Set(before.notifications.map((n) => n.key)),
    metLateIds(before.deadlines),
    after.notifications,
    after.deadlines,
    at,
  );
  expect(facts).toEqual({ withheld: [], deadlines: [] });
});

test("an import's summary lists, by apprentice name, each report with something to say and not yet sent; signed by the one EPAO", () => {
  const missed = [{ key: 'gatewayReviewDue', due: '2027-01-18', rule: 'r', source: '002 Gateway', owner: 'epaoAdmin' as const }];
  const reports = [
    { uln: '9123456786', apprenticeName: 'Zed Ward', standard: 'ST0071', epaoName: 'Innovate Awarding', missed },
    { uln: '9234567892', apprenticeName: 'Ada Testwell', standard: 'ST0071', epaoName: 'Innovate Awarding', missed },
    { uln: '9345678908', apprenticeName: 'Bo Clean', standard: 'ST0071', epaoName: 'Innovate Awarding', missed: [] },
  ];
  const first = importSummary(reports, new Set(), 1, 5)!;
  expect(first.notification).toMatchObject({ key: 'importSummary', kind: 'importSummary', at: 5, to: ['epaoAdmin'] });
  expect(first.notification.imported!.map((r) => r.apprenticeName)).toEqual(['Ada Testwell', 'Zed Ward']);
  expect(first.epaoName).toBe('Innovate Awarding');
  // A follow-up lists only what came after; with two EPAOs it is signed by epa-flow.
  const later = { uln: '9456789014', apprenticeName: 'Cy Late', standard: 'ST0072', epaoName: 'Innovate Awarding', missed };
  const second = importSummary(
    [{ ...reports[0]!, epaoName: 'NQual' }, ...reports.slice(1), later],
    new Set(['9234567892']),
    2,
    6,
  )!;
  expect(second.notification.key).toBe('importSummary:2');
  expect(second.notification.imported!.map((r) => r.uln)).toEqual(['9456789014', '9123456786']);
  expect(second.epaoName).toBe('epa-flow');
  expect(importSummary(reports.slice(2), new Set(), 1, 7)).toBeUndefined();
  expect([importSummaryWaitMs(4), importSummaryWaitMs(undefined)]).toEqual([604_000, 86_400_000]);
});

test('an EPA enters late when its first look finds a deadline missed or met late before entry (002 two-week gateway review, 002 Annex 2 results)', () => {
  const submitted = [{ type: 'GatewaySubmitted', on: '2027-01-04' }];
  const reviewedInTime = [...submitted, { type: 'GatewayPassed', on: '2027-01-11' }];
  const reviewedLate = [...submitted, { type: 'GatewayPassed', on: '2027-01-25' }]; // 002: due by 18 January
  const at = (events: Record<string, unknown>[], enteredAt: number) => entersLate(view(fold(events), ctx, enteredAt), enteredAt);
  expect(at(reviewedInTime, londonInstant('2027-01-12', '10:00'))).toBe(false);
  expect(at(submitted, londonInstant('2027-01-12', '10:00'))).toBe(false); // the review is not due yet
  expect(at(submitted, londonInstant('2027-01-20', '10:00'))).toBe(true); // missed before entry
  expect(at(reviewedLate, londonInstant('2027-01-27', '10:00'))).toBe(true); // met late, a day before entry
  // The workflow looks a moment after the client: it can only find more, never less.
  const later = londonInstant('2027-01-20', '10:00');
  expect(at(submitted, later + 60_000)).toBe(true);
});
