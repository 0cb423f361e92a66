/** Helpers for tests that drive the staff pages through fastify's inject: the session cookie and a form's CSRF token. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** The session cookie a response sets, as a request's Cookie header. */
export function cookieFrom(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const first = (Array.isArray(set) ? set : [set]).find((c) => c?.startsWith('epa_session='));
  if (!first) throw new Error('no session cookie');
  return first.split(';')[0]!;
}

/** The CSRF token of the first form on a page. */
export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/**
 * Signs in through the login form. `res` is the form's answer, `before` the session cookie before
 * it, `cookie` the one to use after it (the new session's on success).
 */
export async function signIn(api: FastifyInstance, username: string, password: string, returnTo = '/epas') {
  const page = await api.inject({ method: 'GET', url: `/login?returnTo=${encodeURIComponent(returnTo)}` });
  const cookie = cookieFrom(page);
  const res = await api.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body), username, password, returnTo }).toString(),
  });
  return { res, before: cookie, cookie: res.statusCode === 302 ? cookieFrom(res) : cookie };
}
