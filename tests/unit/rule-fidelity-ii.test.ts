/**
 * Rule fidelity II: the seed rules the first wave missed or got wrong, each test naming its seed.
 * Values not in the seeds (the appeal window) are EPAO settings and say so.
 */
import fc from 'fast-check';
import { addWorkingDays, londonDateTimeInstant } from '../../src/calendar';
import {
  admitEvent,
  EpaInputError,
  EpaRuleViolationError,
  newEpa,
  planCase,
  recordEvent,
  ruleContext,
  view,
  type EpaState,
} from '../../src/epa';
import { resultDueOn } from '../../src/epa/rules';
import { resultAttempt } from '../../src/epa/state';
import { eventStep, eventsFrom } from '../support/arbitraries';
import { deadline, plan, st0071Evidence, st0071Gateway, st0072Evidence, st0072Gateway, type RawEvent } from '../support/cases';

/** Events in date order (a stable sort: same-day events keep their order). */
const byDate = (events: RawEvent[]): RawEvent[] => [...events].sort((a, b) => a.on.localeCompare(b.on));
const rules = (v: { violations: { rule: string }[] }) => v.violations.map((f) => f.rule);
const innovate = ruleContext('ST0071', 'innovate');

/** ST0071 observation booked, taken 2026-12-08, graded Fail on 2026-12-10 (not yet published). */
const failedObservation: RawEvent[] = [
  ...st0071Gateway,
  { type: 'AssessmentBooked', component: 'observation', on: '2026-11-20', at: '2026-12-08T10:00' },
  { type: 'AssessmentTaken', component: 'observation', on: '2026-12-08' },
  { type: 'GradeRecorded', component: 'observation', grade: 'Fail', on: '2026-12-10' },
  { type: 'ResultModerated', component: 'observation', on: '2026-12-10' },
];

describe('a resit booked before the failing result is published (001 §8, 002 Annex 2, 004)', () => {
  const early: RawEvent = {
    type: 'AssessmentBooked',
    component: 'observation',
    on: '2026-12-11',
    at: '2027-01-20T10:00',
    override: { reason: 'apprentice ready early' },
  };

  test('is a violation (further development comes first), and the fail keeps its result deadline', () => {
    const v = plan('ST0071', [...failedObservation, early], '2026-12-30');
    expect(v.violations).toContainEqual(expect.objectContaining({ rule: 'resitBeforeResult', source: '001 §8' }));
    // 002 Annex 2: 7 working days from 8 December: 17 December; not published, so missed.
    expect(deadline(v, 'resultDue.observation')).toMatchObject({ due: '2026-12-17', status: 'missed' });
    expect(v.overdue).toBe(true);
  });

  test('without an override a live EPA refuses it', () => {
    let state = newEpa(innovate);
    for (const e of failedObservation) state = recordEvent(state, e, innovate).state;
    const { override: _, ...plain } = early;
    expect(() => admitEvent(state, plain, innovate, '2026-12-11')).toThrow(EpaRuleViolationError);
  });

  test('the fail is then published: the deadline is met and the 12-month resit window opens from it', () => {
    const v = plan(
      'ST0071',
      [...failedObservation, early, { type: 'ResultPublished', component: 'observation', on: '2026-12-14' }],
      '2026-12-30',
    );
    expect(deadline(v, 'resultDue.observation')).toMatchObject({ due: '2026-12-17', status: 'met', metOn: '2026-12-14' });
    expect(deadline(v, 'resitDeadline')).toMatchObject({ due: '2027-12-14', status: 'open', source: '001 §8' });
    expect(v.components.observation!.attempts.map((a) => [a.kind, a.grade, a.publishedOn])).toEqual([
      ['first', 'Fail', '2026-12-14'],
      ['resit', undefined, undefined],
    ]);
  });

  test('NQual: the results deadline after the final component survives a resit booked early (004 Grading)', () => {
    const gateway = st0072Gateway;
    const take = (component: string, at: string, pass: boolean): RawEvent[] => [
      { type: 'AssessmentBooked', component, on: '2027-01-08', at },
      { type: 'AssessmentTaken', component, on: at.slice(0, 10) },
      { type: 'GradeRecorded', component, passCriteriaMet: pass, distinctionCriteriaMet: 0, on: at.slice(0, 10) },
    ];
    const events = [
      ...gateway,
      ...take('showcase', '2027-02-01T10:00', true),
      ...take('observation', '2027-02-02T10:00', false),
      ...take('discussion', '2027-02-03T10:00', true),
      {
        type: 'AssessmentBooked',
        component: 'observation',
        on: '2027-02-04',
        at: '2027-03-10T10:00',
        override: { reason: 'x-test' },
      },
    ];
    const v = plan('ST0072', byDate(events), '2027-02-25');
    expect(rules(v)).toContain('resitBeforeResult');
    // 10 working days from 3 February: 17 February.
    expect(deadline(v, 'resultsDue')).toMatchObject({ due: '2027-02-17', status: 'missed' });
  });

  test('property: whatever order the core accepts, a taken assessment awaiting its result has an open or missed result deadline', () => {
    const types = [
      'AssessmentBooked',
      'AssessmentTaken',
      'GradeRecorded',
      'ResultModerated',
      'ResultPublished',
      'AssessmentCancelled',
      'ExtenuatingCircumstances',
      'ReworkSubmitted',
      'ReportSubmitted',
    ];
    fc.assert(
      fc.property(
        fc.array(eventStep(types, ['observation', 'project', 'discussion'], { gap: 20, ahead: 30 }), { maxLength: 40 }),
        (steps) => {
          let state: EpaState = newEpa(innovate);
          for (const e of [...st0071Gateway, ...eventsFrom('2026-11-17', steps, { override: { reason: 'property test' } })]) {
            try {
              state = recordEvent(state, e, innovate).state;
            } catch (err) {
              if (!(err instanceof EpaInputError) && !(err as Error).name.includes('Transition')) throw err;
            }
          }
          const v = view(state, innovate, Date.parse('2029-01-01T00:00:00Z'));
          for (const [id, component] of Object.entries(state.components)) {
            const waiting = component.attempts.find((a) => a.takenOn && !a.publishedOn);
            if (!waiting) continue;
            const d = v.deadlines.find((x) => x.key === `resultDue.${id}`);
            expect(d).toMatchObject({ due: resultDueOn(waiting.takenOn!, innovate.policy), status: 'missed' });
          }
          if (state.firstFailPublishedOn) expect(v.deadlines.some((d) => d.key === 'resitDeadline')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('NQual results and the 6-month window survive any order the core accepts (004 Grading, 004 Re-sit / Re-take)', () => {
  const nqual = ruleContext('ST0072', 'nqual');
  const types = [
    'AssessmentBooked',
    'AssessmentTaken',
    'GradeRecorded',
    'ResultPublished',
    'AssessmentCancelled',
    'ExtenuatingCircumstances',
    'GatewaySubmitted',
    'GatewayPassed',
  ];
  test('property: while every component has been taken and a result is awaited, resultsDue is there and not met; a fail always has a resit window', () => {
    fc.assert(
      fc.property(
        fc.array(eventStep(types, ['showcase', 'observation', 'discussion'], { gap: 40, ahead: 30 }), { maxLength: 40 }),
        (steps) => {
          let state: EpaState = newEpa(nqual);
          const gateway = st0072Gateway;
          const events = eventsFrom('2027-01-09', steps, { override: { reason: 'property test' } }).map((e) =>
            e.type === 'GradeRecorded'
              ? { ...e, grade: undefined, passCriteriaMet: e.grade !== 'Fail', distinctionCriteriaMet: 1 }
              : e,
          );
          for (const e of [...gateway, ...events]) {
            try {
              state = recordEvent(state, e, nqual).state;
            } catch (err) {
              if (!(err instanceof EpaInputError) && !(err as Error).name.includes('Transition')) throw err;
            }
          }
          const v = view(state, nqual, Date.parse('2030-01-01T00:00:00Z'));
          const results = Object.values(state.components).map((c) => resultAttempt(c));
          if (results.every((a) => a?.takenOn) && results.some((a) => !a!.publishedOn)) {
            expect(v.deadlines.find((d) => d.key === 'resultsDue')).toMatchObject({ status: 'missed' });
          }
          if (Object.values(state.components).some((c) => c.attempts.some((a) => a.grade === 'Fail'))) {
            expect(v.deadlines.some((d) => d.key === 'resitDeadline')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('late work is a violation needing an override reason (001 §5, 001 §8, 002 Annex 2)', () => {
  const interview: RawEvent = { type: 'AssessmentBooked', component: 'project', on: '2026-11-20', at: '2027-01-12T10:00' };

  test('a report handed in under 2 weeks before its interview: reportLate (001 §5)', () => {
    const v = plan(
      'ST0071',
      [...st0071Gateway, interview, { type: 'ReportSubmitted', on: '2026-12-30', words: 2500 }],
      '2027-01-05',
    );
    expect(v.violations).toContainEqual(expect.objectContaining({ rule: 'reportLate', source: '001 §5' }));
    expect(deadline(v, 'reportDue')).toMatchObject({ due: '2026-12-29', status: 'metLate' });
  });

  test('on its last day it is on time', () => {
    const v = plan(
      'ST0071',
      [...st0071Gateway, interview, { type: 'ReportSubmitted', on: '2026-12-29', words: 2500 }],
      '2027-01-05',
    );
    expect(rules(v)).not.toContain('reportLate');
  });

  test('an interview booked less than 2 weeks after the report: reportLate (001 §5)', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        { type: 'ReportSubmitted', on: '2026-12-01', words: 2500 },
        { type: 'AssessmentBooked', component: 'project', on: '2026-12-02', at: '2026-12-14T10:00' },
      ],
      '2026-12-03',
    );
    expect(rules(v)).toEqual(['reportLate']);
  });

  test('an interview taken with no report at all: reportLate, and projectLate once the 2 months have passed (001 §5)', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        { ...interview, at: '2027-01-20T10:00' },
        { type: 'AssessmentTaken', component: 'project', on: '2027-01-20' },
      ],
      '2027-01-21',
    );
    expect(rules(v)).toEqual(['reportLate', 'projectLate']);
  });

  test('a project finished after its 2 months: projectLate (001 §5)', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        { type: 'AssessmentBooked', component: 'project', on: '2026-11-20', at: '2027-02-10T10:00' },
        { type: 'ReportSubmitted', on: '2027-01-18', words: 2500 }, // 2 months from 16 November: 16 January
      ],
      '2027-01-20',
    );
    expect(rules(v)).toEqual(['projectLate']);
    expect(deadline(v, 'projectCompletionDue')).toMatchObject({ due: '2027-01-16', status: 'metLate' });
  });

  test('a rework after its month: reworkLate (001 §8, 002 Annex 2)', () => {
    const failed: RawEvent[] = [
      ...st0071Gateway,
      { type: 'ReportSubmitted', on: '2026-11-20', words: 2500 },
      interview,
      { type: 'AssessmentTaken', component: 'project', on: '2027-01-12' },
      { type: 'GradeRecorded', component: 'project', grade: 'Fail', on: '2027-01-13' },
      { type: 'ResultModerated', component: 'project', on: '2027-01-13' },
      { type: 'ResultPublished', component: 'project', on: '2027-01-14' },
    ];
    expect(rules(plan('ST0071', [...failed, { type: 'ReworkSubmitted', on: '2027-02-14' }], '2027-02-15'))).toEqual([]);
    const late = plan(
      'ST0071',
      [...failed, { type: 'ReworkSubmitted', on: '2027-02-15', override: { reason: 'agreed late' } }],
      '2027-02-16',
    );
    expect(late.violations).toEqual([
      expect.objectContaining({ rule: 'reworkLate', source: '001 §8', overridden: 'agreed late' }),
    ]);
  });
});

describe('ST0072: the 6-month window (004 Re-sit / Re-take)', () => {
  const gateway = st0072Gateway;
  const done = (component: string, at: string, pass: boolean, publishedOn: string): RawEvent[] => [
    { type: 'AssessmentBooked', component, on: '2027-01-08', at },
    { type: 'AssessmentTaken', component, on: at.slice(0, 10) },
    { type: 'GradeRecorded', component, passCriteriaMet: pass, distinctionCriteriaMet: 4, on: at.slice(0, 10) },
    { type: 'ResultPublished', component, on: publishedOn },
  ];
  const round = byDate([
    ...gateway,
    ...done('showcase', '2027-02-01T10:00', true, '2027-02-10'),
    ...done('observation', '2027-02-02T10:00', false, '2027-02-10'),
    ...done('discussion', '2027-02-03T10:00', true, '2027-02-10'),
  ]);

  test('a resit of the failed observation after a passed discussion needs no order override (004 resits only failed components)', () => {
    const v = plan(
      'ST0072',
      [...round, { type: 'AssessmentBooked', component: 'observation', on: '2027-02-15', at: '2027-03-15T10:00' }],
      '2027-02-16',
    );
    expect(v.violations).toEqual([]);
    expect(v.warnings.map((w) => w.rule)).not.toContain('componentOrder');
  });

  test('within the window only the failed component is resat; a passed one cannot be booked', () => {
    expect(() =>
      plan(
        'ST0072',
        [...round, { type: 'AssessmentBooked', component: 'discussion', on: '2027-03-01', at: '2027-04-01T10:00' }],
        '2027-03-02',
      ),
    ).toThrow(/already passed/);
  });

  test('after the window lapses (6 months from gateway: 8 July) the whole EPA is resat: every component again, a new 6 months', () => {
    const v = plan(
      'ST0072',
      [...round, { type: 'AssessmentBooked', component: 'showcase', on: '2027-07-12', at: '2027-08-02T10:00' }],
      '2027-07-13',
    );
    expect(v.warnings).toContainEqual(expect.objectContaining({ rule: 'wholeEpaRetaken', source: '004 Re-sit / Re-take' }));
    expect(v.violations).toEqual([]);
    expect(deadline(v, 'resitDeadline')).toMatchObject({ due: '2028-01-12', status: 'open' });
    for (const id of ['showcase', 'observation', 'discussion']) {
      const attempts = v.components[id]!.attempts;
      expect(attempts[attempts.length - 1]).toMatchObject({ kind: 'resit', wholeEpaRound: true });
    }
    expect(v.stage).toBe('InAssessment');
    expect(v.overall).toBeNull();
  });

  test('the whole EPA taken again: all three pass, the overall grade is capped at Pass (004)', () => {
    const again = (component: string, at: string): RawEvent[] => [
      { type: 'AssessmentBooked', component, on: '2027-07-12', at },
      { type: 'AssessmentTaken', component, on: at.slice(0, 10) },
      { type: 'GradeRecorded', component, passCriteriaMet: true, distinctionCriteriaMet: 4, on: at.slice(0, 10) },
      { type: 'ResultPublished', component, on: '2027-08-10' },
    ];
    const v = plan(
      'ST0072',
      byDate([
        ...round,
        ...again('showcase', '2027-08-02T10:00'),
        ...again('observation', '2027-08-03T10:00'),
        ...again('discussion', '2027-08-04T10:00'),
      ]),
      '2027-08-11',
    );
    expect(v.stage).toBe('AwaitingCertificate');
    expect(v.overall).toBe('Pass');
    expect(deadline(v, 'resitDeadline')).toMatchObject({ status: 'met' });
  });

  test('a retake through the gateway after the window lapsed: the new 6 months run from the new gateway pass', () => {
    const v = plan(
      'ST0072',
      [
        ...round,
        { type: 'GatewaySubmitted', on: '2027-08-02' },
        { type: 'GatewayPassed', on: '2027-08-09' },
        { type: 'AssessmentBooked', component: 'discussion', on: '2027-08-10', at: '2027-09-01T10:00' },
      ],
      '2027-08-11',
    );
    expect(v.warnings.map((w) => w.rule)).toContain('wholeEpaRetaken');
    expect(deadline(v, 'resitDeadline')).toMatchObject({ due: '2028-02-09', status: 'open' });
    expect(v.components.discussion!.attempts.at(-1)).toMatchObject({ kind: 'retake', booking: { at: '2027-09-01T10:00' } });
  });
});

describe('moderation before the result (001 §8: "Decisions must not be confirmed until after moderation")', () => {
  const graded: RawEvent[] = [
    ...st0071Gateway,
    { type: 'AssessmentBooked', component: 'observation', on: '2026-11-20', at: '2026-12-08T10:00' },
    { type: 'AssessmentTaken', component: 'observation', on: '2026-12-08' },
    { type: 'GradeRecorded', component: 'observation', grade: 'Pass', on: '2026-12-09' },
  ];

  test('a result published before moderation is a violation citing 001 §8', () => {
    const v = plan('ST0071', [...graded, { type: 'ResultPublished', component: 'observation', on: '2026-12-10' }], '2026-12-11');
    expect(v.violations).toEqual([expect.objectContaining({ rule: 'resultNotModerated', source: '001 §8' })]);
  });

  test('the overall grade is provisional until every decision is moderated', () => {
    const all = ['project', 'discussion'].flatMap((c, i): RawEvent[] => [
      { type: 'AssessmentBooked', component: c, on: '2026-11-20', at: `2026-12-1${i}T10:00` },
      { type: 'AssessmentTaken', component: c, on: `2026-12-1${i}` },
      { type: 'GradeRecorded', component: c, grade: 'Pass', on: `2026-12-1${i}`, override: { reason: 'x-test' } },
    ]);
    const unmoderated = plan(
      'ST0071',
      byDate([...graded, ...all.map((e) => ({ ...e, override: { reason: 'no report here' } }))]),
      '2026-12-14',
    );
    expect(unmoderated).toMatchObject({ overall: null, provisionalOverall: 'Pass' });
    const moderated = plan(
      'ST0071',
      byDate([
        ...graded,
        ...all.map((e) => ({ ...e, override: { reason: 'no report here' } })),
        ...['observation', 'project', 'discussion'].map((c) => ({ type: 'ResultModerated', component: c, on: '2026-12-14' })),
      ]),
      '2026-12-14',
    );
    expect(moderated).toMatchObject({ overall: 'Pass', provisionalOverall: 'Pass' });
  });

  test('without a component, ResultModerated moderates the overall decision: every graded component', () => {
    const v = plan(
      'ST0071',
      [
        ...graded,
        { type: 'ResultModerated', on: '2026-12-10' },
        { type: 'ResultPublished', component: 'observation', on: '2026-12-10' },
      ],
      '2026-12-11',
    );
    expect(v.violations).toEqual([]);
    expect(v.components.observation!.attempts[0]!.moderatedOn).toBe('2026-12-10');
    expect(() => plan('ST0071', [...st0071Gateway, { type: 'ResultModerated', on: '2026-11-17' }], '2026-11-18')).toThrow(
      /no graded decision is waiting for moderation/,
    );
  });

  test('a corrected grade is moderated again', () => {
    const v = plan(
      'ST0071',
      [
        ...graded,
        { type: 'ResultModerated', component: 'observation', on: '2026-12-09' },
        {
          type: 'GradeRecorded',
          component: 'observation',
          grade: 'Distinction',
          on: '2026-12-10',
          override: { reason: 'marking error' },
        },
        { type: 'ResultPublished', component: 'observation', on: '2026-12-10', override: { reason: 'x-test' } },
      ],
      '2026-12-11',
    );
    expect(rules(v)).toEqual(['gradeCorrected', 'resultNotModerated']);
  });

  test('ST0072 (003, 004 say nothing of moderation): results publish without it', () => {
    expect(planCase({ standard: 'ST0072', epao: 'nqual', events: [] }, 0).provisionalOverall).toBeNull();
    expect(ruleContext('ST0072', 'nqual').plan.moderation).toBeUndefined();
  });
});

describe('London times that do not exist, or happen twice', () => {
  const book = (at: string): RawEvent[] => [
    ...st0071Gateway,
    { type: 'AssessmentBooked', component: 'observation', on: '2027-03-01', at },
  ];

  test('01:30 on 28 March 2027 does not exist (the clocks go forward): refused with the reason', () => {
    expect(() => plan('ST0071', book('2027-03-28T01:30'), '2027-03-02')).toThrow(
      /events\[6\]\.at: 01:30 on 2027-03-28 does not exist in London: the clocks go forward/,
    );
  });

  test('01:30 on 31 October 2027 happens twice: refused without an offset, accepted with one, an hour apart', () => {
    expect(() => plan('ST0071', book('2027-10-31T01:30'), '2027-03-02')).toThrow(/happens twice in London.*\+01:00.*\+00:00/);
    expect(plan('ST0071', book('2027-10-31T01:30+01:00'), '2027-03-02').components.observation!.attempts[0]!.booking!.at).toBe(
      '2027-10-31T01:30+01:00',
    );
    expect(londonDateTimeInstant('2027-10-31T01:30+00:00') - londonDateTimeInstant('2027-10-31T01:30+01:00')).toBe(3_600_000);
    expect(new Date(londonDateTimeInstant('2027-10-31T01:30+01:00')).toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  test('an offset that London does not have at that time is refused; an ordinary time needs none', () => {
    expect(() => plan('ST0071', book('2027-07-01T10:00+00:00'), '2027-03-02')).toThrow(/is \+01:00 \(BST\), not \+00:00/);
    expect(() => plan('ST0071', book('2027-07-01T10:00+01:00'), '2027-03-02')).not.toThrow();
    expect(() => plan('ST0071', book('2027-07-01T10:00'), '2027-03-02')).not.toThrow();
  });
});

describe('gateway evidence checklist (001 §4, 002 Gateway, 003, 004 Gateway)', () => {
  const submitted: RawEvent[] = [{ type: 'GatewaySubmitted', on: '2026-11-02' }];
  const pass: RawEvent = { type: 'GatewayPassed', on: '2026-11-16' };

  test('ST0071 with Innovate: passed with nothing recorded, each missing item is a violation citing its seed', () => {
    const v = plan('ST0071', [...submitted, pass], '2026-11-17');
    expect(v.violations.map((f) => [f.rule, f.source])).toEqual([
      ['gatewayEvidenceMissing', '001 §4'],
      ['gatewayEvidenceMissing', '001 §4'],
      ['gatewayEvidenceMissing', '002 Gateway'],
      ['gatewayEvidenceMissing', '002 Gateway'],
      ['gatewayEvidenceMissing', '002 Gateway'],
      ['gatewayEvidenceMissing', '002 Gateway'],
    ]);
  });

  test('epa plan (and epa status) show what is still missing', () => {
    const v = plan('ST0071', [...submitted, { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 }], '2026-11-03');
    expect(v.gatewayEvidenceMissing).toEqual([
      'englishMaths',
      'employerSignOff',
      'projectSynopsis',
      'declaration',
      'reasonableAdjustments',
    ]);
    expect(v.gatewayEvidence.find((e) => e.item === 'portfolio')).toMatchObject({
      met: true,
      on: '2026-11-02',
      source: '002 Gateway',
    });
  });

  test('all recorded: passed without a finding', () => {
    const v = plan(
      'ST0071',
      [...submitted, { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 }, st0071Evidence('2026-11-03'), pass],
      '2026-11-17',
    );
    expect(v.violations).toEqual([]);
    expect(v.gatewayEvidenceMissing).toEqual([]);
  });

  test.each([
    [{ english: 'Level 1', maths: 'Level 2' }, 'English at Level 1: Level 2 is required'],
    [{ english: 'Level 2', maths: 'Entry Level 3' }, 'maths at Entry Level 3: Level 2 is required'],
  ])('ST0071 English and maths below level 2 does not count (001 §4): %j', (englishMaths, detail) => {
    const v = plan('ST0071', [...submitted, { ...st0071Evidence('2026-11-03'), englishMaths }], '2026-11-04');
    expect(v.gatewayEvidence.find((e) => e.item === 'englishMaths')).toMatchObject({ met: false, detail });
  });

  test.each([
    [
      { english: 'Entry Level 3', maths: 'Entry Level 3', ehcPlanOrLegacyStatement: true },
      'an EHC plan or legacy statement: Entry Level 3',
    ],
    [{ english: 'BSL', maths: 'Level 2' }, 'BSL as an alternative to English'],
  ])('ST0071 exceptions count (001 §4): %j (%s)', (englishMaths, _why) => {
    const v = plan('ST0071', [...submitted, { ...st0071Evidence('2026-11-03'), englishMaths }], '2026-11-04');
    expect(v.gatewayEvidence.find((e) => e.item === 'englishMaths')).toMatchObject({ met: true });
  });

  test('ST0072 with NQual needs level 1 English and maths, the sign-off and the showcase (004 Gateway, 003)', () => {
    const v = plan(
      'ST0072',
      [{ type: 'GatewaySubmitted', on: '2027-01-04' }, st0072Evidence('2027-01-04'), { type: 'GatewayPassed', on: '2027-01-08' }],
      '2027-01-09',
    );
    expect(v.violations).toEqual([
      expect.objectContaining({
        rule: 'gatewayEvidenceMissing',
        source: '004 Gateway',
        message: expect.stringContaining('showcase'),
      }),
    ]);
  });

  test('an item the EPA does not need is refused, naming the field: NQual has no project synopsis', () => {
    expect(() =>
      plan(
        'ST0072',
        [
          { type: 'GatewaySubmitted', on: '2027-01-04' },
          { type: 'GatewayEvidenceRecorded', on: '2027-01-04', projectSynopsisAgreed: true },
        ],
        '2027-01-05',
      ),
    ).toThrow(/events\[1\]\.projectSynopsisAgreed: ST0072 with NQual does not ask for the agreed project synopsis at gateway/);
  });

  test('a live EPA refuses GatewayPassed until every item is recorded, or overridden with a reason', () => {
    let state = newEpa(innovate);
    state = recordEvent(state, submitted[0], innovate).state;
    expect(() => admitEvent(state, pass, innovate, '2026-11-16')).toThrow(/gatewayEvidenceMissing/);
    const passed = admitEvent(state, { ...pass, override: { reason: 'evidence seen on epaPRO' } }, innovate, '2026-11-16');
    expect(passed.violations.every((f) => f.overridden === 'evidence seen on epaPRO')).toBe(true);
  });
});

describe('appeals (001 §8 "managed by the EPAO whose decision is final"; the window is an EPAO setting)', () => {
  const published = (grade: string): RawEvent[] =>
    byDate([
      ...st0071Gateway,
      ...(['observation', 'project', 'discussion'] as const).flatMap((c, i): RawEvent[] => [
        ...(c === 'project' ? [{ type: 'ReportSubmitted', on: '2026-11-20', words: 2500 }] : []),
        { type: 'AssessmentBooked', component: c, on: '2026-11-20', at: `2026-12-1${i}T10:00` },
        { type: 'AssessmentTaken', component: c, on: `2026-12-1${i}` },
        { type: 'GradeRecorded', component: c, grade: c === 'discussion' ? grade : 'Pass', on: '2026-12-14' },
        { type: 'ResultModerated', component: c, on: '2026-12-14' },
        { type: 'ResultPublished', component: c, on: '2026-12-15' },
      ]),
    ]);
  const lodge = (on: string, extra = {}): RawEvent => ({
    type: 'AppealLodged',
    component: 'discussion',
    on,
    reason: 'the assessor misread two answers',
    ...extra,
  });

  test('the window is policy data marked as an EPAO setting, citing where the seeds require appeals', () => {
    expect(innovate.policy.appeals).toEqual({ lodgeWithinWorkingDays: 15, source: 'EPAO setting', basis: '001 §8' });
    expect(ruleContext('ST0072', 'nqual').policy.appeals.basis).toBeUndefined(); // 003 and 004 do not mention appeals
  });

  test('lodged within 15 working days of the result: accepted; after it: appealAfterWindow, an EPAO setting', () => {
    const closes = addWorkingDays('2026-12-15', 15);
    expect(rules(plan('ST0071', [...published('Fail'), lodge(closes)], closes))).toEqual([]);
    const late = plan(
      'ST0071',
      [...published('Fail'), lodge('2027-01-20', { override: { reason: 'post delayed' } })],
      '2027-01-20',
    );
    expect(late.violations).toEqual([expect.objectContaining({ rule: 'appealAfterWindow', source: 'EPAO setting' })]);
  });

  test('upheld with a new grade: grades, the overall grade and the certificate claim are worked out again', () => {
    const before = plan('ST0071', [...published('Fail'), lodge('2026-12-18')], '2026-12-18');
    expect(before).toMatchObject({ overall: 'Fail', stage: 'Resit' });
    const v = plan(
      'ST0071',
      [
        ...published('Fail'),
        lodge('2026-12-18'),
        { type: 'AppealDecided', component: 'discussion', on: '2027-01-08', outcome: 'upheld', grade: 'Pass' },
      ],
      '2027-01-08',
    );
    expect(v).toMatchObject({ grades: { discussion: 'Pass' }, overall: 'Pass', stage: 'AwaitingCertificate' });
    expect(v.components.discussion!.attempts[0]!.appeal).toMatchObject({ outcome: 'upheld', previousGrade: 'Fail' });
    // 002 Annex 2: the claim within 15 working days after the final result, here the appeal's decision.
    expect(deadline(v, 'certificateClaimDue')).toMatchObject({ due: addWorkingDays('2027-01-08', 15), status: 'open' });
    expect(v.deadlines.find((d) => d.key === 'resitDeadline')).toBeUndefined();
  });

  test('upheld after the certificate was claimed: the claim is made again for the new grade', () => {
    const v = plan(
      'ST0071',
      [
        ...published('Pass'),
        { type: 'CertificateClaimed', on: '2026-12-16' },
        lodge('2026-12-17'),
        { type: 'AppealDecided', component: 'discussion', on: '2027-01-08', outcome: 'upheld', grade: 'Distinction' },
      ],
      '2027-01-08',
    );
    expect(v.stage).toBe('AwaitingCertificate');
    expect(deadline(v, 'certificateClaimDue')).toMatchObject({ status: 'open', due: addWorkingDays('2027-01-08', 15) });
  });

  test('dismissed: the result stands', () => {
    const v = plan(
      'ST0071',
      [
        ...published('Fail'),
        lodge('2026-12-18'),
        { type: 'AppealDecided', component: 'discussion', on: '2027-01-08', outcome: 'dismissed' },
      ],
      '2027-01-08',
    );
    expect(v).toMatchObject({ grades: { discussion: 'Fail' }, overall: 'Fail' });
  });

  test('no appeal before the result is published, and none decided that was never lodged', () => {
    const graded = published('Fail').slice(0, -1);
    expect(() => plan('ST0071', [...graded, lodge('2026-12-15')], '2026-12-15')).toThrow(/no published result to appeal/);
    expect(() =>
      plan(
        'ST0071',
        [...published('Fail'), { type: 'AppealDecided', component: 'discussion', on: '2027-01-08', outcome: 'dismissed' }],
        '2027-01-08',
      ),
    ).toThrow(/no appeal .* is awaiting a decision/);
    expect(() =>
      plan(
        'ST0071',
        [
          ...published('Fail'),
          lodge('2026-12-18'),
          { type: 'AppealDecided', component: 'discussion', on: '2027-01-08', outcome: 'upheld' },
        ],
        '2027-01-08',
      ),
    ).toThrow(/events\[\d+\]\.grade: an upheld appeal gives the new grade/);
  });
});

describe('the Innovate planning meeting (002 Assessment Booking)', () => {
  const gateway: RawEvent[] = st0071Gateway.slice(0, 4);

  test('booked once the gateway is passed; before it is refused', () => {
    expect(() =>
      plan(
        'ST0071',
        [
          { type: 'GatewaySubmitted', on: '2026-11-02' },
          { type: 'PlanningMeetingBooked', on: '2026-11-03', at: '2026-11-20T10:00' },
        ],
        '2026-11-04',
      ),
    ).toThrow(/once the gateway has been passed \(002 Assessment Booking\)/);
  });

  test('held before the first assessment; an assessment taken first is a violation; the deadline is the first assessment day', () => {
    const booked: RawEvent[] = [
      ...gateway,
      { type: 'PlanningMeetingBooked', on: '2026-11-16', at: '2026-11-19T10:00' },
      { type: 'AssessmentBooked', component: 'observation', on: '2026-11-16', at: '2026-12-08T10:00' },
    ];
    expect(deadline(plan('ST0071', booked, '2026-11-17'), 'planningMeetingDue')).toMatchObject({
      due: '2026-12-08',
      status: 'open',
      source: '002 Assessment Booking',
      owner: 'epaoAdmin',
    });
    const taken = plan(
      'ST0071',
      [...booked, { type: 'AssessmentTaken', component: 'observation', on: '2026-12-08' }],
      '2026-12-09',
    );
    expect(rules(taken)).toEqual(['planningMeetingNotHeld']);
    expect(deadline(taken, 'planningMeetingDue').status).toBe('missed');
    const held = plan(
      'ST0071',
      [
        ...booked,
        { type: 'PlanningMeetingHeld', on: '2026-11-19' },
        { type: 'AssessmentTaken', component: 'observation', on: '2026-12-08' },
      ],
      '2026-12-09',
    );
    expect(rules(held)).toEqual([]);
    expect(deadline(held, 'planningMeetingDue')).toMatchObject({ status: 'met', metOn: '2026-11-19' });
  });

  test('NQual holds no planning meeting (004 has none)', () => {
    expect(() =>
      plan(
        'ST0072',
        [
          { type: 'GatewaySubmitted', on: '2027-01-04' },
          { type: 'PlanningMeetingBooked', on: '2027-01-05', at: '2027-01-20T10:00' },
        ],
        '2027-01-06',
      ),
    ).toThrow(/NQual holds no planning meeting/);
  });
});

describe('messages the seeds imply', () => {
  const kinds = (events: RawEvent[], asOf: string, standard: 'ST0071' | 'ST0072' = 'ST0071') =>
    plan(standard, events, asOf).notifications.filter((n) =>
      [
        'gatewayOutcome',
        'resultPublished',
        'appealDecided',
        'resitWindowClosing',
        'certificateClaimed',
        'certificateReceived',
        'planningMeeting',
        'planningMeetingHeld',
      ].includes(n.kind),
    );

  test('the gateway outcome with the rejection reason goes to apprentice, employer and provider (002, 001 §4)', () => {
    const n = kinds(
      [
        { type: 'GatewaySubmitted', on: '2026-11-02' },
        { type: 'GatewayRejected', on: '2026-11-10', reason: 'portfolio has 8 pieces' },
      ],
      '2026-11-10',
    );
    expect(n).toEqual([
      expect.objectContaining({
        kind: 'gatewayOutcome',
        outcome: 'rejected',
        reason: 'portfolio has 8 pieces',
        to: ['apprentice', 'employer', 'provider'],
        source: '002 Gateway',
      }),
    ]);
  });

  test('results go to the apprentice (004 Grading), a closing resit window is reminded (001 §8), the certificate claimed and sent (002 Annex 2)', () => {
    const events: RawEvent[] = [
      ...st0071Gateway,
      { type: 'AssessmentBooked', component: 'observation', on: '2026-11-20', at: '2026-12-08T10:00' },
      { type: 'AssessmentTaken', component: 'observation', on: '2026-12-08' },
      { type: 'GradeRecorded', component: 'observation', grade: 'Fail', on: '2026-12-09' },
      { type: 'ResultModerated', component: 'observation', on: '2026-12-09' },
      { type: 'ResultPublished', component: 'observation', on: '2026-12-10' },
    ];
    const n = kinds(events, '2026-12-10');
    expect(n.find((x) => x.kind === 'resultPublished')).toMatchObject({
      to: ['apprentice'],
      grade: 'Fail',
      component: 'observation',
    });
    expect(n.filter((x) => x.kind === 'resitWindowClosing').map((x) => [x.due, x.daysBefore])).toEqual([
      ['2027-12-10', 14],
      ['2027-12-10', 7],
      ['2027-12-10', 1],
    ]);
  });

  test('the certificate claimed and sent: the apprentice and the employer are told (002 Annex 2: the ESFA sends it to the employer)', () => {
    const events: RawEvent[] = byDate([
      ...st0071Gateway,
      ...['observation', 'project', 'discussion'].flatMap((c, i): RawEvent[] => [
        ...(c === 'project' ? [{ type: 'ReportSubmitted', on: '2026-11-20', words: 2500 }] : []),
        { type: 'AssessmentBooked', component: c, on: '2026-11-20', at: `2026-12-1${i}T10:00` },
      ]),
      ...['observation', 'project', 'discussion'].flatMap((c, i): RawEvent[] => [
        { type: 'AssessmentTaken', component: c, on: `2026-12-1${i}` },
      ]),
      ...['observation', 'project', 'discussion'].flatMap((c): RawEvent[] => [
        { type: 'GradeRecorded', component: c, grade: 'Pass', on: '2026-12-14' },
        { type: 'ResultModerated', component: c, on: '2026-12-14' },
        { type: 'ResultPublished', component: c, on: '2026-12-15' },
      ]),
      { type: 'CertificateClaimed', on: '2026-12-16' },
      { type: 'CertificateReceived', on: '2027-01-20' },
    ]);
    const n = kinds(events, '2027-01-20');
    expect(n.filter((x) => x.kind.startsWith('certificate')).map((x) => [x.kind, x.to, x.source])).toEqual([
      ['certificateClaimed', ['apprentice', 'employer'], '002 Annex 2'],
      ['certificateReceived', ['apprentice', 'employer'], undefined],
    ]);
    expect(n.filter((x) => x.kind === 'resultPublished')).toHaveLength(3);
  });
});
