/** ST0072 Customer Service Practitioner rules with NQual's policy (seeds 003, 004). */
import { plans } from '../support/rules';
import { nqual } from '../support/rules';
import { gradeFromCriteria, newEpa, recordEvent, view, type EpaState } from '../../src/epa';
import { deadline, plan, st0072Gateway, type RawEvent } from '../support/cases';

const spec = (id: string) => plans.ST0072!.components.find((c) => c.id === id)!;
const gateway = st0072Gateway;
const take = (component: string, on: string, at: string, pass: boolean, distinctions: number, gradedOn: string): RawEvent[] => [
  { type: 'AssessmentBooked', component, on, at },
  { type: 'AssessmentTaken', component, on: at.slice(0, 10) },
  { type: 'GradeRecorded', component, passCriteriaMet: pass, distinctionCriteriaMet: distinctions, on: gradedOn },
];

describe('component grade from criteria counts (003 table, 004 Assessment Breakdown)', () => {
  test.each([
    ['showcase', 7, 'Distinction'], // 70%: 7 of 10
    ['showcase', 6, 'Pass'],
    ['observation', 4, 'Distinction'], // 80%: 4 of 5
    ['observation', 3, 'Pass'],
    ['discussion', 3, 'Distinction'], // 75%: 3 of 4
    ['discussion', 2, 'Pass'],
  ])('%s with all pass criteria and %i distinction criteria → %s', (id, n, grade) => {
    expect(gradeFromCriteria(spec(id), true, n)).toBe(grade);
  });
  test('missing any pass criterion is a Fail whatever the distinction count (100% of pass criteria)', () => {
    expect(gradeFromCriteria(spec('showcase'), false, 10)).toBe('Fail');
  });
  test('weights 65/20/15 are kept for reporting (003)', () => {
    expect(plans.ST0072!.components.map((c) => c.weight)).toEqual([0.65, 0.2, 0.15]);
  });
  test('more distinction criteria than exist is refused, naming the field', () => {
    expect(() =>
      plan('ST0072', [...gateway, ...take('observation', '2027-01-08', '2027-01-25T10:00', true, 6, '2027-01-26')], '2027-01-27'),
    ).toThrow(/events\[6\]\.distinctionCriteriaMet: 6 exceeds the 5 distinction criteria of observation/);
  });
});

describe('overall grade (003, 004): Distinction only with a distinction in every component', () => {
  const three = (s: number, o: number, d: number) => [
    ...gateway,
    ...take('showcase', '2027-01-08', '2027-01-25T10:00', true, s, '2027-01-26'),
    ...take('observation', '2027-01-26', '2027-02-01T10:00', true, o, '2027-02-02'),
    ...take('discussion', '2027-02-02', '2027-02-08T10:00', true, d, '2027-02-09'),
  ];
  test('7/4/3 → Distinction; 7/4/2 → Pass', () => {
    expect(plan('ST0072', three(7, 4, 3), '2027-02-10').overall).toBe('Distinction');
    expect(plan('ST0072', three(7, 4, 2), '2027-02-10').overall).toBe('Pass');
  });
  test('conflict setting "weightedDistinctionShare": the showcase (65%) alone carries a Distinction', () => {
    const ctx = { plan: plans.ST0072!, policy: { ...nqual, overallGradeRule: 'weightedDistinctionShare' as const } };
    let s: EpaState = newEpa(ctx);
    for (const e of three(7, 3, 2)) s = recordEvent(s, e, ctx).state;
    expect(view(s, ctx, 0).overall).toBe('Distinction');
  });
  test('results within 10 working days of the final component (004 Grading)', () => {
    const v = plan('ST0072', three(7, 4, 3), '2027-02-10');
    expect(deadline(v, 'resultsDue')).toMatchObject({ due: '2027-02-22', status: 'open', source: '004 Grading' });
    expect(v.deadlines.some((d) => d.key.startsWith('resultDue.'))).toBe(false);
  });
});

describe('gateway and EPA period (004 Gateway)', () => {
  test('gateway form at least 10 working days before the first assessment: 9 is a violation', () => {
    const v = plan(
      'ST0072',
      [...gateway, { type: 'AssessmentBooked', component: 'showcase', on: '2027-01-08', at: '2027-01-15T10:00' }],
      '2027-01-09',
    );
    expect(v.violations.map((x) => [x.rule, x.source])).toEqual([['gatewayFormNotice', '004 Gateway']]);
    expect(deadline(v, 'gatewayFormDue')).toMatchObject({ due: '2026-12-31', status: 'metLate' }); // 10 working days before 15 Jan skips New Year's Day
    const ok = plan(
      'ST0072',
      [...gateway, { type: 'AssessmentBooked', component: 'showcase', on: '2027-01-08', at: '2027-01-18T10:00' }],
      '2027-01-09',
    );
    expect(ok.violations).toEqual([]);
  });
  test('all EPA activity within 3 months of gateway', () => {
    expect(plan('ST0072', gateway, '2027-01-09').epaPeriodEnds).toBe('2027-04-08');
  });
  test('a showcase of more than 20 pieces is a violation (004)', () => {
    const v = plan(
      'ST0072',
      [
        { type: 'GatewaySubmitted', on: '2027-01-04' },
        { type: 'ShowcaseSubmitted', on: '2027-01-04', pieces: 21 },
      ],
      '2027-01-05',
    );
    expect(v.violations.map((x) => x.rule)).toEqual(['showcaseSize']);
  });
  test('the discussion must follow the observation (003, 004): booking it earlier is a violation', () => {
    const v = plan(
      'ST0072',
      [
        ...gateway,
        { type: 'AssessmentBooked', component: 'observation', on: '2027-01-08', at: '2027-02-01T10:00' },
        { type: 'AssessmentBooked', component: 'discussion', on: '2027-01-08', at: '2027-01-28T10:00' },
      ],
      '2027-01-09',
    );
    expect(v.violations.map((x) => x.rule)).toEqual(['componentOrder']);
  });
});

describe('re-sit / re-take (004): 6-month window, overall grade capped at Pass', () => {
  const failedShowcase = [
    ...gateway,
    ...take('showcase', '2027-01-08', '2027-01-25T10:00', false, 0, '2027-01-26'),
    { type: 'ResultPublished', component: 'showcase', on: '2027-01-27' },
  ];
  test('window: 6 months from gateway', () => {
    expect(deadline(plan('ST0072', failedShowcase, '2027-01-28'), 'resitDeadline')).toMatchObject({
      due: '2027-07-08',
      source: '004 Re-sit / Re-take',
    });
  });
  test('a resit Distinction is capped, and exceptional circumstances do not lift it for ST0072', () => {
    const v = plan(
      'ST0072',
      [
        ...failedShowcase,
        ...take('showcase', '2027-03-01', '2027-04-01T10:00', true, 9, '2027-04-02'),
        ...take('observation', '2027-04-02', '2027-04-19T10:00', true, 5, '2027-04-20'),
        ...take('discussion', '2027-04-20', '2027-04-26T10:00', true, 4, '2027-04-27').map((e) =>
          e.type === 'GradeRecorded' ? { ...e, exceptionalCircumstances: true } : e,
        ),
      ],
      '2027-04-28',
    );
    expect(v.grades).toEqual({ showcase: 'Pass', observation: 'Distinction', discussion: 'Distinction' });
    expect(v.overall).toBe('Pass');
  });
});

describe('the gateway form (004 Gateway: the employer confirms readiness via Gateway; the form ≥ 10 working days before EPA)', () => {
  const events: RawEvent[] = [
    { type: 'GatewaySubmitted', on: '2027-01-04' },
    { type: 'GatewayRejected', on: '2027-01-08', reason: 'Level 1 maths certificate missing' },
    { type: 'GatewaySubmitted', on: '2027-01-20' },
    { type: 'GatewayPassed', on: '2027-01-22' },
    { type: 'AssessmentBooked', on: '2027-01-25', component: 'showcase', at: '2027-02-10T10:00' },
  ];
  test('owned by the employer, and met by the latest submission after a rejection', () => {
    const d = deadline(plan('ST0072', events, '2027-01-26'), 'gatewayFormDue');
    expect(d).toMatchObject({ owner: 'employer', due: '2027-01-27', status: 'met', metOn: '2027-01-20', source: '004 Gateway' });
    expect(d.lateBy).toBeUndefined();
  });
  test('a resubmission too close to the first assessment is met late, and the booking says so', () => {
    const late: RawEvent[] = [
      ...events.slice(0, 2),
      { type: 'GatewaySubmitted', on: '2027-02-01' },
      { type: 'GatewayPassed', on: '2027-02-02' },
      {
        type: 'AssessmentBooked',
        on: '2027-02-02',
        component: 'showcase',
        at: '2027-02-10T10:00',
        override: { reason: 'agreed' },
      },
    ];
    const v = plan('ST0072', late, '2027-02-03');
    expect(deadline(v, 'gatewayFormDue')).toMatchObject({ metOn: '2027-02-01', status: 'metLate' });
    expect(v.violations.map((x) => x.rule)).toContain('gatewayFormNotice');
  });
});
