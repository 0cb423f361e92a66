/**
 * Contact details corrected on a running EPA (`ContactDetailsChanged`): a wrong email address is
 * fixed without withdrawing the EPA; later mail goes to the new address. Zod-free: the workflow
 * applies it.
 */
import { EpaInputError } from './errors';
import type { Notification } from './notifications';
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

/** Whether the change gave the role another email address (case aside): its live invites then move. */
export function emailMoved(before: People, after: People, role: ContactRole): { from: string; to: string } | undefined {
  const from = before[role].email;
  const to = after[role].email;
  return from.toLowerCase() === to.toLowerCase() ? undefined : { from, to };
}

/**
 * A contact's email corrected: each live invite (sent, its assessment still ahead) that went to the
 * role is cancelled at the old address, with nothing personal (only the date and the EPAO's name:
 * the old address may be another person's), and re-issued to the new one: the same UID, a SEQUENCE
 * above the last one sent. `schedule` is the schedule as sent (its offsets applied).
 */
export function invitesAfterContactChange(
  schedule: readonly Notification[],
  sent: ReadonlySet<string>,
  role: ContactRole,
  oldEmail: string,
  now: number,
  tag: string,
): Notification[] {
  const out: Notification[] = [];
  for (const n of schedule) {
    if (n.kind !== 'invite' || n.inviteUid === undefined || !sent.has(n.key) || !n.to.includes(role)) continue;
    if (n.expiresAt !== undefined && n.expiresAt <= now) continue; // taken place: nothing live to move
    const sequence = (n.sequence ?? 0) + 1;
    const moved = { ...n, sequence, at: now, to: [role], changed: undefined, movedFrom: undefined };
    out.push({
      ...moved,
      kind: 'inviteCancelledAtOldAddress',
      key: `${n.key}:old-address-${role}-${tag}`,
      address: { role, email: oldEmail },
      location: undefined,
      assessor: undefined,
    });
    out.push({ ...moved, key: `${n.key}:readdressed-${role}-${tag}`, readdressed: true });
  }
  return out;
}
