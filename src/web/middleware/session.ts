/**
 * Staff sign-in sessions and CSRF protection for the pages (never the API, which takes bearer
 * tokens only). The session cookie carries a signed random id, nothing else: `HttpOnly`,
 * `SameSite=Lax`, `Secure` when served over HTTPS, 8 hours, renewed as staff use the pages. Every
 * form carries a CSRF token (`_csrf`) tied to the session.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession, { type SessionStore } from '@fastify/session';
import { STAFF_SESSION_MS } from '../../store/stores';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../app/users';

export interface SignedInUser {
  username: string;
  name: string;
  role: StaffRole;
}

declare module 'fastify' {
  interface Session {
    user?: SignedInUser;
    /** What the last form recorded, shown once on the next page. */
    flash?: { title: string; warnings: string[] };
  }
}

export const SESSION_COOKIE = 'epa_session';

/** Sessions in `store` (PostgreSQL, shared by every API process), or in this process's memory. */
export async function setUpSessions(app: FastifyInstance, secret: string, secure: boolean, store?: SessionStore): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret,
    cookieName: SESSION_COOKIE,
    ...(store && { store }),
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: STAFF_SESSION_MS },
    saveUninitialized: false,
    rolling: true,
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: (req: FastifyRequest) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
}

/** Pages for signed-in staff: to the sign-in page otherwise; `admin` pages (recording) refuse ops users with 403. */
export function requireStaff(role?: StaffRole) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const user = req.session.user;
    if (!user) {
      const back = req.method === 'GET' && req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : '/epas';
      return reply.redirect(`/login?returnTo=${encodeURIComponent(back)}`);
    }
    if (role === 'admin' && user.role !== 'admin') {
      const err = new Error('Your account may read EPAs but not record events: ask an admin.') as Error & { statusCode: number };
      err.statusCode = 403;
      throw err;
    }
  };
}
