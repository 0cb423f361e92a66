/**
 * Staff accounts and sessions in PostgreSQL (src/store/pg-staff.ts), on a real server: the account
 * store passes the same contract as the users file; sessions are kept under the hash of their id,
 * expire, and are shared by two API servers, as behind a proxy with several `epa-flow api`.
 */
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { usePostgres } from '../support/postgres';
import { buildApi } from '../../src/api/server';
import { addUser, disableUser, setRole } from '../../src/app/users';
import { migrate } from '../../src/store/migrations';
import { PgListingIndex } from '../../src/store/pg-listing-index';
import { PgAccountAudit, PgSessionStore, PgUserStore } from '../../src/store/pg-staff';
import { STAFF_SESSION_MS } from '../../src/store/stores';
import { EpaClient } from '../../src/app/epa-client';
import { userStoreContract } from '../support/user-store-contract';
import { accountAuditContract } from '../support/account-audit-contract';
import { csrfIn, signIn } from '../support/pages';

const database = usePostgres('epa_staff');
let pool: Pool;

beforeAll(async () => {
  pool = database();
  await migrate(pool);
});

describe('the account store contract on PostgreSQL', () => {
  userStoreContract(async () => {
    await pool.query('TRUNCATE epa_staff_user');
    return new PgUserStore(pool);
  });
});

describe('the audit list of changes to accounts keeps its contract on PostgreSQL', () => {
  accountAuditContract(async () => {
    await pool.query('TRUNCATE epa_staff_user, epa_account_change');
    return { audit: new PgAccountAudit(pool), users: new PgUserStore(pool) };
  });
});

const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err as Error) : resolve(value))));

test('a session is kept under the hash of its id, read back until it expires, and gone once destroyed', async () => {
  let now = Date.parse('2026-12-03T09:00:00Z');
  const store = new PgSessionStore(pool, STAFF_SESSION_MS, () => now);
  const id = 'a-session-id-only-the-cookie-knows';
  const session = {
    cookie: { expires: new Date(now + 60_000).toISOString(), httpOnly: true },
    user: { username: 'mira', name: 'Mira Osei', role: 'admin' },
  } as never;
  await call((cb) => store.set(id, session, cb));
  expect(await call((cb) => store.get(id, cb))).toMatchObject({ user: { username: 'mira' } });
  const stored = JSON.stringify((await pool.query('SELECT * FROM epa_staff_session')).rows);
  expect(stored).not.toContain(id);
  now += 61_000;
  expect(await call((cb) => store.get(id, cb))).toBeNull();
  now -= 61_000;
  await call((cb) => store.destroy(id, cb));
  expect(await call((cb) => store.get(id, cb))).toBeNull();
});

describe('two API servers behind one proxy share accounts and sessions', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  const password = 'a long enough password for both servers';

  const server = (): FastifyInstance =>
    buildApi({
      // The pages read lists from the index; nothing here asks Temporal (the client connects lazily).
      epa: new EpaClient(new Client()),
      listings: new PgListingIndex(pool),
      adminTokens: ['admin-token-for-the-staff-test'],
      opsTokens: [],
      defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      users: new PgUserStore(pool),
      sessionStore: new PgSessionStore(pool, STAFF_SESSION_MS),
      sessionSecret: 'a-session-secret-shared-by-both-servers-0123456789',
      serviceName: 'Example EPAO',
    });

  beforeAll(async () => {
    await pool.query('TRUNCATE epa_staff_user, epa_staff_session');
    await addUser(new PgUserStore(pool), { username: 'nadia', name: 'Nadia Quill', role: 'ops', password });
    a = server();
    b = server();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  test('signed in on one, signed in on the other; signed out on the other, signed out on both', async () => {
    const { res: login, cookie } = await signIn(a, 'nadia', password);
    expect(login.statusCode).toBe(302);

    const onB = await b.inject({ method: 'GET', url: '/epas', headers: { cookie } });
    expect(onB.statusCode).toBe(200);
    expect(onB.body).toContain('Nadia Quill');

    const logout = await b.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(onB.body) }).toString(),
    });
    expect(logout.statusCode).toBe(302);
    const onA = await a.inject({ method: 'GET', url: '/epas', headers: { cookie } });
    expect(onA.statusCode).toBe(302);
    expect(onA.headers.location).toBe('/login?returnTo=%2Fepas');
  });

  test('disabled or given a new role by another host: the session is signed out on both servers at its next request', async () => {
    await addUser(new PgUserStore(pool), { username: 'ravi', name: 'Ravi Mehta', role: 'admin', password });
    const first = await signIn(a, 'ravi', password);
    const second = await signIn(b, 'ravi', password);
    expect((await b.inject({ method: 'GET', url: '/epas', headers: { cookie: first.cookie } })).statusCode).toBe(200);
    // `epa users role` on some other host: only the database is shared.
    await setRole(new PgUserStore(pool), 'ravi', 'ops');
    for (const [server, cookie] of [
      [a, first.cookie],
      [b, second.cookie],
    ] as const)
      expect((await server.inject({ method: 'GET', url: '/epas', headers: { cookie } })).headers.location).toBe(
        '/login?returnTo=%2Fepas',
      );
    const again = await signIn(a, 'ravi', password);
    expect((await b.inject({ method: 'GET', url: '/epas', headers: { cookie: again.cookie } })).statusCode).toBe(200);
    await disableUser(new PgUserStore(pool), 'ravi');
    expect((await b.inject({ method: 'GET', url: '/epas', headers: { cookie: again.cookie } })).statusCode).toBe(302);
    expect((await a.inject({ method: 'GET', url: '/epas', headers: { cookie: again.cookie } })).statusCode).toBe(302);
  });
});
