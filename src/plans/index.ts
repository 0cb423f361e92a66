/**
 * The registry of plans and EPAO policies. The data is validated by zod (validate.ts) when a
 * process starts (CLI, API, worker) and in the unit tests, not inside every workflow: the sandbox
 * gives each workflow its own copy of the modules it imports, and zod is the heaviest of them.
 */
import type { Plan, Policy } from './schema';
import { ST0071 } from './st0071';
import { ST0072 } from './st0072';
import { innovate, nqual } from './epaos';

export type * from './schema';

export const plans: Readonly<Record<string, Plan>> = Object.fromEntries([ST0071, ST0072].map((p) => [p.standard, p]));
export const policies: Readonly<Record<string, Policy>> = Object.fromEntries([innovate, nqual].map((p) => [p.id, p]));

export const standardIds = Object.keys(plans);
export const epaoIds = Object.keys(policies);

export function getPlan(standard: string): Plan | undefined {
  return plans[standard];
}

export function getPolicy(epao: string): Policy | undefined {
  return policies[epao];
}
