/** ST0071 Customer Service Specialist rules with Innovate's policy (seeds 000, 001, 002). */
import { innovate } from '../support/rules';
import {
  admitEvent,
  newEpa,
  overdueBy,
  recordEvent,
  ruleContext,
  view,
  EpaRuleViolationError,
  EpaTransitionError,
  type EpaState,
} from '../../src/epa';
import { plans } from '../support/rules';
import { deadline, plan, st0071Component, st0071Gateway, type RawEvent } from '../support/cases';

const booked = (component: string, on: string, at: string): RawEvent => ({ type: 'AssessmentBooked', component, on, at });

describe('plan data (001 §2, §5; 002 Pre-Gateway)', () => {
  test('three components of 60 minutes, 3-month EPA period, 12 months on programme at least', () => {
    const p = plans.ST0071!;
    expect(p.components.map((c) => [c.id, c.durationMinutes])).toEqual([
      ['observation', 60],
      ['project', 60],
      ['discussion', 60],
    ]);
    expect(p.epaPeriodMonths).toBe(3);
    expect(p.onProgrammeMinimumMonths).toBe(12);
  });
});

describe('gateway (002 "What Happens During Gateway?")', () => {
  test('the EPAO reviews within two weeks: due 14 days after submission, missed the day after', () => {
    const events = [{ type: 'GatewaySubmitted', on: '2026-11-02' }];
    expect(deadline(plan('ST0071', events, '2026-11-16'), 'gatewayReviewDue')).toMatchObject({
      due: '2026-11-16',
      status: 'open',
    });
    const late = plan('ST0071', events, '2026-11-17');
    expect(deadline(late, 'gatewayReviewDue').status).toBe('missed');
    expect(late.overdue).toBe(true);
    expect(late.stage).toBe('GatewayReview');
  });
  test('rejected with a reason, resubmitted, then passed: a new two-week review and the EPA period starts at the pass', () => {
    const v = plan(
      'ST0071',
      [
        { type: 'GatewaySubmitted', on: '2026-11-02' },
        { type: 'GatewayRejected', on: '2026-11-10', reason: 'project synopsis lacks scope' },
        { type: 'GatewaySubmitted', on: '2026-12-01' },
        { type: 'GatewayPassed', on: '2026-12-09' },
      ],
      '2026-12-10',
    );
    expect(deadline(v, 'gatewayReviewDue')).toMatchObject({ due: '2026-12-15', status: 'met', metOn: '2026-12-09' });
    expect(v.epaStart).toBe('2026-12-09');
    expect(v.stage).toBe('InAssessment');
  });
  test('a gateway decision without a submission under review is refused', () => {
    expect(() => plan('ST0071', [{ type: 'GatewayPassed', on: '2026-11-02' }], '2026-11-03')).toThrow(EpaTransitionError);
  });
});

describe('EPA period (001 §5: all methods within 3 months of the EPA period start)', () => {
  test('ends 3 calendar months after gateway; missed with components outstanding → escalation', () => {
    const v = plan('ST0071', st0071Gateway, '2027-02-17');
    expect(v.epaPeriodEnds).toBe('2027-02-16');
    expect(deadline(v, 'epaPeriodEnds').status).toBe('missed');
    expect(v.notifications.some((n) => n.kind === 'epaPeriodEscalation' && n.to.includes('epaoAdmin'))).toBe(true);
  });
  test('booking a first assessment after the period ends is a violation', () => {
    const v = plan('ST0071', [...st0071Gateway, booked('observation', '2027-01-05', '2027-02-17T10:00')], '2027-01-06');
    expect(v.violations.map((x) => x.rule)).toContain('assessmentAfterEpaPeriod');
  });
});

describe("practical observation: 2 weeks' notice (001 §5, 002)", () => {
  test('13 days is a violation citing 001; 14 days is not', () => {
    const short = plan('ST0071', [...st0071Gateway, booked('observation', '2026-11-30', '2026-12-13T10:00')], '2026-12-01');
    expect(short.violations).toEqual([
      expect.objectContaining({ rule: 'assessmentNotice', source: '001 §5', event: st0071Gateway.length }),
    ]);
    const ok = plan('ST0071', [...st0071Gateway, booked('observation', '2026-11-30', '2026-12-14T10:00')], '2026-12-01');
    expect(ok.violations).toEqual([]);
    expect(deadline(ok, 'observationNoticeBy')).toMatchObject({ due: '2026-11-30', status: 'met' });
  });
  test('an override keeps the reason with the violation', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        {
          ...booked('observation', '2026-11-30', '2026-12-10T10:00'),
          override: { reason: 'apprentice asked for an earlier date' },
        },
      ],
      '2026-12-01',
    );
    expect(v.violations[0]).toMatchObject({ rule: 'assessmentNotice', overridden: 'apprentice asked for an earlier date' });
  });
});

describe('work-based project (001 §5)', () => {
  test('project complete within 2 months of the EPA period start', () => {
    const v = plan('ST0071', st0071Gateway, '2027-01-17');
    expect(deadline(v, 'projectCompletionDue')).toMatchObject({ due: '2027-01-16', status: 'missed' });
    const done = plan('ST0071', [...st0071Gateway, { type: 'ReportSubmitted', on: '2027-01-10', words: 2500 }], '2027-01-17');
    expect(deadline(done, 'projectCompletionDue')).toMatchObject({ status: 'met', metOn: '2027-01-10' });
  });
  test.each([
    [2249, true],
    [2250, false],
    [2750, false],
    [2751, true],
  ])('a report of %i words breaks the 2500 ±10%% rule: %s', (words, broken) => {
    const v = plan('ST0071', [...st0071Gateway, { type: 'ReportSubmitted', on: '2027-01-04', words }], '2027-01-05');
    expect(v.violations.some((x) => x.rule === 'reportWordCount' && x.source === '001 §5')).toBe(broken);
  });
  test('report due 2 weeks before the interview', () => {
    const v = plan('ST0071', [...st0071Gateway, booked('project', '2026-12-01', '2027-02-02T14:00')], '2027-01-20');
    expect(deadline(v, 'reportDue')).toMatchObject({ due: '2027-01-19', status: 'missed', component: 'project' });
  });
});

describe('professional discussion portfolio (001 §5: 10–15 pieces, 2 weeks before)', () => {
  test.each([
    [9, true],
    [10, false],
    [15, false],
    [16, true],
  ])('%i pieces is a violation: %s', (pieces, broken) => {
    const v = plan('ST0071', [...st0071Gateway, { type: 'PortfolioSubmitted', on: '2026-12-01', pieces }], '2026-12-02');
    expect(v.violations.some((x) => x.rule === 'portfolioSize')).toBe(broken);
  });
  test('portfolio due 2 weeks before the discussion; met when submitted by then', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        booked('discussion', '2026-12-01', '2027-02-09T10:00'),
        { type: 'PortfolioSubmitted', on: '2027-01-25', pieces: 12 },
      ],
      '2027-01-27',
    );
    expect(deadline(v, 'portfolioDue')).toMatchObject({ due: '2027-01-26', status: 'met', metOn: '2027-01-25' });
  });
});

describe('order of methods (001 §5 vs 000/002: a conflict, so warnings only)', () => {
  test('discussion booked before the project interview: a warning (project first is recommended)', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        booked('project', '2026-12-01', '2027-02-02T10:00'),
        booked('discussion', '2026-12-01', '2027-01-26T10:00'),
      ],
      '2026-12-02',
    );
    expect(v.warnings.map((w) => w.rule)).toEqual(['componentOrder']);
    expect(v.violations).toEqual([]);
  });
  test("Innovate's default (002): an observation before the discussion is warned", () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        booked('discussion', '2026-12-01', '2027-02-09T10:00'),
        booked('observation', '2026-12-01', '2027-01-12T10:00'),
      ],
      '2026-12-02',
    );
    expect(v.warnings).toEqual([expect.objectContaining({ rule: 'componentOrder', source: '002' })]);
  });
  test("with the policy set to seed 001's reading, the opposite order is warned", () => {
    const ctx = {
      plan: plans.ST0071!,
      policy: {
        ...innovate,
        order: [{ first: 'observation', then: 'discussion', strength: 'recommended' as const, source: '001 §5' }],
      },
    };
    let s: EpaState = newEpa(ctx);
    for (const e of [
      ...st0071Gateway,
      booked('observation', '2026-12-01', '2027-02-09T10:00'),
      booked('discussion', '2026-12-01', '2027-01-12T10:00'),
    ]) {
      s = recordEvent(s, e, ctx).state;
    }
    expect(s.warnings).toEqual([expect.objectContaining({ rule: 'componentOrder', source: '001 §5' })]);
  });
});

describe('grading (001 §8, 002 Grading)', () => {
  const all = (obs: string, proj: string, disc: string): RawEvent[] => [
    ...st0071Gateway,
    ...st0071Component('observation', '2026-11-20', '2027-01-12T10:00', obs, '2027-01-13', '2027-01-14'),
    ...st0071Component('project', '2027-01-14', '2027-01-19T10:00', proj, '2027-01-20', '2027-01-21').map((e) =>
      e.type === 'AssessmentBooked' ? { ...e, override: { reason: 'short notice agreed' } } : e,
    ),
    ...st0071Component('discussion', '2027-01-21', '2027-01-26T10:00', disc, '2027-01-27', '2027-01-28'),
  ];
  test.each([
    ['Distinction', 'Distinction', 'Distinction', 'Distinction'],
    ['Distinction', 'Pass', 'Distinction', 'Pass'],
    ['Pass', 'Pass', 'Pass', 'Pass'],
    ['Distinction', 'Distinction', 'Fail', 'Fail'],
  ])('%s / %s / %s → %s', (a, b, c, overall) => {
    expect(plan('ST0071', all(a, b, c), '2027-01-29').overall).toBe(overall);
  });
  test('a grade before the assessment is refused', () => {
    expect(() =>
      plan(
        'ST0071',
        [
          ...st0071Gateway,
          booked('observation', '2026-11-20', '2027-01-12T10:00'),
          { type: 'GradeRecorded', component: 'observation', grade: 'Pass', on: '2027-01-05' },
        ],
        '2027-01-06',
      ),
    ).toThrow(/no grade before the assessment/);
  });
  test('results published within 7 working days of each assessment (002 Annex 2)', () => {
    const events = [
      ...st0071Gateway,
      booked('observation', '2026-11-20', '2026-12-18T10:00'),
      { type: 'AssessmentTaken', component: 'observation', on: '2026-12-18' },
    ];
    // 18 Dec 2026 + 7 working days skips Christmas and the substitute Boxing Day (28th).
    expect(deadline(plan('ST0071', events, '2026-12-31'), 'resultDue.observation')).toMatchObject({
      due: '2026-12-31',
      status: 'open',
    });
    expect(deadline(plan('ST0071', events, '2027-01-01'), 'resultDue.observation').status).toBe('missed');
  });
  test('certificate claimed within 15 working days after the final result (002 Annex 2)', () => {
    const v = plan('ST0071', all('Pass', 'Pass', 'Pass'), '2027-01-29');
    expect(v.stage).toBe('AwaitingCertificate');
    expect(deadline(v, 'certificateClaimDue')).toMatchObject({ due: '2027-02-18', status: 'open', owner: 'epaoAdmin' });
    const done = plan(
      'ST0071',
      [
        ...all('Pass', 'Pass', 'Pass'),
        { type: 'CertificateClaimed', on: '2027-02-01' },
        { type: 'CertificateReceived', on: '2027-02-20' },
      ],
      '2027-02-21',
    );
    expect(done.stage).toBe('Completed');
    expect(done.overdue).toBe(false);
  });
});

describe('resits, retakes and rework (001 §8, 002 Annex 2)', () => {
  const failedObservation = [
    ...st0071Gateway,
    ...st0071Component('observation', '2026-11-20', '2027-01-12T10:00', 'Fail', '2027-01-13', '2027-01-15'),
  ];
  test('the resit window is 12 months from the first failing result', () => {
    const v = plan('ST0071', failedObservation, '2027-01-16');
    expect(v.stage).toBe('Resit');
    expect(deadline(v, 'resitDeadline')).toMatchObject({ due: '2028-01-15', status: 'open', source: '001 §8' });
  });
  test('a resit Distinction is capped at Pass', () => {
    const v = plan(
      'ST0071',
      [
        ...failedObservation,
        ...st0071Component('observation', '2027-05-01', '2027-06-15T10:00', 'Distinction', '2027-06-16', '2027-06-17'),
      ],
      '2027-06-18',
    );
    expect(v.grades.observation).toBe('Pass');
    expect(v.components.observation!.attempts[1]).toMatchObject({
      kind: 'resit',
      rawGrade: 'Distinction',
      grade: 'Pass',
      capped: true,
    });
  });
  test('exceptional circumstances for the original fail keep the Distinction', () => {
    const v = plan(
      'ST0071',
      [
        ...failedObservation,
        ...st0071Component('observation', '2027-05-01', '2027-06-15T10:00', 'Distinction', '2027-06-16', '2027-06-17', {
          exceptionalCircumstances: true,
        }),
      ],
      '2027-06-18',
    );
    expect(v.grades.observation).toBe('Distinction');
  });
  test('no resit to turn a Pass into a Distinction', () => {
    const passed = [
      ...st0071Gateway,
      ...st0071Component('observation', '2026-11-20', '2027-01-12T10:00', 'Pass', '2027-01-13', '2027-01-15'),
    ];
    expect(() => plan('ST0071', [...passed, booked('observation', '2027-01-20', '2027-02-10T10:00')], '2027-01-21')).toThrow(
      /no resit to improve a pass/,
    );
  });
  test('a resit booked after the 12-month window is a violation', () => {
    const v = plan('ST0071', [...failedObservation, booked('observation', '2028-01-01', '2028-01-20T10:00')], '2028-01-02');
    expect(v.violations.map((x) => x.rule)).toContain('resitAfterWindow');
  });
  test('a failed project is reworked within 1 month of the failing result', () => {
    const failedProject = [
      ...st0071Gateway,
      ...st0071Component('project', '2026-11-20', '2027-01-19T10:00', 'Fail', '2027-01-20', '2027-01-29'),
    ];
    const v = plan('ST0071', failedProject, '2027-03-01');
    expect(v.stage).toBe('Rework');
    expect(deadline(v, 'reworkDue')).toMatchObject({ due: '2027-02-28', status: 'missed' });
    const reworked = plan('ST0071', [...failedProject, { type: 'ReworkSubmitted', on: '2027-02-20', words: 2600 }], '2027-03-01');
    expect(deadline(reworked, 'reworkDue')).toMatchObject({ status: 'met', metOn: '2027-02-20' });
    expect(reworked.components.project!.attempts.map((a) => a.kind)).toEqual(['first', 'rework']);
  });
});

describe('extenuating circumstances (001 §8: the date may be rearranged; 001 §5: a maximum period of 3 months)', () => {
  const withEc = (ctx: ReturnType<typeof ruleContext>) => {
    let s = newEpa(ctx);
    for (const e of [
      ...st0071Gateway,
      booked('observation', '2026-11-20', '2027-01-12T10:00'),
      { type: 'ExtenuatingCircumstances', component: 'observation', on: '2027-01-11', reason: 'hospital admission' },
    ]) {
      s = recordEvent(s, e, ctx).state;
    }
    return s;
  };

  test('the booking is cancelled (invite cancelled) to be rearranged; the EPA period is not extended (001 §5, 001 §8)', () => {
    const ctx = ruleContext('ST0071', 'innovate');
    const s = withEc(ctx);
    const v = view(s, ctx, Date.parse('2027-01-11T12:00:00Z'));
    expect(v.epaPeriodEnds).toBe('2027-02-16'); // 16 Nov + 3 months, unchanged
    expect(v.notifications.find((n) => n.kind === 'inviteCancelled')).toMatchObject({ sequence: 1, component: 'observation' });
    expect(v.warnings).toEqual([]);
    expect(ctx.policy.extenuatingCircumstances).toEqual({ extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' });
  });

  test('an EPAO that sets an extension in its policy gets it, once, cited as an EPAO setting (not a seed rule)', () => {
    const base = ruleContext('ST0071', 'innovate');
    const ctx = {
      ...base,
      policy: {
        ...base.policy,
        extenuatingCircumstances: { extendEpaPeriodWeeks: 4, maxExtensions: 1, source: 'EPAO setting' as const },
      },
    };
    const s = withEc(ctx);
    expect(view(s, ctx, 0).epaPeriodEnds).toBe('2027-03-16'); // 16 Feb + 4 weeks
    expect(view(s, ctx, 0).deadlines.find((d) => d.key === 'epaPeriodEnds')?.rule).toContain(
      '+4 weeks for extenuating circumstances',
    );
    const again = recordEvent(s, { type: 'ExtenuatingCircumstances', component: 'observation', on: '2027-01-12' }, ctx);
    expect(view(again.state, ctx, 0).epaPeriodEnds).toBe('2027-03-16');
    expect(again.warnings.map((w) => [w.rule, w.source])).toEqual([['noFurtherExtension', 'EPAO setting']]);
  });
});

describe('certificate deadlines not in the seeds are EPAO settings, never shown as seed rules', () => {
  test('NQual: 004 names no claim period, so the 15 working days and the 30-day receipt are EPAO settings; Innovate cites 002 Annex 2', () => {
    const nqual = ruleContext('ST0072', 'nqual').policy.certificate;
    expect([nqual.source, nqual.receiptSource]).toEqual(['EPAO setting', 'EPAO setting']);
    const innovate = ruleContext('ST0071', 'innovate').policy.certificate;
    expect([innovate.source, innovate.receiptSource]).toEqual(['002 Annex 2', 'EPAO setting']);
  });
});

describe('withdrawal and events out of order', () => {
  test('after withdrawal open deadlines go and further events are refused', () => {
    const v = plan(
      'ST0071',
      [...st0071Gateway, { type: 'Withdrawn', on: '2026-12-01', reason: 'left employment' }],
      '2027-03-01',
    );
    expect(v.stage).toBe('Withdrawn');
    expect(v.overdue).toBe(false);
    expect(() =>
      plan(
        'ST0071',
        [
          ...st0071Gateway,
          { type: 'Withdrawn', on: '2026-12-01', reason: 'left employment' },
          { type: 'GatewaySubmitted', on: '2026-12-02' },
        ],
        '2026-12-03',
      ),
    ).toThrow(/withdrawn/);
  });
  test('an event dated before the previous one is refused', () => {
    expect(() =>
      plan(
        'ST0071',
        [
          { type: 'GatewaySubmitted', on: '2026-11-02' },
          { type: 'GatewayPassed', on: '2026-11-01' },
        ],
        '2026-11-03',
      ),
    ).toThrow(/out of order/);
  });
});

describe('reminders (002: apprentice and employer reminded before submissions and assessments)', () => {
  test('14, 7 and 1 days before the report deadline at 09:00 London, each stale once the next is due', () => {
    const v = plan('ST0071', [...st0071Gateway, booked('project', '2026-11-20', '2027-02-02T10:00')], '2026-11-21');
    const reminders = v.notifications.filter((n) => n.kind === 'deadlineReminder' && n.deadlineKey === 'reportDue');
    expect(reminders.map((n) => [new Date(n.at).toISOString(), new Date(n.expiresAt!).toISOString(), n.to])).toEqual([
      ['2027-01-05T09:00:00.000Z', '2027-01-12T09:00:00.000Z', ['apprentice', 'employer']],
      ['2027-01-12T09:00:00.000Z', '2027-01-18T09:00:00.000Z', ['apprentice', 'employer']],
      ['2027-01-18T09:00:00.000Z', '2027-01-20T00:00:00.000Z', ['apprentice', 'employer']],
    ]);
  });
});

describe('retake (001 §8: further learning, so the apprentice goes through gateway again)', () => {
  test('after a fail, a new gateway submission and pass open a retake attempt, capped at Pass', () => {
    const v = plan(
      'ST0071',
      [
        ...st0071Gateway,
        ...st0071Component('observation', '2026-11-20', '2027-01-12T10:00', 'Fail', '2027-01-13', '2027-01-15'),
        { type: 'GatewaySubmitted', on: '2027-03-01' },
        { type: 'GatewayPassed', on: '2027-03-08' },
        ...st0071Component('observation', '2027-03-08', '2027-04-06T10:00', 'Distinction', '2027-04-07', '2027-04-08'),
      ],
      '2027-04-09',
    );
    expect(v.components.observation!.attempts.map((a) => [a.kind, a.grade])).toEqual([
      ['first', 'Fail'],
      ['retake', 'Pass'],
    ]);
    expect(v.epaStart).toBe('2026-11-16'); // the EPA period still dates from the first gateway
    expect(deadline(v, 'resitDeadline')).toMatchObject({ due: '2028-01-15', status: 'open' });
  });
  test('a second gateway submission without a fail is refused', () => {
    expect(() => plan('ST0071', [...st0071Gateway, { type: 'GatewaySubmitted', on: '2026-11-20' }], '2026-11-21')).toThrow(
      /already been passed/,
    );
  });
});

describe('how overdue an EPA is (the overdue views)', () => {
  test('calendar days since its earliest missed deadline', () => {
    expect(
      overdueBy(
        [
          { key: 'projectCompletionDue', due: '2027-01-16' },
          { key: 'resultDue.observation', due: '2027-01-11' },
        ],
        '2027-01-20',
      ),
    ).toEqual({
      keys: 'projectCompletionDue, resultDue.observation',
      due: '2027-01-11',
      days: 9,
    });
    expect(overdueBy([], '2027-01-20')).toEqual({ keys: '', due: '', days: 0 });
  });
});

describe('Innovate takes the portfolio of evidence at gateway (002 Portfolio of Evidence Guidance: "submitted at Gateway")', () => {
  const submitted = { type: 'GatewaySubmitted', on: '2026-11-02' };
  test('recorded on the submission day, before the gateway is passed: accepted and checked (10 to 15 pieces)', () => {
    const ok = plan('ST0071', [submitted, { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 }], '2026-11-03');
    expect(ok.violations).toEqual([]);
    expect(ok.components.discussion!.submission).toEqual({ on: '2026-11-02', pieces: 12 });
    const thin = plan(
      'ST0071',
      [submitted, { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 9, override: { reason: 'agreed' } }],
      '2026-11-03',
    );
    expect(thin.violations.map((v) => v.rule)).toEqual(['portfolioSize']);
  });
  test('before any gateway submission: refused, citing 002', () => {
    expect(() => plan('ST0071', [{ type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 }], '2026-11-03')).toThrow(
      /submitted with the gateway evidence \(002 Gateway\)/,
    );
  });
});

describe('recorded results stand (001 §8: extenuating circumstances rearrange a date; grades are corrected, not overwritten)', () => {
  const taken = [
    ...st0071Gateway,
    booked('observation', '2026-11-20', '2027-01-12T10:00'),
    { type: 'AssessmentTaken', component: 'observation', on: '2027-01-12' },
  ];
  test('a taken, ungraded assessment is never wiped by extenuating circumstances', () => {
    expect(() =>
      plan(
        'ST0071',
        [...taken, { type: 'ExtenuatingCircumstances', component: 'observation', on: '2027-01-13', reason: 'unwell on the day' }],
        '2027-01-13',
      ),
    ).toThrow(/observation was taken on 2027-01-12: record its grade/);
  });
  test('re-recording a grade is a correction: refused without a reason, kept with the old value with one', () => {
    const graded = [...taken, { type: 'GradeRecorded', component: 'observation', grade: 'Pass', on: '2027-01-13' }];
    const ctx = ruleContext('ST0071', 'innovate');
    let s = newEpa(ctx);
    for (const e of graded) s = recordEvent(s, e, ctx).state;
    expect(() =>
      admitEvent(
        s,
        { type: 'GradeRecorded', component: 'observation', grade: 'Distinction', on: '2027-01-14' },
        ctx,
        '2027-01-14',
      ),
    ).toThrow(EpaRuleViolationError);
    const corrected = admitEvent(
      s,
      {
        type: 'GradeRecorded',
        component: 'observation',
        grade: 'Distinction',
        on: '2027-01-14',
        override: { reason: 'marking error found at moderation' },
      },
      ctx,
      '2027-01-14',
    );
    expect(corrected.violations).toEqual([
      expect.objectContaining({
        rule: 'gradeCorrected',
        overridden: 'marking error found at moderation',
        message: 'observation (attempt 1) was graded Pass on 2027-01-13; recording Distinction instead is a correction',
      }),
    ]);
    expect(corrected.state.components.observation!.attempts[0]!.grade).toBe('Distinction');
  });
});
