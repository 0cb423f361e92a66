/**
 * The HTTP API and the ops dashboard (fastify). Bearer tokens with two roles: admin (writes) and
 * ops (read-only); the dashboard signs in with the same tokens into an HttpOnly cookie.
 * 400 names the field, 401/403 for auth, 404 for an unknown EPA, 409 for a refused transition or rule.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { londonDateOf } from '../calendar';
import { EpaInputError, fromZodError, isEpaError } from '../epa/errors';
import { eventTypes } from '../epa/events';
import { EpaStartSchema } from '../epa/people';
import { stages } from '../epa/state';
import { EpaAlreadyExistsError, EpaNotFoundError, EpaRejectedError, type EpaClient, type EpaFilter, type EpaListing, type OverdueEpa } from '../temporal/epa-client';
import { renderDashboard, renderLogin } from './dashboard';
import { openApiDocument } from './openapi';
import { validatePlans } from '../plans/validate';

export type Role = 'admin' | 'ops';

export interface ApiOptions {
  epa: EpaClient;
  adminTokens: string[];
  opsTokens: string[];
  /** Default EPAO admin mailbox when a start request names none. */
  defaultEpaoAdmin: { name: string; email: string };
  temporalUiUrl: string;
  namespace: string;
  /** Clock for "days overdue" (tests pin it). */
  now?: () => number;
  logger?: boolean;
}

const COOKIE = 'epa_token';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface OverdueRow extends OverdueEpa {
  temporalUrl: string;
}

const FilterQuery = z
  .object({
    stage: z.string().optional(),
    standard: z.string().optional(),
    employer: z.string().optional(),
    epao: z.string().optional(),
    overdue: z.enum(['true', 'false']).optional(),
  })
  .strict();

export function buildApi(options: ApiOptions): FastifyInstance {
  validatePlans();
  const app = Fastify({ logger: options.logger ?? false });
  const now = options.now ?? (() => Date.now());
  const roleOf = (token: string | undefined): Role | undefined => {
    if (!token) return undefined;
    if (options.adminTokens.some((t) => sameToken(t, token))) return 'admin';
    if (options.opsTokens.some((t) => sameToken(t, token))) return 'ops';
    return undefined;
  };
  const tokenOf = (req: FastifyRequest): string | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
    const cookie = req.headers.cookie
      ?.split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === COOKIE);
    return cookie?.[1] ? decodeURIComponent(cookie[1]) : undefined;
  };
  const requireRole = (needed: Role) => async (req: FastifyRequest, reply: FastifyReply) => {
    const token = tokenOf(req);
    const role = roleOf(token);
    if (!role) {
      if (req.url.startsWith('/dashboard')) return reply.redirect('/login');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: token ? 'unknown token' : 'send Authorization: Bearer <token>' });
    }
    if (needed === 'admin' && role !== 'admin') return reply.code(403).send({ error: 'forbidden', message: 'this token may only read' });
  };
  const read = { preHandler: requireRole('ops') };
  const write = { preHandler: requireRole('admin') };

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof EpaInputError) return reply.code(400).send({ error: err.kind, message: err.message, field: err.path });
    if (err instanceof EpaNotFoundError) return reply.code(404).send({ error: err.kind, message: err.message });
    if (err instanceof EpaAlreadyExistsError) return reply.code(409).send({ error: err.kind, message: err.message });
    if (err instanceof EpaRejectedError) {
      const code = err.kind === 'invalid_input' ? 400 : 409;
      return reply.code(code).send({ error: err.kind, message: err.message, ...(err.path && { field: err.path }) });
    }
    if (isEpaError(err)) return reply.code(409).send({ error: err.kind, message: err.message });
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: 'bad_request', message: e.message });
    app.log.error(err);
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });

  const parseFilter = (query: unknown): EpaFilter => {
    const q = FilterQuery.safeParse(query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const { overdue, ...rest } = q.data;
    return { ...rest, ...(overdue !== undefined && { overdue: overdue === 'true' }) };
  };

  const temporalUrl = (epaId: string) => `${options.temporalUiUrl}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(epaId)}`;

  const overdueRows = async (): Promise<OverdueRow[]> =>
    (await options.epa.overdue(londonDateOf(now()))).map((e) => ({ ...e, temporalUrl: temporalUrl(e.epaId) }));

  const stageCounts = async (): Promise<Record<string, number>> => {
    const counts = await Promise.all(stages.map(async (stage) => [stage, await options.epa.count({ stage })] as const));
    return Object.fromEntries(counts.filter(([, n]) => n > 0));
  };

  const upcoming = async (): Promise<EpaListing[]> => {
    const from = new Date(now()).toISOString();
    const to = new Date(now() + 14 * 86_400_000).toISOString();
    const rows = await options.epa.list({ running: true, nextDeadlineFrom: from, nextDeadlineTo: to });
    return rows.sort((a, b) => (a.nextDeadline?.due ?? '').localeCompare(b.nextDeadline?.due ?? ''));
  };

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => openApiDocument());

  app.post('/api/epas', write, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = EpaStartSchema.safeParse({ epaoAdmin: options.defaultEpaoAdmin, ...body });
    if (!parsed.success) throw fromZodError(parsed.error);
    const { epaId, input } = await options.epa.start(parsed.data);
    return reply.code(201).header('location', `/api/epas/${input.uln}`).send({ epaId, uln: input.uln });
  });

  app.post('/api/epas/:uln/events', write, async (req) => {
    const { uln } = req.params as { uln: string };
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new EpaInputError('send the event as a JSON object with a "type"', 'body');
    const { type, ...payload } = body as Record<string, unknown>;
    if (typeof type !== 'string') throw new EpaInputError(`required: one of ${eventTypes.join(', ')}`, 'type');
    return await options.epa.recordEvent(uln, type, payload);
  });

  app.get('/api/epas', read, async (req) => ({ epas: await options.epa.list(parseFilter(req.query)) }));
  app.get('/api/epas/overdue', read, async () => ({ epas: await overdueRows() }));
  app.get('/api/epas/overdue.csv', read, async (_req, reply) => csvReply(reply, await overdueRows()));
  app.get('/api/epas/:uln', read, async (req) => await options.epa.status((req.params as { uln: string }).uln));
  app.get('/api/stages', read, async () => ({ counts: await stageCounts() }));

  // The ops dashboard: server-rendered, no build step, no script needed.
  app.get('/', async (_req, reply) => reply.redirect('/dashboard'));
  app.get('/login', async (req, reply) => reply.type('text/html; charset=utf-8').send(renderLogin((req.query as { error?: string }).error !== undefined)));
  app.post('/login', async (req, reply) => {
    const token = String((req.body as Record<string, unknown> | undefined)?.token ?? '');
    if (!roleOf(token)) return reply.redirect('/login?error');
    return reply
      .header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`)
      .redirect('/dashboard');
  });
  app.post('/logout', async (_req, reply) => reply.header('set-cookie', `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).redirect('/login'));
  app.get('/dashboard', read, async (_req, reply) => {
    const [overdue, counts, soon] = await Promise.all([overdueRows(), stageCounts(), upcoming()]);
    return reply.type('text/html; charset=utf-8').send(renderDashboard({ overdue, counts, upcoming: soon, today: londonDateOf(now()), temporalUrl }));
  });
  app.get('/dashboard/overdue.csv', read, async (_req, reply) => csvReply(reply, await overdueRows()));

  return app;
}

function csvCell(value: string | number | boolean): string {
  const s = String(value);
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function overdueCsv(rows: OverdueRow[]): string {
  const header = ['ULN', 'Apprentice', 'Standard', 'EPAO', 'Employer', 'Stage', 'Missed deadline', 'Due', 'Days overdue', 'Temporal'];
  const lines = rows.map((r) => [r.uln, r.apprentice, r.standard, r.epao, r.employer, r.stage, r.missedDeadline, r.missedDue, r.daysOverdue, r.temporalUrl].map(csvCell).join(','));
  return [header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
}

function csvReply(reply: FastifyReply, rows: OverdueRow[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="overdue-epas.csv"`)
    .send(overdueCsv(rows));
}
