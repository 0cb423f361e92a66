/** Who a notification goes to: each role it names, with that person's current details (the workflow's delivery and the staff pages' message view alike). */
import type { Role } from './deadlines';
import type { Notification } from './notifications';

export interface Recipient {
  role: Role;
  name: string;
  email: string;
}

export interface NotificationPeople {
  apprentice: { name: string; email: string };
  employer: { name: string; email: string };
  provider: { name: string; email: string };
  epaoAdmin: { name: string; email: string };
}

export function recipientsFor(n: Notification, people: NotificationPeople): Recipient[] {
  // One address that is no longer the role's (a corrected email's old one): no name goes with it.
  if (n.address) return [{ role: n.address.role, name: '', email: n.address.email }];
  const out: Recipient[] = [];
  for (const role of n.to) {
    if (role === 'assessor' && n.assessor) out.push({ role, ...n.assessor });
    if (role === 'apprentice') out.push({ role, ...people.apprentice });
    if (role === 'employer') out.push({ role, name: people.employer.name, email: people.employer.email });
    if (role === 'provider') out.push({ role, name: people.provider.name, email: people.provider.email });
    if (role === 'epaoAdmin') out.push({ role, ...people.epaoAdmin });
  }
  return out;
}
