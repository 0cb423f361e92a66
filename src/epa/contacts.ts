/**
 * Contact details corrected on a running EPA (`ContactDetailsChanged`): a wrong email address is
 * fixed without withdrawing the EPA; later mail goes to the new address. Zod-free: the workflow
 * applies it.
 */
import { EpaInputError } from './errors';
import type { People } from './people';

export type ContactRole = 'apprentice' | 'employer' | 'provider' | 'epaoAdmin';
export const contactRoles: readonly ContactRole[] = ['apprentice', 'employer', 'provider', 'epaoAdmin'];
/** Roles that are an organisation with a contact person. */
const ORGANISATIONS: ReadonlySet<string> = new Set(['employer', 'provider']);

export interface ContactChange {
  role: ContactRole;
  name?: string;
  email?: string;
  organisation?: string;
}

/** The fields this change would alter, or EpaInputError when it changes nothing or what the role has not. */
export function checkContactChange(change: ContactChange, path = 'event'): void {
  if (change.name === undefined && change.email === undefined && change.organisation === undefined) {
    throw new EpaInputError('give at least one of name, email, organisation', `${path}.name`);
  }
  if (change.organisation !== undefined && !ORGANISATIONS.has(change.role)) {
    throw new EpaInputError(
      `the ${change.role} has no organisation (only the employer and the provider)`,
      `${path}.organisation`,
    );
  }
}

/** The people after the change (a new object), and which of their details changed, in words. */
export function applyContactChange(people: People, change: ContactChange): { people: People; changed: string[] } {
  checkContactChange(change);
  const before = people[change.role] as Record<string, string>;
  const after = {
    ...before,
    ...(change.name !== undefined && { name: change.name }),
    ...(change.email !== undefined && { email: change.email }),
    ...(change.organisation !== undefined && { organisation: change.organisation }),
  };
  const changed = (['name', 'email', 'organisation'] as const)
    .filter((k) => after[k] !== undefined && after[k] !== before[k])
    .map((k) => `${change.role}'s ${k} changed`);
  return { people: { ...people, [change.role]: after } as People, changed };
}
