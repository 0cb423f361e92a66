/** Builders for rule tests: a case is a standard, an EPAO and a list of events. */
import { planCase, type EpaView } from '../../src/epa';

export type RawEvent = Record<string, unknown> & { type: string; on: string };

export function plan(standard: 'ST0071' | 'ST0072', events: RawEvent[], asOf: string): EpaView {
  const epao = standard === 'ST0071' ? 'innovate' : 'nqual';
  return planCase({ standard, epao, events, asOf }, 0);
}

export function deadline(view: EpaView, key: string) {
  const d = view.deadlines.find((x) => x.key === key);
  if (!d) throw new Error(`no deadline ${key} in ${view.deadlines.map((x) => x.key).join(', ')}`);
  return d;
}

/** Every gateway evidence item ST0071 with Innovate needs (001 §4, 002 Gateway) but the portfolio, recorded on `on`. */
export function st0071Evidence(on: string): RawEvent {
  return {
    type: 'GatewayEvidenceRecorded',
    on,
    englishMaths: { english: 'Level 2', maths: 'Level 2' },
    employerSignOff: true,
    declarationSigned: true,
    projectSynopsisAgreed: true,
    reasonableAdjustments: 'none',
  };
}

/** Every gateway evidence item ST0072 with NQual needs (004 Gateway, 003) but the showcase. */
export function st0072Evidence(on: string): RawEvent {
  return { type: 'GatewayEvidenceRecorded', on, englishMaths: { english: 'Level 1', maths: 'Level 1' }, employerSignOff: true };
}

/**
 * ST0071 through gateway: submitted 2026-11-02 with the portfolio (12 pieces) and the evidence,
 * passed 2026-11-16, the planning meeting held that afternoon (002).
 */
export const st0071Gateway: RawEvent[] = [
  { type: 'GatewaySubmitted', on: '2026-11-02' },
  { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 },
  st0071Evidence('2026-11-02'),
  { type: 'GatewayPassed', on: '2026-11-16' },
  { type: 'PlanningMeetingBooked', on: '2026-11-16', at: '2026-11-16T14:00' },
  { type: 'PlanningMeetingHeld', on: '2026-11-16' },
];

/** One ST0071 component from booking to published result. */
export function st0071Component(
  component: string,
  bookedOn: string,
  at: string,
  grade: string,
  gradedOn: string,
  publishedOn: string,
  extra: Partial<RawEvent> = {},
): RawEvent[] {
  const day = at.slice(0, 10);
  return [
    { type: 'AssessmentBooked', component, on: bookedOn, at },
    { type: 'AssessmentTaken', component, on: day },
    { type: 'GradeRecorded', component, grade, on: gradedOn, ...extra },
    { type: 'ResultModerated', component, on: gradedOn }, // 001 §8
    { type: 'ResultPublished', component, on: publishedOn },
  ];
}

/** ST0072 through gateway: submitted 2027-01-04 with the showcase (18 pieces) and the evidence, passed 2027-01-08 (004 Gateway). */
export const st0072Gateway: RawEvent[] = [
  { type: 'GatewaySubmitted', on: '2027-01-04' },
  { type: 'ShowcaseSubmitted', on: '2027-01-04', pieces: 18 },
  st0072Evidence('2027-01-04'),
  { type: 'GatewayPassed', on: '2027-01-08' },
];
