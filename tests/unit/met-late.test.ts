/**
 * Met late is its own status (issue #28 part 1): a deadline met after its due day is `metLate`, with
 * how late in the unit its rule counts; an override is shown beside it and never changes it; met
 * late on a deadline the EPAO owes is a violation citing its rule (seed and clause), and counted.
 * Seeds: 002 "What Happens During Gateway?" (the two-week gateway review), 002 Annex 2 (results
 * within 7 working days; the certificate claim within 15 working days), 004 Grading (results within
 * 10 working days), 001 §5 (2 weeks' notice of the observation).
 */
import { deadline, plan, st0071Component, st0071Evidence, st0071Gateway, st0072Gateway, type RawEvent } from '../support/cases';
import { lateness } from '../../src/epa/deadlines';
import { metWords } from '../../src/epa/timeline';

const st0071Through = (gatewayPassedOn: string, override?: string): RawEvent[] => [
  { type: 'GatewaySubmitted', on: '2026-11-02' },
  { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 },
  ...(override ? [] : [st0071Evidence('2026-11-02')]),
  { type: 'GatewayPassed', on: gatewayPassedOn, ...(override && { override: { reason: override } }) },
];
const violation = (v: ReturnType<typeof plan>, rule: string) => v.violations.find((f) => f.rule === rule);

describe('002 "What Happens During Gateway?": the EPAO reviews the gateway within two weeks', () => {
  test('reviewed 30 days after submission: metLate by 16 calendar days, a violation citing 002, counted', () => {
    const v = plan('ST0071', st0071Through('2026-12-02'), '2026-12-03');
    expect(deadline(v, 'gatewayReviewDue')).toMatchObject({
      due: '2026-11-16',
      status: 'metLate',
      metOn: '2026-12-02',
      lateBy: { days: 16, unit: 'calendarDays' },
    });
    expect(violation(v, 'gatewayReviewMetLate')).toMatchObject({
      source: '002 Gateway',
      on: '2026-12-02',
      deadline: 'gatewayReviewDue',
      message: expect.stringMatching(/16 days after it was due on 2026-11-16: the EPAO reviews the gateway within 2 weeks/),
    });
    expect(v.metLate).toEqual({ deadlines: 1, epaoOwed: 1 });
    expect(v.overdue).toBe(false);
  });
  test('reviewed on its due day: met, no violation, nothing counted', () => {
    const v = plan('ST0071', st0071Through('2026-11-16'), '2026-11-17');
    expect(deadline(v, 'gatewayReviewDue')).toMatchObject({ status: 'met', metOn: '2026-11-16' });
    expect(deadline(v, 'gatewayReviewDue').lateBy).toBeUndefined();
    expect(violation(v, 'gatewayReviewMetLate')).toBeUndefined();
    expect(v.metLate).toEqual({ deadlines: 0, epaoOwed: 0 });
  });
  test('an on-time pass that carries an override (evidence missing) is met, the override beside it', () => {
    const v = plan('ST0071', st0071Through('2026-11-16', 'evidence seen on paper'), '2026-11-17');
    const d = deadline(v, 'gatewayReviewDue');
    expect(d).toMatchObject({ status: 'met', override: { reason: 'evidence seen on paper', rule: 'gatewayEvidenceMissing' } });
    expect(metWords(d)).toBe('met, override: evidence seen on paper');
  });
  test('a late pass with an override is still metLate, and still a violation (the override accepts the evidence, not the lateness)', () => {
    const v = plan('ST0071', st0071Through('2026-12-02', 'evidence seen on paper'), '2026-12-03');
    expect(deadline(v, 'gatewayReviewDue')).toMatchObject({ status: 'metLate', override: { reason: 'evidence seen on paper' } });
    expect(violation(v, 'gatewayReviewMetLate')).toBeDefined();
  });
});

describe('002 Annex 2: each result within 7 working days of the assessment', () => {
  const observation = (publishedOn: string) => [
    ...st0071Gateway,
    ...st0071Component('observation', '2026-11-16', '2026-12-14T10:00', 'Pass', '2026-12-14', publishedOn),
  ];
  test('published 13 working days late: metLate in working days, a violation citing 002 Annex 2', () => {
    // Taken Monday 14 Dec 2026: 7 working days → due Wednesday 23 Dec; published 14 Jan, after 25, 28 Dec and 1 Jan (bank holidays).
    const v = plan('ST0071', observation('2027-01-14'), '2027-01-15');
    const d = deadline(v, 'resultDue.observation');
    expect(d).toMatchObject({ due: '2026-12-23', status: 'metLate', lateBy: { unit: 'workingDays' } });
    expect(d.lateBy!.days).toBe(13);
    expect(violation(v, 'resultMetLate')).toMatchObject({ source: '002 Annex 2', deadline: 'resultDue.observation' });
    expect(violation(v, 'resultMetLate')!.message).toMatch(/13 working days after it was due on 2026-12-23/);
    expect(v.metLate.epaoOwed).toBe(1);
  });
  test('published on the seventh working day: met', () => {
    const v = plan('ST0071', observation('2026-12-23'), '2026-12-24');
    expect(deadline(v, 'resultDue.observation')).toMatchObject({ status: 'met' });
    expect(violation(v, 'resultMetLate')).toBeUndefined();
  });
});

describe('004 Grading: NQual publishes results within 10 working days of the final component', () => {
  const take = (component: string, on: string, at: string): RawEvent[] => [
    { type: 'AssessmentBooked', component, on, at },
    { type: 'AssessmentTaken', component, on: at.slice(0, 10) },
    { type: 'GradeRecorded', component, passCriteriaMet: true, distinctionCriteriaMet: 0, on: at.slice(0, 10) },
  ];
  const published = (on: string): RawEvent[] => [
    ...st0072Gateway,
    ...take('showcase', '2027-01-08', '2027-01-25T10:00'),
    ...take('observation', '2027-01-26', '2027-02-01T10:00'),
    ...take('discussion', '2027-02-02', '2027-02-08T10:00'),
    ...['showcase', 'observation', 'discussion'].map((component) => ({ type: 'ResultPublished', component, on })),
  ];
  test('published the eleventh working day after the final component: metLate by 1 working day, a violation citing 004', () => {
    const v = plan('ST0072', published('2027-02-23'), '2027-02-24');
    expect(deadline(v, 'resultsDue')).toMatchObject({
      due: '2027-02-22',
      status: 'metLate',
      lateBy: { days: 1, unit: 'workingDays' },
    });
    expect(violation(v, 'resultsMetLate')).toMatchObject({ source: '004 Grading', deadline: 'resultsDue' });
  });
  test('published on the tenth: met, no violation', () => {
    const v = plan('ST0072', published('2027-02-22'), '2027-02-24');
    expect(deadline(v, 'resultsDue')).toMatchObject({ status: 'met' });
    expect(violation(v, 'resultsMetLate')).toBeUndefined();
  });
});

describe('002 Annex 2: the certificate claimed within 15 working days after the final result', () => {
  const all: RawEvent[] = [
    ...st0071Gateway,
    ...st0071Component('observation', '2026-11-20', '2027-01-12T10:00', 'Pass', '2027-01-13', '2027-01-14'),
    ...st0071Component('project', '2027-01-14', '2027-01-19T10:00', 'Pass', '2027-01-20', '2027-01-21').map((e) =>
      e.type === 'AssessmentBooked' ? { ...e, override: { reason: 'short notice agreed' } } : e,
    ),
    ...st0071Component('discussion', '2027-01-21', '2027-01-26T10:00', 'Pass', '2027-01-27', '2027-01-28'),
  ];
  test('claimed on the 16th working day: metLate by 1 working day, a violation', () => {
    const v = plan('ST0071', [...all, { type: 'CertificateClaimed', on: '2027-02-19' }], '2027-02-20');
    const d = deadline(v, 'certificateClaimDue');
    expect(d).toMatchObject({
      due: '2027-02-18',
      status: 'metLate',
      lateBy: { days: 1, unit: 'workingDays' },
      owner: 'epaoAdmin',
    });
    expect(violation(v, 'certificateClaimMetLate')).toMatchObject({ deadline: 'certificateClaimDue', source: '002 Annex 2' });
  });
  test('claimed on the 15th: met', () => {
    const v = plan('ST0071', [...all, { type: 'CertificateClaimed', on: '2027-02-18' }], '2027-02-20');
    expect(deadline(v, 'certificateClaimDue')).toMatchObject({ status: 'met' });
    expect(violation(v, 'certificateClaimMetLate')).toBeUndefined();
  });
});

describe("001 §5: two weeks' notice of the observation", () => {
  test('a short-notice booking with an override is metLate (never plain met), the override beside it, no second violation', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        {
          type: 'AssessmentBooked',
          component: 'observation',
          on: '2026-11-20',
          at: '2026-12-02T10:00',
          override: { reason: 'apprentice asked' },
        },
      ],
      '2026-11-21',
    );
    const d = deadline(v, 'observationNoticeBy');
    expect(d).toMatchObject({
      status: 'metLate',
      lateBy: { days: 2, unit: 'calendarDays' },
      override: { reason: 'apprentice asked', rule: 'assessmentNotice' },
    });
    expect(metWords(d)).toBe('met late (2 days), override: apprentice asked');
    expect(v.violations.filter((f) => f.rule === 'assessmentNotice')).toHaveLength(1);
    expect(violation(v, 'observationNoticeMetLate')).toBeUndefined(); // the booking's own violation already records it
    expect(v.metLate).toEqual({ deadlines: 1, epaoOwed: 1 });
  });
});

test('lateness: working days where the rule counts them; a day late only by a weekend is given in calendar days', () => {
  expect(lateness('2027-01-15', '2027-01-18', true)).toEqual({ days: 1, unit: 'workingDays' }); // Fri → Mon
  expect(lateness('2027-01-15', '2027-01-16', true)).toEqual({ days: 1, unit: 'calendarDays' }); // Fri → Sat
  expect(lateness('2027-01-15', '2027-01-18', false)).toEqual({ days: 3, unit: 'calendarDays' });
});
