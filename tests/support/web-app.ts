/**
 * The staff pages on a bare fastify app over in-memory fakes (fake-epa-service.ts), for the route
 * tests: as hmpps-template-typescript's appSetup, one app per test file, driven by `app.inject`.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { addUser } from '../../src/app/users';
import { londonInstant } from '../../src/calendar';
import { staffPages } from '../../src/web';
import { FakeAccountAudit, FakeEpaService, FakeListings, FakeSentCopies, FakeUserStore } from './fake-epa-service';
import { cookieFrom, csrfIn, signIn } from './pages';

/** "Now" for every page test: midday London on a fixed date. */
export const TODAY = '2027-03-15';
export const NOW = londonInstant(TODAY, '12:00');

export const ADMIN = { username: 'amira', name: 'Amira Sollen', password: 'a long admin password for tests' };
export const OPS = { username: 'olu', name: 'Olu Ferris', password: 'a long ops password for tests' };

export interface PagesApp {
  app: FastifyInstance;
  epa: FakeEpaService;
  listings: FakeListings;
  users: FakeUserStore;
  audit: FakeAccountAudit;
  copies: FakeSentCopies;
}

export async function pagesApp(): Promise<PagesApp> {
  const epa = new FakeEpaService(() => NOW);
  const listings = new FakeListings([]);
  const users = new FakeUserStore();
  const audit = new FakeAccountAudit();
  const copies = new FakeSentCopies();
  await addUser(users, { username: ADMIN.username, name: ADMIN.name, role: 'admin', password: ADMIN.password });
  await addUser(users, { username: OPS.username, name: OPS.name, role: 'ops', password: OPS.password });
  const app = Fastify({ logger: false });
  await app.register(staffPages, {
    epa,
    listings,
    users,
    accountAudit: audit,
    sentCopies: copies,
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    sessionSecret: 'a-session-secret-for-the-route-tests-0123456789',
    https: false,
    serviceName: 'Example EPAO',
    temporalUrl: (epaId) => `http://127.0.0.1:8233/namespaces/default/workflows/${epaId}`,
    now: () => NOW,
  });
  await app.ready();
  return { app, epa, listings, users, audit, copies };
}

/** A signed-in session: its cookie, and `get`/`post` that carry it (a post takes the CSRF token of the page it came from). */
export async function session(app: FastifyInstance, who: { username: string; password: string }) {
  const { res, cookie } = await signIn(app, who.username, who.password);
  if (res.statusCode !== 302) throw new Error(`sign-in failed: ${res.statusCode}`);
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  return {
    cookie,
    get,
    /** Opens `formUrl`, then posts its hidden fields (the CSRF token, the form's key) and `fields` to `action`, as a browser would. */
    async post(formUrl: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
      const form = await get(formUrl);
      return await app.inject({
        method: 'POST',
        url: action,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...hiddenFields(form.body), ...fields }).toString(),
      });
    },
  };
}

/** The hidden fields of a page's forms (the last of each name wins), with the CSRF token. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = { _csrf: csrfIn(html) };
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!;
  return fields;
}

export { cookieFrom, csrfIn };
