/**
 * The staff web app, on the API's fastify server in its own encapsulated context: sessions, CSRF
 * and security headers apply to these pages and never to the API. Laid out as
 * hmpps-template-typescript lays out its own: middleware (session, security headers), routes,
 * views (pages, partials/layout). Routes call application functions (src/app); no rule and no
 * Temporal call here.
 */
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { SessionStore } from '@fastify/session';
import type { FastifyError, FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import type { AccountAudit, UserStore } from '../app/users';
import { MemoryAccountAudit } from '../store/account-audit';
import { errorKindOf, httpStatusOf } from '../app/errors';
import { EpaInputError } from '../epa/errors';
import type { EpaService } from '../app/epa-service';
import type { EpaListings } from '../app/listings';
import { setUpSecurityHeaders } from './middleware/security-headers';
import { setUpSessions } from './middleware/session';
import { govukDir, mojDir, publicDir, viewsDir } from './paths';
import { londonDateTimeText } from './filters';
import { render, type PageContext } from './render';
import { accountRoutes } from './routes/accounts';
import { authRoutes } from './routes/auth';
import { dashboardRoutes } from './routes/dashboard';
import { epaRoutes } from './routes/epas';
import { eventRoutes } from './routes/events';
import { actionRoutes } from './routes/actions';
import { noteRoutes } from './routes/notes';
import { epaLinks, NO_COPIES, type EpaLinks } from '../app/epas';
import { resendRoutes } from './routes/resend';
import { taskRoutes } from './routes/tasks';
import type { SentCopies } from '../../activities/sent-record';
import { startRoutes } from './routes/start';

export interface StaffPagesOptions {
  epa: EpaService;
  /** Where the finder and the board list EPAs from (src/app/listings.ts). */
  listings: EpaListings;
  /** The EPAO admin mailbox new EPAs alert (started from a form or an import). */
  defaultEpaoAdmin: { name: string; email: string };
  users: UserStore;
  /** The audit list of changes to accounts (the accounts page); default: this process's memory. */
  accountAudit?: AccountAudit;
  /** The copies of the messages sent, for the messages list and each message's page; default: none kept. */
  sentCopies?: SentCopies;
  /** Where staff sessions live (PostgreSQL with a database); default: this process's memory. */
  sessionStore?: SessionStore;
  /** Signs session cookies (32 characters or more). */
  sessionSecret: string;
  /** Served over HTTPS: Secure cookies and HSTS. */
  https: boolean;
  /** A session's absolute lifetime from sign-in (default 12 hours), besides the 8 hours idle. */
  sessionAbsoluteMs?: number;
  /** The EPAO's name, in every page's header. */
  serviceName: string;
  temporalUrl: (epaId: string) => string;
  /** The links the board's CSV gives each EPA (its page on the public base URL); default: from `temporalUrl` and http://127.0.0.1:8080. */
  links?: EpaLinks;
  now: () => number;
}

export async function staffPages(app: FastifyInstance, o: StaffPagesOptions): Promise<void> {
  const ctx: PageContext = { serviceName: o.serviceName };
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // The CSV import's file upload: one file of at most 10 MB, its fields (the CSRF token) on the body.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5 },
  });
  await setUpSecurityHeaders(app, o.https);
  await setUpSessions(app, {
    secret: o.sessionSecret,
    secure: o.https,
    users: o.users,
    ...(o.sessionStore && { store: o.sessionStore }),
    ...(o.sessionAbsoluteMs && { absoluteMs: o.sessionAbsoluteMs }),
    now: o.now,
  });
  // A form's field sent twice (a forged or broken form) is refused in words before any route reads it.
  app.addHook('preValidation', async (req) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    const repeated = Object.entries(body as Record<string, unknown>).find(([, v]) => Array.isArray(v));
    if (repeated)
      throw new EpaInputError(`The field "${repeated[0].slice(0, 40)}" was sent more than once: send each field once.`, 'body');
  });
  // Pages with personal data are never kept by a browser's or a proxy's cache: every page but the static assets.
  app.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
  });
  await app.register(fastifyRateLimit, { global: false });
  // Nunjucks views (src/web/views) with GOV.UK Frontend's macros; its stylesheet, fonts and images under /assets.
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [viewsDir, govukDir, mojDir],
    options: {
      autoescape: true,
      throwOnUndefined: false,
      // MoJ Frontend's timeline formats its dates with this filter: London time, in words.
      onConfigure: (env: nunjucks.Environment) => env.addFilter('mojDate', londonDateTimeText),
    },
  });
  await app.register(fastifyStatic, {
    // MoJ's stylesheet asks for its images under /assets/images (the filter tags' remove cross).
    root: [
      path.join(govukDir, 'govuk/assets'),
      path.join(govukDir, 'govuk'),
      path.join(mojDir, 'moj'),
      path.join(mojDir, 'moj/assets'),
      publicDir,
    ],
    prefix: '/assets/',
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const kind = errorKindOf(err);
    const [code, title, message] =
      kind === 'not_found'
        ? [httpStatusOf(kind), 'Not found', err.message]
        : kind
          ? [httpStatusOf(kind), 'There is a problem', err.message]
          : err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET'
            ? [403, 'The form has expired', 'Go back, reload the page and try again.']
            : err.statusCode === 429
              ? [429, 'Too many attempts', 'Wait a few minutes, then try again.']
              : err.statusCode === 403
                ? [403, 'You cannot do that', err.message]
                : err.statusCode && err.statusCode < 500
                  ? [err.statusCode, 'There is a problem', 'The request could not be understood.']
                  : [500, 'Sorry, there is a problem with the service', `Try again later (request ${req.id}).`];
    if (code === 500) req.log.error({ err }, 'page failed');
    return render(req, reply.code(code), ctx, 'pages/error.njk', { title, message });
  });

  app.get('/', async (req, reply) => reply.redirect(req.session.user ? '/epas' : '/login'));
  authRoutes(app, ctx, o.users, o.now);
  epaRoutes(app, ctx, o.epa, o.listings, o.temporalUrl, o.now, o.sentCopies ?? NO_COPIES);
  eventRoutes(app, ctx, o.epa, o.now);
  actionRoutes(app, ctx, o.epa, o.now);
  noteRoutes(app, ctx, o.epa, o.now);
  resendRoutes(app, ctx, o.epa, o.sentCopies ?? NO_COPIES, o.now);
  taskRoutes(app, ctx, { epa: o.epa, listings: o.listings, users: o.users }, o.now);
  startRoutes(app, ctx, o.epa, o.defaultEpaoAdmin, o.now);
  dashboardRoutes(app, ctx, o.listings, o.links ?? epaLinks('http://127.0.0.1:8080', o.temporalUrl), o.now);
  accountRoutes(app, ctx, { users: o.users, audit: o.accountAudit ?? new MemoryAccountAudit() }, o.now);
}
