/** Grade names, lowest first (zod-free, for the workflow bundle). */
export const gradeNames = ['Fail', 'Pass', 'Merit', 'Distinction'] as const;
export type GradeName = (typeof gradeNames)[number];
/** What a component is graded unless its plan lists its own grades. */
export const defaultGrades: readonly GradeName[] = ['Fail', 'Pass', 'Distinction'];
/** Whether `a` is a higher grade than `b`. */
export const gradeAbove = (a: GradeName, b: GradeName): boolean => gradeNames.indexOf(a) > gradeNames.indexOf(b);
