/**
 * Route tests: sessions that end when their account changes or their lifetime runs out, no session
 * for anonymous visitors, sign-in limits per client and per username, repeated form fields, and
 * pages never cached (src/web/middleware/session.ts, src/web/routes/auth.ts, src/web/index.ts), on
 * in-memory fakes through app.inject.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { addUser, disableUser, resetPassword, setRole } from '../../src/app/users';
import { staffPages } from '../../src/web';
import { MemorySessionStore } from '../../src/web/middleware/memory-session-store';
import { FakeEpaService, FakeListings, FakeUserStore } from '../support/fake-epa-service';
import { cookieFrom, cookiesSet, csrfIn, signIn } from '../support/pages';
import { epaStart } from '../support/people';
import { NOW } from '../support/web-app';

const PASSWORD = 'a long password for the session tests';
const HOUR = 60 * 60 * 1000;
let clock = NOW;
let idle = 0;
let app: FastifyInstance;
let users: FakeUserStore;
let sessions: MemorySessionStore;
let epa: FakeEpaService;
const bram = epaStart({ apprentice: { name: 'Bram Okonkwo-Tell', email: 'bram@apprentice.example' } });

beforeAll(async () => {
  users = new FakeUserStore();
  for (const username of ['amira', 'bola', 'chen', 'dara', 'eli', 'fern'])
    await addUser(users, { username, name: `Staff ${username}`, role: 'admin', password: PASSWORD });
  // Cookie expiries are real time (@fastify/session's, renewed on each use): the store's clock is real time, moved on by `idle`.
  sessions = new MemorySessionStore(8 * HOUR, 10_000, () => Date.now() + idle);
  epa = new FakeEpaService(() => clock);
  epa.add(bram);
  app = Fastify({ logger: false, trustProxy: '127.0.0.1' });
  await app.register(staffPages, {
    epa,
    listings: new FakeListings([]),
    users,
    sessionStore: sessions,
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    sessionSecret: 'a-session-secret-for-the-session-tests-0123456789',
    https: false,
    sessionAbsoluteMs: 12 * HOUR,
    serviceName: 'Example EPAO',
    temporalUrl: (epaId) => `http://127.0.0.1:8233/namespaces/default/workflows/${epaId}`,
    now: () => clock,
  });
  await app.ready();
});
afterAll(async () => {
  sessions.close();
  await app.close();
});
afterEach(() => {
  clock = NOW;
  idle = 0;
});

const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
const signedIn = async (username: string): Promise<string> => {
  const { res, cookie } = await signIn(app, username, PASSWORD);
  expect(res.statusCode).toBe(302);
  expect((await get('/epas', cookie)).statusCode).toBe(200);
  return cookie;
};
const toSignIn = (res: { statusCode: number; headers: Record<string, unknown> }) => {
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe('/login?returnTo=%2Fepas');
};

test('GET /login and other anonymous visits store no session and set no session cookie; sign-in stores one', async () => {
  const before = sessions.size;
  for (let i = 0; i < 50; i++) {
    const page = await app.inject({ method: 'GET', url: '/login' });
    expect(page.statusCode).toBe(200);
    expect(cookiesSet(page)).toEqual(['epa_csrf']);
    const away = await app.inject({ method: 'GET', url: '/epas' });
    expect(cookiesSet(away)).not.toContain('epa_session');
  }
  expect(sessions.size).toBe(before);
  await signedIn('amira');
  expect(sessions.size).toBe(before + 1);
});

test('disabling an account signs its live session out on the very next request', async () => {
  const cookie = await signedIn('bola');
  await disableUser(users, 'bola');
  toSignIn(await get('/epas', cookie));
  // And the session is gone, not merely refused: the old cookie stays signed out.
  toSignIn(await get('/epas', cookie));
  expect((await signIn(app, 'bola', PASSWORD)).res.statusCode).toBe(401);
});

test('a password reset signs out every session the account had; signing in with the new one works', async () => {
  const first = await signedIn('chen');
  const second = await signedIn('chen');
  const { password } = await resetPassword(users, 'chen');
  toSignIn(await get('/epas', first));
  toSignIn(await get('/epas', second));
  const { res, cookie } = await signIn(app, 'chen', password);
  expect(res.statusCode).toBe(302);
  expect((await get('/epas', cookie)).statusCode).toBe(200);
});

test('a new role signs the account out: an admin made ops cannot record with the session it had', async () => {
  const cookie = await signedIn('dara');
  const form = await get(`/epas/${bram.uln}/events/new?type=Withdrawn`, cookie);
  expect(form.statusCode).toBe(200);
  await setRole(users, 'dara', 'ops');
  const post = await app.inject({
    method: 'POST',
    url: `/epas/${bram.uln}/events`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(form.body), type: 'Withdrawn', reason: 'should not be recorded' }).toString(),
  });
  expect(post.statusCode).toBe(302);
  expect(post.headers.location).toBe('/login?returnTo=%2Fepas');
  expect(epa.calls.filter((c) => c.method === 'recordEvent')).toEqual([]);
});

test('a session ends at its absolute lifetime (12 hours) however busy it is; the idle one still applies', async () => {
  const cookie = await signedIn('eli');
  // Used every two hours: never idle for long, but twelve hours after sign-in it ends.
  for (let h = 2; h < 12; h += 2) {
    clock = NOW + h * HOUR;
    expect((await get('/epas', cookie)).statusCode).toBe(200);
  }
  clock = NOW + 12 * HOUR;
  toSignIn(await get('/epas', cookie));

  clock = NOW;
  const unused = await signedIn('eli');
  idle = 8 * HOUR + 1000;
  sessions.sweep();
  toSignIn(await get('/epas', unused));
});

test('signed-in pages (and the sign-in page) send Cache-Control: no-store; static assets may be cached', async () => {
  const cookie = await signedIn('fern');
  for (const url of ['/epas', `/epas/${bram.uln}`, '/dashboard', '/login'])
    expect((await get(url, cookie)).headers['cache-control']).toBe('no-store');
  const css = await app.inject({ method: 'GET', url: '/assets/epa.css' });
  expect(css.headers['cache-control']).not.toBe('no-store');
});

test('a form field sent twice is a 400 that says so, never a 500; nothing is recorded', async () => {
  const cookie = await signedIn('fern');
  const form = await get(`/epas/${bram.uln}/events/new?type=Withdrawn`, cookie);
  const twice = await app.inject({
    method: 'POST',
    url: `/epas/${bram.uln}/events`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(csrfIn(form.body))}&type=Withdrawn&reason=a&reason=b`,
  });
  expect(twice.statusCode).toBe(400);
  expect(twice.body).toContain('The field &quot;reason&quot; was sent more than once');
  const login = await app.inject({
    method: 'POST',
    url: '/login',
    headers: {
      cookie: cookieFrom(await app.inject({ method: 'GET', url: '/login' })),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'username=fern&username=amira&password=x',
  });
  expect(login.statusCode).toBe(400);
  expect(login.body).toContain('was sent more than once');
  expect(epa.calls.filter((c) => c.method === 'recordEvent')).toEqual([]);
});

test('failed sign-ins are limited per client: behind the trusted proxy, one client locked out is not everyone', async () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const attempt = async (ip: string, password: string) => {
    const page = await app.inject({ method: 'GET', url: '/login', headers: from(ip) });
    return app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '127.0.0.1',
      headers: { ...from(ip), cookie: cookieFrom(page), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body), username: 'amira', password }).toString(),
    });
  };
  for (let i = 0; i < 10; i++) expect((await attempt('203.0.113.7', 'a wrong password entirely')).statusCode).toBe(401);
  const locked = await attempt('203.0.113.7', PASSWORD);
  expect(locked.statusCode).toBe(429);
  expect(locked.body).toContain('Too many attempts');
  // Another client through the same proxy signs in as the same user.
  expect((await attempt('198.51.100.20', PASSWORD)).statusCode).toBe(302);
});

test('failed sign-ins are limited per username too: a hundred from a hundred clients lock that username, for fifteen minutes', async () => {
  await addUser(users, { username: 'gus', name: 'Staff gus', role: 'ops', password: PASSWORD });
  const attempt = async (ip: string, username: string, password: string) => {
    const page = await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': ip } });
    return app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': ip, cookie: cookieFrom(page), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body), username, password }).toString(),
    });
  };
  for (let i = 0; i < 100; i++) expect((await attempt(`192.0.2.${i + 1}`, 'gus', `guess number ${i}`)).statusCode).toBe(401);
  expect((await attempt('192.0.2.200', 'gus', PASSWORD)).statusCode).toBe(429);
  // Other usernames are not affected.
  expect((await attempt('192.0.2.200', 'amira', PASSWORD)).statusCode).toBe(302);
  clock = NOW + 15 * 60 * 1000 + 1000;
  expect((await attempt('192.0.2.200', 'gus', PASSWORD)).statusCode).toBe(302);
}, 120_000);
