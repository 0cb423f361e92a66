/** Helpers for tests that drive the staff pages through fastify's inject: the cookies (session, CSRF secret) and a form's CSRF token. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * The cookies a response sets (the session's `epa_session`, the CSRF secret's `epa_csrf`) over
 * those a request sent (`previous`), as the next request's Cookie header, as a browser keeps them.
 */
export function cookieFrom(res: LightMyRequestResponse, previous = ''): string {
  const jar = new Map(
    previous
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => [c.split('=')[0]!, c] as const),
  );
  const set = res.headers['set-cookie'];
  for (const c of (Array.isArray(set) ? set : [set]).filter((x): x is string => typeof x === 'string')) {
    const pair = c.split(';')[0]!;
    const name = pair.split('=')[0]!;
    if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, pair);
  }
  if (jar.size === 0) throw new Error('no cookie');
  return [...jar.values()].join('; ');
}

/** The names of the cookies a response sets. */
export const cookiesSet = (res: LightMyRequestResponse): string[] => {
  const set = res.headers['set-cookie'];
  return (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split('=')[0]!);
};

/** The CSRF token of the first form on a page. */
export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/**
 * Signs in through the login form. `res` is the form's answer, `before` the cookies before it (the
 * CSRF secret only: no session before sign-in), `cookie` the ones to use after it (with the new
 * session's on success).
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
  return { res, before: cookie, cookie: res.statusCode === 302 ? cookieFrom(res, cookie) : cookie };
}
