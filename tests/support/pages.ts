/** Helpers for tests that drive the staff pages through fastify's inject: the session cookie and a form's CSRF token. */
import type { LightMyRequestResponse } from 'fastify';

/** The session cookie a response sets, as a request's Cookie header. */
export function cookieFrom(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const first = (Array.isArray(set) ? set : [set]).find((c) => c?.startsWith('epa_session='));
  if (!first) throw new Error('no session cookie');
  return first.split(';')[0]!;
}

/** The CSRF token of the first form on a page. */
export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
