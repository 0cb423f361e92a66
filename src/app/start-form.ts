/**
 * Starting an EPA from the staff pages: the form's fields as the start request the API takes, and
 * back again for an error (a start request's field path → the form's field).
 */
import { EpaInputError } from '../epa/errors';
import type { EpaStart } from '../epa/people';
import type { EpaClient } from './epa-client';
import type { PostedForm } from './event-forms';

/** Form field → start request path. */
export const startFields: Record<string, string> = {
  uln: 'uln',
  apprenticeName: 'apprentice.name',
  apprenticeEmail: 'apprentice.email',
  employer: 'employer.organisation',
  employerContactName: 'employer.name',
  employerContactEmail: 'employer.email',
  provider: 'provider.organisation',
  providerContactName: 'provider.name',
  providerContactEmail: 'provider.email',
  standard: 'standard',
  standardVersion: 'standardVersion',
  epao: 'epao',
  gatewaySubmittedOn: 'gatewaySubmittedOn',
  events: 'events',
};

/** The form field a start request's error path names (`events[2].on` → `events`). */
export function startFieldOf(path: string): string {
  const top = path.replace(/\[.*$/, '');
  return Object.entries(startFields).find(([, p]) => p === path || p === top)?.[0] ?? 'uln';
}

export function startFromForm(posted: PostedForm, epaoAdmin: { name: string; email: string }): Record<string, unknown> {
  const v = (name: string) => (posted[name] ?? '').trim();
  const [d, m, y] = ['day', 'month', 'year'].map((p) => v(`gatewaySubmittedOn-${p}`));
  let events: unknown;
  if (v('events')) {
    try {
      events = JSON.parse(v('events'));
    } catch {
      throw new EpaInputError('the events so far must be a JSON list, oldest first, as the API takes them', 'events');
    }
  }
  return {
    uln: v('uln').replace(/\s+/g, ''),
    apprentice: { name: v('apprenticeName'), email: v('apprenticeEmail') },
    employer: { organisation: v('employer'), name: v('employerContactName'), email: v('employerContactEmail') },
    provider: { organisation: v('provider'), name: v('providerContactName'), email: v('providerContactEmail') },
    epaoAdmin,
    standard: v('standard'),
    ...(v('standardVersion') && { standardVersion: v('standardVersion') }),
    epao: v('epao'),
    gatewaySubmittedOn: d || m || y ? `${y}-${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}` : '',
    ...(events !== undefined && { events }),
  };
}

/** Starts the EPA a form describes, as `by`, under the form's idempotency key. */
export async function startEpaFromForm(
  epa: Pick<EpaClient, 'start'>,
  posted: PostedForm,
  epaoAdmin: { name: string; email: string },
  by: string,
): Promise<{ epaId: string; input: EpaStart }> {
  const key = posted.formKey && /^[0-9a-f-]{36}$/.test(posted.formKey) ? posted.formKey : undefined;
  return await epa.start(startFromForm(posted, epaoAdmin), undefined, { ...(key && { idempotencyKey: key }), by });
}
