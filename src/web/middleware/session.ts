/**
 * Staff sign-in sessions and CSRF protection for the pages (never the API, which takes bearer
 * tokens only). The session cookie carries a signed random id, nothing else: `HttpOnly`,
 * `SameSite=Lax`, `Secure` when served over HTTPS, 8 hours idle, renewed as staff use the pages.
 *
 * - A session is made at sign-in, never for an anonymous visitor: the CSRF secret is its own signed
 *   cookie (`epa_csrf`, double submit), so the sign-in form needs nothing stored.
 * - Every request of a signed-in session is checked against the account store (the users file or
 *   PostgreSQL, shared by every API process): a disabled account, a reset password or a changed
 *   role (the account's session generation moved on) and a session past its absolute lifetime
 *   end it there and then.
 */
import { promisify } from 'node:util';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession, { type SessionStore } from '@fastify/session';
import { STAFF_SESSION_MS } from '../../store/stores';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionEnded, type StaffRole, type UserStore } from '../../app/users';
import { MemorySessionStore } from './memory-session-store';

export interface SignedInUser {
  username: string;
  name: string;
  role: StaffRole;
  /** The account's session generation at sign-in (src/app/users.ts). */
  generation?: number;
  /** When it signed in (ms since the epoch): the absolute lifetime counts from here. */
  signedInAt?: number;
}

declare module 'fastify' {
  interface Session {
    user?: SignedInUser;
    /** What the last form recorded, shown once on the next page. */
    flash?: { title: string; warnings: string[] };
  }
}

export const SESSION_COOKIE = 'epa_session';
export const CSRF_COOKIE = 'epa_csrf';
/** A session's absolute lifetime unless the EPAO sets another (EPA_SESSION_ABSOLUTE_HOURS). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export interface SessionOptions {
  secret: string;
  /** Served over HTTPS: Secure cookies (fastify must see https: EPA_TRUST_PROXY behind a TLS proxy). */
  secure: boolean;
  /** Where sessions live (PostgreSQL, shared by every API process); default: this process's memory, bounded and swept. */
  store?: SessionStore;
  users: UserStore;
  /** How long a session lasts from sign-in, however busy. */
  absoluteMs?: number;
  now?: () => number;
}

/** Sessions in `store`, or in this process's memory; every signed-in request checked against the account. */
export async function setUpSessions(app: FastifyInstance, o: SessionOptions): Promise<void> {
  const store = o.store ?? new MemorySessionStore(STAFF_SESSION_MS);
  const absoluteMs = o.absoluteMs ?? SESSION_ABSOLUTE_MS;
  const now = o.now ?? Date.now;
  await app.register(fastifyCookie, { secret: o.secret });
  await app.register(fastifySession, {
    secret: o.secret,
    cookieName: SESSION_COOKIE,
    store,
    cookie: { httpOnly: true, sameSite: 'lax', secure: o.secure, path: '/', maxAge: STAFF_SESSION_MS },
    saveUninitialized: false,
    rolling: true,
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: o.secure, signed: true },
    getToken: (req: FastifyRequest) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
  const forget = promisify(store.destroy.bind(store));
  app.addHook('onRequest', async (req) => {
    const user = req.session.user;
    if (!user || req.url.startsWith('/assets/')) return;
    const ended = sessionEnded(user, await o.users.get(user.username), absoluteMs, now());
    if (!ended) return;
    // A fresh, empty session in its place (stored only if this request signs in), the old one gone from the store.
    await req.session.regenerate();
    await forget(req.session.sessionId);
  });
}

/** Pages for signed-in staff: to the sign-in page otherwise; `admin` pages (recording) refuse ops users with 403. */
export function requireStaff(role?: StaffRole, refusal = 'Your account may read EPAs but not record events: ask an admin.') {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const user = req.session.user;
    if (!user) {
      const back = req.method === 'GET' && req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : '/epas';
      return reply.redirect(`/login?returnTo=${encodeURIComponent(back)}`);
    }
    if (role === 'admin' && user.role !== 'admin') {
      const err = new Error(refusal) as Error & { statusCode: number };
      err.statusCode = 403;
      throw err;
    }
  };
}
