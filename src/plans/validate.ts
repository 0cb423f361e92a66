/** Validates every plan and EPAO policy with zod; processes call it at start (CLI, API, worker). */
import { plans, policies } from './index';
import { PlanSchema, PolicySchema } from './schema';

let validated = false;

export function validatePlans(): void {
  if (validated) return;
  for (const [id, plan] of Object.entries(plans)) {
    const r = PlanSchema.safeParse(plan);
    if (!r.success)
      throw new Error(`plan ${id} is invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  for (const [id, policy] of Object.entries(policies)) {
    const r = PolicySchema.safeParse(policy);
    if (!r.success)
      throw new Error(
        `EPAO policy ${id} is invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    for (const standard of policy.standards)
      if (!plans[standard]) throw new Error(`EPAO policy ${id} names unknown standard ${standard}`);
  }
  validated = true;
}
