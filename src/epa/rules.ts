/**
 * Dates the rules derive from the state, shared by the reducer (to judge events) and by the
 * deadline list (to show them). Each names the seed it comes from.
 */
import { addMonths, addWeeks, addWorkingDays, subtractWorkingDays, type LondonDate } from '../calendar';
import type { ComponentSpec, Plan, Policy } from '../plans';
import type { EpaState } from './state';
import { latestAttempt } from './state';

/** 001 §5, 004 Gateway: the EPA period ends N months after its start (gateway passed), plus any extension. */
export function epaPeriodEndsOn(state: EpaState, plan: Plan): LondonDate | undefined {
  if (!state.epaStart) return undefined;
  return addWeeks(addMonths(state.epaStart, plan.epaPeriodMonths), state.extensionWeeks);
}

/** 002: the EPAO reviews the gateway within two weeks of the submission. */
export function gatewayReviewDueOn(submittedOn: LondonDate, policy: Policy): LondonDate | undefined {
  return policy.gatewayReviewWeeks ? addWeeks(submittedOn, policy.gatewayReviewWeeks) : undefined;
}

/** 004 Gateway: the gateway form reaches the EPAO at least N working days before the first assessment. */
export function gatewayFormDueOn(firstAssessmentOn: LondonDate, policy: Policy): LondonDate | undefined {
  const n = policy.gatewayFormWorkingDaysBeforeFirstAssessment;
  return n ? subtractWorkingDays(firstAssessmentOn, n) : undefined;
}

/** 001 §5: the apprentice gets N weeks' notice of the assessment: booked on or before this date. */
export function noticeByOn(assessmentOn: LondonDate, spec: ComponentSpec): LondonDate | undefined {
  return spec.noticeWeeks ? addWeeks(assessmentOn, -spec.noticeWeeks) : undefined;
}

/** 001 §5: report / portfolio due N weeks before the interview / discussion. */
export function submissionDueOn(assessmentOn: LondonDate, spec: ComponentSpec): LondonDate | undefined {
  const weeks = spec.submission?.weeksBeforeAssessment;
  return weeks ? addWeeks(assessmentOn, -weeks) : undefined;
}

/** 001 §5: the project is complete N months into the EPA period. */
export function projectCompletionDueOn(state: EpaState, spec: ComponentSpec): LondonDate | undefined {
  return state.epaStart && spec.completeWithinMonths ? addMonths(state.epaStart, spec.completeWithinMonths) : undefined;
}

/** 002 Annex 2 (7 working days of each assessment) or 004 Grading (10 of the final component). */
export function resultDueOn(takenOn: LondonDate, policy: Policy): LondonDate {
  return addWorkingDays(takenOn, policy.results.workingDays);
}

/** 002 Annex 2: the certificate claim within 15 working days after the final result. */
export function certificateClaimDueOn(finalResultOn: LondonDate, policy: Policy): LondonDate {
  return addWorkingDays(finalResultOn, policy.certificate.claimWorkingDays);
}

export function certificateReceivedDueOn(claimedOn: LondonDate, policy: Policy): LondonDate {
  return addWorkingDays(claimedOn, policy.certificate.receiptExpectedWorkingDays);
}

/** 001 §8, 002: a failed project is reworked within one month of its failing result. */
export function reworkDueOn(failPublishedOn: LondonDate, spec: ComponentSpec): LondonDate | undefined {
  return spec.reworkWithinMonths ? addMonths(failPublishedOn, spec.reworkWithinMonths) : undefined;
}

/**
 * Resits and retakes complete within 12 months of the first failing result (ST0071, 001 §8) or
 * every method within 6 months of gateway (ST0072, 004). Present once a component has failed.
 */
export function resitDeadlineOn(state: EpaState, plan: Plan, policy: Policy): LondonDate | undefined {
  const months = policy.resitWindowMonths ?? plan.resits.windowMonths;
  if (plan.resits.windowFrom === 'firstFailPublished') {
    return state.firstFailPublishedOn ? addMonths(state.firstFailPublishedOn, months) : undefined;
  }
  const failed = Object.values(state.components).some((c) => c.attempts.some((a) => a.grade === 'Fail'));
  // 004: after the whole EPA is taken again (the window lapsed), its new period runs from the restart.
  const from = state.resitPeriodStart ?? state.epaStart;
  return failed && from ? addMonths(from, months) : undefined;
}

/** The earliest booked date among first attempts (for the gateway form rule). */
export function firstAssessmentOn(state: EpaState): LondonDate | undefined {
  const dates = Object.values(state.components)
    .map((c) => c.attempts[0]?.booking?.at.slice(0, 10))
    .filter((d): d is LondonDate => d !== undefined)
    .sort();
  return dates[0];
}

export function allComponentsPassedAndPublished(state: EpaState, plan: Plan): boolean {
  return plan.components.every((c) => {
    const a = latestAttempt(state.components[c.id]!);
    return a?.grade !== undefined && a.grade !== 'Fail' && a.publishedOn !== undefined;
  });
}
