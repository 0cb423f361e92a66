/** Random EPA histories for property tests: steps of plausible events, turned into dated raw events. */
import fc from 'fast-check';
import { addDays } from '../../src/calendar';

export interface Step {
  type: string;
  gap: number;
  ahead: number;
  component: string;
  grade: string;
}

const WITH_COMPONENT = new Set([
  'AssessmentBooked',
  'AssessmentTaken',
  'GradeRecorded',
  'ResultPublished',
  'ExtenuatingCircumstances',
  'AssessmentCancelled',
]);

/** One step: an event type, days since the last event, days ahead for a booking, a component, a grade. */
export function eventStep(types: string[], components: string[], limits: { gap: number; ahead: number }): fc.Arbitrary<Step> {
  return fc.record({
    type: fc.constantFrom(...types),
    gap: fc.integer({ min: 0, max: limits.gap }),
    ahead: fc.integer({ min: 0, max: limits.ahead }),
    component: fc.constantFrom(...components),
    grade: fc.constantFrom('Fail', 'Pass', 'Distinction'),
  });
}

/** The raw events the steps make, dated from `start` on, each with the fields its type takes. */
export function eventsFrom(start: string, steps: Step[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  let on = start;
  return steps.map((s) => {
    on = addDays(on, s.gap);
    const e: Record<string, unknown> = { type: s.type, on, ...extra };
    if (WITH_COMPONENT.has(s.type)) e.component = s.component;
    if (s.type === 'AssessmentBooked') e.at = `${addDays(on, s.ahead)}T10:00`;
    if (s.type === 'GradeRecorded') e.grade = s.grade;
    if (s.type === 'ReportSubmitted') e.words = 2500;
    if (s.type === 'PortfolioSubmitted' || s.type === 'ShowcaseSubmitted') e.pieces = 12;
    if (s.type === 'GatewayRejected' || s.type === 'AssessmentCancelled') e.reason = 'property test';
    return e;
  });
}
