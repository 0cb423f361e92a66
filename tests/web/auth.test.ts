/** Route tests: signing in and out (src/web/routes/auth.ts) on in-memory fakes, through app.inject. */
import { cookieFrom, csrfIn, signIn } from '../support/pages';
import { ADMIN, pagesApp, type PagesApp } from '../support/web-app';

let p: PagesApp;
beforeAll(async () => {
  p = await pagesApp();
});
afterAll(async () => {
  await p.app.close();
});

const form = (cookie: string, fields: Record<string, string>) =>
  p.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

test('a signed-out request goes to the sign-in page, which keeps where it was going; the form has a CSRF token', async () => {
  const anonymous = await p.app.inject({ method: 'GET', url: '/epas?stage=InAssessment' });
  expect(anonymous.statusCode).toBe(302);
  expect(anonymous.headers.location).toBe('/login?returnTo=%2Fepas%3Fstage%3DInAssessment');
  expect((await p.app.inject({ method: 'GET', url: '/' })).headers.location).toBe('/login');

  const page = await p.app.inject({ method: 'GET', url: '/login?returnTo=%2Fepas%3Fstage%3DInAssessment' });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<title>Sign in – Example EPAO</title>');
  expect(page.body).toContain('name="returnTo" value="/epas?stage=InAssessment"');
  expect(csrfIn(page.body)).toMatch(/\S{20,}/);
  // No session for a visitor: the form's CSRF secret is a signed cookie of its own.
  expect(page.headers['set-cookie']).toEqual(expect.stringMatching(/^epa_csrf=[^;]+;.*HttpOnly; SameSite=Lax/));
  expect(String(page.headers['set-cookie'])).not.toContain('epa_session');
});

test('empty fields and a wrong password: 401 with the GOV.UK error summary linking to the fields; nothing signed in', async () => {
  const page = await p.app.inject({ method: 'GET', url: '/login' });
  const cookie = cookieFrom(page);
  const empty = await form(cookie, { _csrf: csrfIn(page.body), username: '', password: '' });
  expect(empty.statusCode).toBe(401);
  expect(empty.body).toContain('govuk-error-summary');
  expect(empty.body).toContain('<a href="#username">Enter your username</a>');
  expect(empty.body).toContain('<a href="#password">Enter your password</a>');

  const wrong = await form(cookie, { _csrf: csrfIn(page.body), username: ADMIN.username, password: 'not the password at all' });
  expect(wrong.statusCode).toBe(401);
  expect(wrong.body).toContain('<a href="#username">Enter a correct username and password</a>');
  // The username typed stays in the form; the password never comes back.
  expect(wrong.body).toContain(`value="${ADMIN.username}"`);
  expect(wrong.body).not.toContain('not the password at all');
  expect((await p.app.inject({ method: 'GET', url: '/epas', headers: { cookie } })).statusCode).toBe(302);
});

test('a form without its CSRF token, or with another visitor’s, is refused with "The form has expired"', async () => {
  const page = await p.app.inject({ method: 'GET', url: '/login' });
  const cookie = cookieFrom(page);
  const missing = await form(cookie, { username: ADMIN.username, password: ADMIN.password });
  expect(missing.statusCode).toBe(403);
  expect(missing.body).toContain('The form has expired');
  const other = await p.app.inject({ method: 'GET', url: '/login' });
  const foreign = await form(cookie, { _csrf: csrfIn(other.body), username: ADMIN.username, password: ADMIN.password });
  expect(foreign.statusCode).toBe(403);
  expect(foreign.headers.location).toBeUndefined();
});

test('the right password: a new session, to where it was going (never another site); sign out ends it', async () => {
  const { res, before, cookie } = await signIn(p.app, ADMIN.username, ADMIN.password, '/dashboard');
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe('/dashboard');
  expect(cookie).not.toBe(before);
  const finder = await p.app.inject({ method: 'GET', url: '/epas', headers: { cookie } });
  expect(finder.statusCode).toBe(200);
  expect(finder.body).toContain(ADMIN.name);
  expect((await p.app.inject({ method: 'GET', url: '/login', headers: { cookie } })).headers.location).toBe('/epas');

  for (const away of ['//evil.example/x', 'https://evil.example/', '/login?returnTo=/epas'])
    expect((await signIn(p.app, ADMIN.username, ADMIN.password, away)).res.headers.location).toBe('/epas');

  const out = await p.app.inject({
    method: 'POST',
    url: '/logout',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(finder.body) }).toString(),
  });
  expect(out.statusCode).toBe(302);
  expect(out.headers.location).toBe('/login');
  expect((await p.app.inject({ method: 'GET', url: '/epas', headers: { cookie } })).statusCode).toBe(302);
});
