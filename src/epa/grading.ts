/** Grades: a component's grade (given, or from criteria counts), the resit cap, and the overall grade. */
import type { ComponentSpec, Plan, Policy } from '../plans';
import type { Grade } from './events';
import { gradeAbove } from '../plans/grades';
import type { EpaState } from './state';
import { latestAttempt } from './state';

/**
 * ST0072 (seeds 003, 004): Pass = every pass criterion; Distinction = every pass criterion and at
 * least `required` of the component's `of` distinction criteria (showcase 7/10, observation 4/5,
 * discussion 3/4).
 */
export function gradeFromCriteria(spec: ComponentSpec, passCriteriaMet: boolean, distinctionCriteriaMet: number): Grade {
  if (!spec.distinctionCriteria) throw new Error(`${spec.id} is not graded from criteria counts`);
  if (!passCriteriaMet) return 'Fail';
  return distinctionCriteriaMet >= spec.distinctionCriteria.required ? 'Distinction' : 'Pass';
}

/**
 * A resat, reworked or retaken component is graded at most Pass (001 §8, 002, 004), unless the plan
 * lets exceptional circumstances for the original fail lift the cap (ST0071 only).
 */
export function capResitGrade(
  plan: Plan,
  attemptNumber: number,
  raw: Grade,
  exceptionalCircumstances: boolean,
): { grade: Grade; capped: boolean } {
  if (attemptNumber <= 1 || !gradeAbove(raw, plan.grading.capResitAt)) return { grade: raw, capped: false };
  if (exceptionalCircumstances && plan.grading.exceptionalCircumstancesLiftCap) return { grade: raw, capped: false };
  return { grade: plan.grading.capResitAt, capped: true };
}

/** The component grades so far: the latest graded attempt of each component. */
export function componentGrades(state: EpaState): Record<string, Grade> {
  const grades: Record<string, Grade> = {};
  for (const [id, component] of Object.entries(state.components)) {
    const graded = [...component.attempts].reverse().find((a) => a.grade !== undefined);
    if (graded?.grade) grades[id] = graded.grade;
  }
  return grades;
}

/**
 * The overall EPA grade once every component has a grade: any Fail → Fail; otherwise by the plan's
 * rule (or the EPAO's choice where the plan conflicts): a Distinction in every component (001 §8 /
 * 003 / 004), a weighted share of Distinctions, or points per component grade summed into bands.
 * A plan may cap the overall grade at Pass after any resit (ST0072, 004).
 */
export function overallGrade(state: EpaState, plan: Plan, policy: Policy): Grade | null {
  const grades = componentGrades(state);
  if (plan.components.some((c) => grades[c.id] === undefined)) return null;
  if (plan.components.some((c) => latestAttempt(state.components[c.id]!)?.grade === undefined)) return null;
  if (plan.components.some((c) => grades[c.id] === 'Fail')) return 'Fail';
  const rule = policy.overallGradeRule ?? plan.grading.overall;
  let overall: Grade;
  if (rule === 'distinctionInEveryComponent') {
    overall = plan.components.every((c) => grades[c.id] === 'Distinction') ? 'Distinction' : 'Pass';
  } else if (rule === 'weightedDistinctionShare') {
    const share = plan.components.filter((c) => grades[c.id] === 'Distinction').reduce((sum, c) => sum + (c.weight ?? 0), 0);
    overall = share >= (plan.grading.weightedDistinctionShare ?? 1) - 1e-9 ? 'Distinction' : 'Pass';
  } else {
    const total = overallPoints(plan, grades);
    const bands = [...(plan.grading.points?.bands ?? [])].sort((a, b) => b.atLeast - a.atLeast);
    overall = bands.find((b) => total >= b.atLeast)?.grade ?? 'Pass';
  }
  const resat = plan.components.some((c) => state.components[c.id]!.attempts.some((a) => a.number > 1 && a.grade !== undefined));
  if (overall !== 'Pass' && resat && plan.grading.capOverallAfterResit) return 'Pass';
  return overall;
}

/** For a plan graded by points: the total the component grades score (a grade without points scores 0). */
export function overallPoints(plan: Plan, grades: Record<string, Grade>): number {
  const perGrade = plan.grading.points?.perGrade;
  if (!perGrade) return 0;
  return plan.components.reduce((sum, c) => {
    const g = grades[c.id];
    return sum + (g && g !== 'Fail' ? (perGrade[g] ?? 0) : 0);
  }, 0);
}
