/** The shipped rule files (rules/), loaded once for the rule tests: the newest plan of each standard, and each EPAO policy. */
import { rules, type Plan, type Policy } from '../../src/plans';

export const plans: Readonly<Record<string, Plan>> = Object.fromEntries(rules().newestPlans.map((p) => [p.standard, p]));
export const policies: Readonly<Record<string, Policy>> = Object.fromEntries(rules().policies.map((p) => [p.id, p]));
export const innovate = policies.innovate!;
export const nqual = policies.nqual!;
