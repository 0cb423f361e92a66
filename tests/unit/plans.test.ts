/** Plans and EPAO policies are data validated by zod (seeds 001–004); the seeds' conflicts are named settings. */
import { plans, policies } from '../../src/plans';
import { PlanSchema, PolicySchema } from '../../src/plans/schema';
import { validatePlans } from '../../src/plans/validate';

test('every plan and policy validates', () => {
  expect(() => validatePlans()).not.toThrow();
  expect(Object.keys(plans)).toEqual(['ST0071', 'ST0072']);
  expect(Object.keys(policies)).toEqual(['innovate', 'nqual']);
});

test('a broken plan is refused with the field named', () => {
  const broken = { ...plans.ST0071!, epaPeriodMonths: 0 };
  const r = PlanSchema.safeParse(broken);
  expect(r.success).toBe(false);
  expect(r.error!.issues[0]!.path).toEqual(['epaPeriodMonths']);
  expect(PolicySchema.safeParse({ ...policies.innovate!, observationOrder: 'sometimes' }).success).toBe(false);
});

test('conflicts in the digest are explicit settings with their defaults (000/001/002 order, 003/004 grade, 002/004 results)', () => {
  expect(policies.innovate!.observationOrder).toBe('notBeforeDiscussion'); // 002 (and 000) over 001
  expect(plans.ST0072!.grading.overall).toBe('distinctionInEveryComponent'); // 003 p.234 and 004 over "weighted average"
  expect(policies.innovate!.results).toMatchObject({ workingDays: 7, from: 'eachAssessment' }); // 002 Annex 2
  expect(policies.nqual!.results).toMatchObject({ workingDays: 10, from: 'finalComponent' }); // 004 Grading
  expect(plans.ST0071!.resits).toMatchObject({ windowMonths: 12, windowFrom: 'firstFailPublished' }); // 001 §8
  expect(plans.ST0072!.resits).toMatchObject({ windowMonths: 6 }); // 004
});
