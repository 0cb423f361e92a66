/** Sign in (username and password, rate-limited), sign out. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signIn, type UserStore } from '../../app/users';
import { render, type PageContext } from '../render';

/** Only a path on this site: never another origin (`//host`, `https://…`). */
function safeReturnTo(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(v) && !v.startsWith('/login') ? v : '/epas';
}

export function authRoutes(app: FastifyInstance, ctx: PageContext, users: UserStore): void {
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
      // Ten tries per address and username in 5 minutes: enough for typing, too few for guessing.
      config: {
        rateLimit: {
          max: 10,
          timeWindow: '5 minutes',
          hook: 'preHandler',
          keyGenerator: (req: FastifyRequest) =>
            `${req.ip}|${String((req.body as Record<string, unknown> | undefined)?.username ?? '')
              .toLowerCase()
              .slice(0, 40)}`,
        },
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const returnTo = safeReturnTo(body.returnTo);
      const errors: { text: string; href: string }[] = [];
      if (!username) errors.push({ text: 'Enter your username', href: '#username' });
      if (!password) errors.push({ text: 'Enter your password', href: '#password' });
      const user = errors.length === 0 ? await signIn(users, username, password) : undefined;
      if (!user) {
        if (errors.length === 0) errors.push({ text: 'Enter a correct username and password', href: '#username' });
        return render(req, reply.code(401), ctx, 'pages/login.njk', { form: true, errors, username, returnTo });
      }
      // A new session id on sign-in: a session fixed before it is worth nothing after.
      await req.session.regenerate();
      req.session.user = { username: user.username, name: user.name, role: user.role };
      return reply.redirect(returnTo);
    },
  );

  app.post('/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login');
  });
}
