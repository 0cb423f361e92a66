/** The registry of plans and EPAO policies, validated once at load. */
import { PlanSchema, PolicySchema, type Plan, type Policy } from './schema';
import { ST0071 } from './st0071';
import { ST0072 } from './st0072';
import { innovate, nqual } from './epaos';

export * from './schema';

export const plans: Readonly<Record<string, Plan>> = Object.fromEntries(
  [ST0071, ST0072].map((p) => [p.standard, PlanSchema.parse(p)]),
);
export const policies: Readonly<Record<string, Policy>> = Object.fromEntries(
  [innovate, nqual].map((p) => [p.id, PolicySchema.parse(p)]),
);

export const standardIds = Object.keys(plans);
export const epaoIds = Object.keys(policies);

export function getPlan(standard: string): Plan | undefined {
  return plans[standard];
}

export function getPolicy(epao: string): Policy | undefined {
  return policies[epao];
}
