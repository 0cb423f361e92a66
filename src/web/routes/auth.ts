/**
 * Sign in (username and password, rate-limited per client and per username), sign out. The client
 * is `req.ip`: behind a TLS proxy, the address the proxy forwards (EPA_TRUST_PROXY), not the proxy's.
 */
import type { FastifyInstance } from 'fastify';
import { signIn, type UserStore } from '../../app/users';
import { render, type PageContext } from '../render';
import { SignInThrottle } from '../middleware/sign-in-throttle';

/** Only a path on this site: never another origin (`//host`, `https://…`). */
function safeReturnTo(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(v) && !v.startsWith('/login') ? v : '/epas';
}

export function authRoutes(app: FastifyInstance, ctx: PageContext, users: UserStore, now: () => number = Date.now): void {
  // Ten failures per client and username in 5 minutes: enough for typing, too few for guessing.
  const throttle = new SignInThrottle(10, 5 * 60 * 1000, now);
  // A hundred failures for one username from any clients in 15 minutes: guessing spread over many addresses.
  const perUsername = new SignInThrottle(100, 15 * 60 * 1000, now);
  app.get('/login', async (req, reply) => {
    if (req.session.user) return reply.redirect('/epas');
    return render(req, reply, ctx, 'pages/login.njk', {
      form: true,
      returnTo: safeReturnTo((req.query as { returnTo?: string }).returnTo),
    });
  });

  app.post(
    '/login',
    {
      preHandler: app.csrfProtection,
      // Any client: at most 60 sign-in posts a minute, whatever their outcome.
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const returnTo = safeReturnTo(body.returnTo);
      const key = `${req.ip}|${username.slice(0, 40)}`;
      const userKey = username.slice(0, 40);
      if (!throttle.allowed(key) || !perUsername.allowed(userKey)) {
        const err = new Error('too many failed sign-ins') as Error & { statusCode: number };
        err.statusCode = 429;
        throw err;
      }
      const errors: { text: string; href: string }[] = [];
      if (!username) errors.push({ text: 'Enter your username', href: '#username' });
      if (!password) errors.push({ text: 'Enter your password', href: '#password' });
      const user = errors.length === 0 ? await signIn(users, username, password) : undefined;
      if (!user) {
        if (username && password) {
          throttle.failed(key);
          perUsername.failed(userKey);
        }
        if (errors.length === 0) errors.push({ text: 'Enter a correct username and password', href: '#username' });
        return render(req, reply.code(401), ctx, 'pages/login.njk', { form: true, errors, username, returnTo });
      }
      // A new session id on sign-in: a session fixed before it is worth nothing after.
      throttle.succeeded(key);
      await req.session.regenerate();
      req.session.user = {
        username: user.username,
        name: user.name,
        role: user.role,
        generation: user.sessionGeneration ?? 0,
        signedInAt: now(),
      };
      return reply.redirect(returnTo);
    },
  );

  app.post('/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login');
  });
}
