/**
 * The HTTP API (fastify), and the staff pages (src/web) on the same server.
 *
 * - API routes (`/api/…`) take bearer tokens only, in the Authorization header: admin (writes) and
 *   ops (read-only). No cookie is accepted there, and writes take JSON only, so a form on another
 *   site (or another port of this host) cannot act with a signed-in user's cookie.
 * - The staff pages sign in staff accounts (epa users) into sessions, with CSRF tokens on every
 *   form and security headers, in their own context (src/web): the API never reads their cookie.
 * - Authentication runs before the body is read. Errors are JSON `{error, message, field?}`: 400
 *   names the field, 401/403 for auth, 404 for an unknown EPA or route, 409 for a refused transition
 *   or rule, 414 for an over-long URL, 415 for a body that is not JSON, 500 logged with its request id.
 * - Logs are structured (pino) and carry the request id (also sent back as `x-request-id`); they hold
 *   no personal data: method, path with ULNs masked, status, timing, and error messages with emails
 *   and ULNs masked. Tokens and cookies are never logged.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { EpaHistoryError, EpaInputError, EpaRuleViolationError, fromZodError } from '../epa/errors';
import { adminEventTypes } from '../epa/events';
import { EpaStartSchema } from '../epa/people';
import { loggableUrl, withoutPersonalData } from '../redact';
import { EpaRejectedError, type EpaClient, type EpaFilter } from '../app/epa-client';
import { errorKindOf, httpStatusOf, type ErrorKind } from '../app/errors';
import { epaLinks, overdueBoard, overdueCsv, stageCounts, type OverdueRow } from '../app/epas';
import { VisibilityListings, type EpaListings } from '../app/listings';
import type { AccountAudit, UserStore } from '../app/users';
import type { SessionStore } from '@fastify/session';
import { staffPages } from '../web';
import { openApiDocument } from './openapi';
import { FilterQuery } from './schemas';
import { planImport, applyImport } from '../app/import';
import { describeStandard, rulesCatalogue } from '../app/rules';
import { rules } from '../plans';
import type { SentCopies } from '../../activities/sent-record';

export type Role = 'admin' | 'ops';

export interface ApiOptions {
  epa: EpaClient;
  /** Where lists of EPAs come from (default: Temporal's visibility through `epa`; src/app/listings.ts). */
  listings?: EpaListings;
  /** Bearer tokens, each `name:token` (the name is recorded as `by` on what it records) or a bare token. */
  adminTokens: string[];
  opsTokens: string[];
  /** Default EPAO admin mailbox when a start request names none. */
  defaultEpaoAdmin: { name: string; email: string };
  temporalUiUrl: string;
  /** The staff site's public base URL (EPA_PUBLIC_URL, config's publicBaseUrl): the CSV's links to each EPA's page. Default: http://127.0.0.1:8080. */
  publicUrl?: string;
  namespace: string;
  /** Clock for "days overdue" (tests pin it). */
  now?: () => number;
  /** Structured logs: false (none), true (info to stdout), or a level and a stream (tests read it). */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** Staff accounts: with a session secret, the staff pages are served (src/web); without, the API alone. */
  users?: UserStore;
  /** The audit list of changes to accounts (the accounts page); default: kept in this process's memory. */
  accountAudit?: AccountAudit;
  /** The copies of the messages sent (the message pages); without, a message page says none was kept. */
  sentCopies?: SentCopies;
  /** Where staff sessions live (default: this process's memory). */
  sessionStore?: SessionStore;
  sessionSecret?: string;
  /** Served over HTTPS: Secure session cookies and HSTS on the pages. */
  https?: boolean;
  /**
   * The TLS proxy in front (EPA_TRUST_PROXY), as fastify's `trustProxy` takes it: its addresses
   * (IPs or CIDR ranges), or true for any. Then `X-Forwarded-For` and `X-Forwarded-Proto` from it give the client's
   * address (the sign-in throttle) and https (Secure cookies). Default: none trusted.
   */
  trustProxy?: boolean | string[];
  /** A staff session's absolute lifetime from sign-in (default 12 hours). */
  sessionAbsoluteMs?: number;
  /** The EPAO's name in the pages' header. */
  serviceName?: string;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type { OverdueRow } from '../app/epas';

/** Error names for the HTTP statuses fastify itself produces, so every error body is `{error, message}`. */
const STATUS_ERRORS: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The largest JSON body taken (a start with 1,000 history events fits well within it). */
const MAX_JSON_BYTES = 1024 * 1024;
/** How deep a JSON body may nest: an EPA start is 4 deep; anything near this is not an EPA. */
export const MAX_JSON_DEPTH = 32;

/** How deep `text` nests its objects and arrays, counted before it is parsed (stopping past `limit`). */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** A refusal of the body itself (400 in words), before anything reads it. */
function badBody(message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * A refusal's JSON body: `{error, message}`, with the field at fault, the history's problems, or the
 * rules broken (`violations`: rule, message, citation, overridable) where there are.
 */
function refusal(err: Error, kind: ErrorKind): Record<string, unknown> {
  const body = { error: kind, message: err.message };
  if (err instanceof EpaInputError) return { ...body, field: err.path };
  if (err instanceof EpaHistoryError) return { ...body, problems: err.problems };
  if (err instanceof EpaRuleViolationError) return { ...body, violations: err.violations };
  if (err instanceof EpaRejectedError)
    return { ...body, ...(err.path && { field: err.path }), ...(err.violations.length > 0 && { violations: err.violations }) };
  return body;
}

function loggerOptions(logger: ApiOptions['logger']): false | Record<string, unknown> {
  if (!logger) return false;
  const { level = 'info', stream } = logger === true ? {} : logger;
  return {
    level,
    ...(stream && { stream }),
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: loggableUrl(req.url) }),
      res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: string; statusCode?: number }) => ({
        type: err.name,
        ...(err.code && { code: err.code }),
        message: withoutPersonalData(err.message ?? ''),
        stack: withoutPersonalData(err.stack ?? '', 4000),
      }),
    },
  };
}

export function buildApi(options: ApiOptions): FastifyInstance {
  rules(); // the rule files, loaded and checked before anything is served (RulesInvalidError lists every problem)
  const app = Fastify({
    logger: loggerOptions(options.logger),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: MAX_JSON_BYTES,
    // A caller's own request id is kept when it looks like one; otherwise a fresh UUID.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Router errors (an over-long or malformed URL) in the same shape as every other error, without echoing the URL.
    frameworkErrors: (err, _req, reply) => {
      const code: number = (err as { statusCode?: number }).statusCode ?? 400;
      const body = {
        error: STATUS_ERRORS[code] ?? 'bad_request',
        message: code === 414 ? 'the URL is too long' : 'the URL is not valid',
      };
      void (reply as FastifyReply).code(code as 400).send(body);
    },
  });
  const now = options.now ?? (() => Date.now());
  const named = (list: string[], role: Role) =>
    list.map((entry, i) => {
      const m = /^([A-Za-z0-9._-]{1,40}):(.{16,})$/.exec(entry);
      return m ? { name: m[1]!, token: m[2]! } : { name: `${role}-token-${i + 1}`, token: entry };
    });
  const tokens = [
    ...named(options.adminTokens, 'admin').map((t) => ({ ...t, role: 'admin' as Role })),
    ...named(options.opsTokens, 'ops').map((t) => ({ ...t, role: 'ops' as Role })),
  ];
  /** Who a request is, for `by`: the name of its bearer token. */
  const nameOf = (req: FastifyRequest): string => {
    const token = bearerOf(req);
    return tokens.find((t) => token !== undefined && sameToken(t.token, token))?.name ?? 'unknown';
  };
  /** `by` as recorded: the token's name, and whom it acted for when the body says so. */
  const recordedBy = (req: FastifyRequest, claimed: unknown): string =>
    typeof claimed === 'string' && claimed.trim() ? `${nameOf(req)} for ${claimed.trim().slice(0, 150)}` : nameOf(req);
  const roleOf = (token: string | undefined): Role | undefined => {
    if (!token) return undefined;
    return tokens.find((t) => sameToken(t.token, token))?.role;
    return undefined;
  };
  const bearerOf = (req: FastifyRequest): string | undefined => {
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  };
  /** API routes: the bearer token only (never the dashboard cookie). Runs before the body is parsed. */
  const apiRole = (needed: Role) => async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearerOf(req);
    const role = roleOf(token);
    if (!role) {
      const hint = token
        ? 'unknown token'
        : req.headers.cookie
          ? 'the API takes Authorization: Bearer <token>, not a cookie'
          : 'send Authorization: Bearer <token>';
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: hint });
    }
    if (needed === 'admin' && role !== 'admin')
      return reply.code(403).send({ error: 'forbidden', message: 'this token may only read' });
  };
  const read = { onRequest: apiRole('ops') };
  const write = { onRequest: apiRole('admin') };

  // JSON bodies only (the pages below add form bodies for themselves): text/plain, which a form on
  // any site can send, is not parsed either.
  app.removeContentTypeParser('text/plain');
  // JSON checked for depth before it is parsed (a body nested 100,000 deep never reaches a route,
  // let alone Temporal), then parsed as fastify does (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_JSON_BYTES }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(badBody('the body is empty: send a JSON object'), undefined);
    if (jsonDepth(text) > MAX_JSON_DEPTH)
      return done(badBody(`the JSON is nested more than ${MAX_JSON_DEPTH} deep: send the object as documented`), undefined);
    parseJson(req, text, (err, parsed) => {
      if (err) return done(badBody('the body is not valid JSON'), undefined);
      done(null, parsed);
    });
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route' }));

  app.setErrorHandler((err, req, reply) => {
    const kind = errorKindOf(err);
    if (kind) return reply.code(httpStatusOf(kind)).send(refusal(err as Error, kind));
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode < 500)
      return reply.code(e.statusCode).send({ error: STATUS_ERRORS[e.statusCode] ?? 'bad_request', message: e.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: `internal error (request ${req.id})` });
  });

  const parseFilter = (query: unknown): EpaFilter => {
    const q = FilterQuery.safeParse(query);
    if (!q.success) throw fromZodError(q.error, 'query');
    const { overdue, ...rest } = q.data;
    return { ...rest, ...(overdue !== undefined && { overdue: overdue === 'true' }) };
  };

  const temporalUrl = (epaId: string) =>
    `${options.temporalUiUrl}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(epaId)}`;

  const listings = options.listings ?? new VisibilityListings(options.epa);
  const links = epaLinks(options.publicUrl ?? 'http://127.0.0.1:8080', temporalUrl);
  const overdueRows = (): Promise<OverdueRow[]> => overdueBoard(listings, now(), links);

  /** The Idempotency-Key header: sent again with the same request, the first answer; with another, 409. */
  const idempotency = (req: FastifyRequest): { idempotencyKey?: string } => {
    const key = req.headers['idempotency-key'];
    return typeof key === 'string' ? { idempotencyKey: key } : {};
  };

  const startInput = (body: unknown): Record<string, unknown> => {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new EpaInputError('send the EPA as a JSON object', 'body');
    return { epaoAdmin: options.defaultEpaoAdmin, ...(body as Record<string, unknown>) };
  };

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => openApiDocument());

  app.post('/api/epas', write, async (req, reply) => {
    const parsed = EpaStartSchema.safeParse(startInput(req.body));
    if (!parsed.success) throw fromZodError(parsed.error);
    const { epaId, input } = await options.epa.start(parsed.data, undefined, { ...idempotency(req), by: nameOf(req) });
    return reply.code(201).header('location', `/api/epas/${input.uln}`).send({ epaId, uln: input.uln });
  });

  // Bulk import: a CSV body; a dry run unless ?apply=true (then it starts what the dry run would).
  void app.register(async (imports) => {
    imports.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    imports.post('/api/imports', write, async (req) => {
      if (typeof req.body !== 'string') throw new EpaInputError('send the CSV file as the body, Content-Type: text/csv', 'body');
      const apply = (req.query as { apply?: string }).apply === 'true';
      const plan = await planImport(req.body, options.epa, { epaoAdmin: options.defaultEpaoAdmin });
      const rows = plan.rows.map(({ input: _i, ...row }) => row);
      if (!apply) return { dryRun: true, counts: plan.counts, rows };
      return {
        dryRun: false,
        counts: plan.counts,
        rows,
        ...(await applyImport(plan, options.epa, undefined, `${nameOf(req)} (import)`)),
      };
    });
  });

  app.post('/api/epas/:uln/restart', write, async (req, reply) => {
    const { uln } = req.params as { uln: string };
    const { reason, ...rest } = startInput(req.body);
    if (rest.uln !== undefined && rest.uln !== uln)
      throw new EpaInputError(`must be the ULN in the path (${uln}) or left out`, 'uln');
    const { epaId, restartOf } = await options.epa.restart({ ...rest, uln }, reason as string);
    return reply.code(201).header('location', `/api/epas/${uln}`).send({ epaId, uln, restartOf });
  });

  app.post('/api/epas/:uln/events', write, async (req) => {
    const { uln } = req.params as { uln: string };
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new EpaInputError('send the event as a JSON object with a "type"', 'body');
    const { type, ...payload } = body as Record<string, unknown>;
    if (typeof type !== 'string') throw new EpaInputError(`required: one of ${adminEventTypes.join(', ')}`, 'type');
    return await options.epa.recordEvent(uln, type, { ...payload, by: recordedBy(req, payload.by) }, idempotency(req));
  });

  app.get('/api/epas', read, async (req) => ({ epas: await listings.all(parseFilter(req.query), 'apprentice', now()) }));
  app.get('/api/epas/overdue', read, async () => ({ epas: await overdueRows() }));
  app.get('/api/epas/overdue.csv', read, async (_req, reply) => csvReply(reply, await overdueRows()));
  app.get('/api/epas/:uln', read, async (req) => await options.epa.status((req.params as { uln: string }).uln));
  app.get('/api/epas/:uln/runs', read, async (req) => ({ runs: await options.epa.runs((req.params as { uln: string }).uln) }));
  app.get('/api/stages', read, async () => ({ counts: await stageCounts(listings) }));
  // The rules the EPAs follow, each with its citation (the same as `epa rules list` and `epa rules show`).
  app.get('/api/rules', read, async () => rulesCatalogue());
  app.get('/api/rules/:standard', read, async (req, reply) => {
    const { standard } = req.params as { standard: string };
    const { version } = req.query as { version?: string };
    const registry = rules();
    if (!registry.standardIds.includes(standard.toUpperCase()))
      return reply
        .code(httpStatusOf('not_found'))
        .send({ error: 'not_found', message: `no standard ${standard} (one of: ${registry.standardIds.join(', ')})` });
    if (version !== undefined && !registry.plan(standard.toUpperCase(), version))
      return reply
        .code(httpStatusOf('not_found'))
        .send({ error: 'not_found', message: `${standard.toUpperCase()} has no version ${version}` });
    return describeStandard(standard, version);
  });

  // The staff pages (src/web): sessions, CSRF and security headers in their own context, never the API's.
  if (options.users && options.sessionSecret)
    void app.register(staffPages, {
      epa: options.epa,
      listings,
      users: options.users,
      ...(options.accountAudit && { accountAudit: options.accountAudit }),
      ...(options.sentCopies && { sentCopies: options.sentCopies }),
      ...(options.sessionStore && { sessionStore: options.sessionStore }),
      sessionSecret: options.sessionSecret,
      https: options.https ?? false,
      ...(options.sessionAbsoluteMs && { sessionAbsoluteMs: options.sessionAbsoluteMs }),
      serviceName: options.serviceName ?? 'epa-flow',
      defaultEpaoAdmin: options.defaultEpaoAdmin,
      temporalUrl,
      links,
      now,
    });

  return app;
}

function csvReply(reply: FastifyReply, rows: OverdueRow[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="overdue-epas.csv"`)
    .send(overdueCsv(rows));
}
