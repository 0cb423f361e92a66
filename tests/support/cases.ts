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

/** ST0071 through gateway: submitted 2026-11-02, passed 2026-11-16. */
export const st0071Gateway: RawEvent[] = [
  { type: 'GatewaySubmitted', on: '2026-11-02' },
  { type: 'GatewayPassed', on: '2026-11-16' },
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
    { type: 'ResultPublished', component, on: publishedOn },
  ];
}
