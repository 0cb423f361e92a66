/**
 * The OpenAPI 3.1 document served at /openapi.json, generated: every schema in it (bodies,
 * parameters, answers, the error body) is the JSON Schema of the zod schema the API validates or
 * answers with (zod's `z.toJSONSchema`), and every path is one entry of `operations` below, which a
 * test holds to the routes the server registers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AdminEpaEvent, adminEventTypes } from '../epa/events';
import {
  AnyObject,
  ApiError,
  EpaList,
  EpaRestartBody,
  EpaRuns,
  EpaStartBody,
  EpaStatus,
  FilterQuery,
  IdempotencyHeader,
  ImportQuery,
  Restarted,
  StandardPath,
  StandardQuery,
  Started,
  UlnPath,
} from './schemas';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  return rest;
}

/** The named schemas (components.schemas), each referred to by its name below. */
const components = {
  EpaStart: EpaStartBody,
  EpaEvent: AdminEpaEvent,
  EpaRestart: EpaRestartBody,
  Started,
  Restarted,
  EpaStatus,
  EpaList,
  EpaRuns,
  Error: ApiError,
} satisfies Record<string, z.ZodType>;
type Component = keyof typeof components;

/** A body or an answer: a named schema, an inline one, or CSV text. */
type Content = Component | z.ZodType | 'csv';

export interface Operation {
  summary: string;
  /** Who may call it: an admin token, any token (ops reads), or anyone. */
  access: 'admin' | 'read' | 'public';
  path?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: Content;
  /** The answer when it works. */
  ok: { status: 200 | 201; description: string; content: Content };
  /** The refusals this route gives besides 401 (and 403 for an ops token on an admin route), each with what it means. */
  refusals?: Partial<Record<400 | 404 | 409 | 415, string>>;
}

const invalidInput = 'Invalid input; `field` names it';
const noSuchEpa = 'No such EPA';

/** Every route of the API, keyed `METHOD /path` (OpenAPI's `{param}` form). */
export const operations: Record<string, Operation> = {
  'POST /api/epas': {
    summary:
      'Start an EPA (workflow epa-<ULN>) at its gateway submission (not in the future; dates 2001-01-01 to 2073-12-31), optionally with its history so far (events, oldest first: every problem is reported at once as invalid_history)',
    access: 'admin',
    headers: IdempotencyHeader,
    body: 'EpaStart',
    ok: { status: 201, description: 'Started', content: 'Started' },
    refusals: {
      400: `${invalidInput}; a history with problems: invalid_history with every problem`,
      409: 'An EPA for this ULN exists, running or finished (a finished one is started again with /restart)',
      415: 'The body is not JSON',
    },
  },
  'GET /api/epas': {
    summary: 'List EPAs, filtered',
    access: 'read',
    query: FilterQuery,
    ok: { status: 200, description: 'EPAs', content: 'EpaList' },
    refusals: { 400: 'An unknown or invalid filter; `field` names it' },
  },
  'GET /api/epas/overdue': {
    summary: 'Overdue EPAs, most overdue first',
    access: 'read',
    ok: { status: 200, description: 'EPAs', content: 'EpaList' },
  },
  'GET /api/epas/overdue.csv': {
    summary: 'Overdue EPAs as CSV (every cell quoted; a cell a spreadsheet would run as a formula starts with an apostrophe)',
    access: 'read',
    ok: { status: 200, description: 'CSV', content: 'csv' },
  },
  'GET /api/epas/{uln}': {
    summary: 'One EPA: the plan view, people, attempts and notification log',
    access: 'read',
    path: UlnPath,
    ok: { status: 200, description: 'Status', content: 'EpaStatus' },
    refusals: { 400: invalidInput, 404: noSuchEpa },
  },
  'POST /api/epas/{uln}/events': {
    summary: `Record an admin event (${adminEventTypes.join(', ')})`,
    access: 'admin',
    path: UlnPath,
    headers: IdempotencyHeader,
    body: 'EpaEvent',
    ok: { status: 200, description: 'Accepted; the new state', content: 'EpaStatus' },
    refusals: {
      400: invalidInput,
      404: noSuchEpa,
      409: 'Impossible now (rejected_transition), breaks a rule without override.reason (rule_violation), or an event id already used for another event (duplicate_event_id)',
    },
  },
  'POST /api/imports': {
    summary:
      'Bulk import: one apprentice per CSV row (header row); a dry run unless apply=true, then safe to repeat (a ULN already started is skipped)',
    access: 'admin',
    query: ImportQuery,
    body: 'csv',
    ok: {
      status: 200,
      description: 'What each row does (start, skip, refuse with every problem); with apply=true, what was started',
      content: AnyObject,
    },
    refusals: { 400: 'Not the expected CSV (field "file")' },
  },
  'POST /api/epas/{uln}/restart': {
    summary: 'Start a finished (withdrawn or completed) EPA again: the start request plus a reason, kept in the new run',
    access: 'admin',
    path: UlnPath,
    body: 'EpaRestart',
    ok: { status: 201, description: 'Started again', content: 'Restarted' },
    refusals: { 400: invalidInput, 404: 'No earlier EPA for this ULN', 409: 'The EPA is still running' },
  },
  'GET /api/epas/{uln}/runs': {
    summary: 'Every run of an EPA (first start, continue-as-new, restarts), newest first',
    access: 'read',
    path: UlnPath,
    ok: { status: 200, description: 'Runs', content: 'EpaRuns' },
    refusals: { 400: invalidInput, 404: noSuchEpa },
  },
  'GET /api/rules': {
    summary: 'The standards (with versions) and EPAO policies, and which EPAO assesses which standard',
    access: 'read',
    ok: { status: 200, description: 'The catalogue', content: AnyObject },
  },
  'GET /api/rules/{standard}': {
    summary: "A standard's plan and each EPAO's handling of it, every rule with its seed or marked as an EPAO setting",
    access: 'read',
    path: StandardPath,
    query: StandardQuery,
    ok: { status: 200, description: 'The plan in words', content: AnyObject },
    refusals: { 404: 'No such standard or version' },
  },
  'GET /api/stages': {
    summary: 'Counts of EPAs per stage',
    access: 'read',
    ok: { status: 200, description: 'Counts', content: AnyObject },
  },
  'GET /healthz': {
    summary: 'The server is up',
    access: 'public',
    ok: { status: 200, description: 'Up', content: z.object({ ok: z.literal(true) }) },
  },
  'GET /openapi.json': {
    summary: 'This document',
    access: 'public',
    ok: { status: 200, description: 'The OpenAPI document', content: AnyObject },
  },
};

function content(c: Content): Record<string, { schema: JsonSchema }> {
  if (c === 'csv') return { 'text/csv': { schema: { type: 'string' } } };
  const schema = typeof c === 'string' ? { $ref: `#/components/schemas/${c}` } : jsonSchema(c);
  return { 'application/json': { schema } };
}

function parameters(where: 'path' | 'query' | 'header', shape: z.ZodObject | undefined): JsonSchema[] {
  return Object.entries(shape?.shape ?? {}).map(([name, field]) => {
    const { description, ...schema } = jsonSchema(field as z.ZodType);
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(description !== undefined && { description }),
      schema,
    };
  });
}

function operationObject(op: Operation): JsonSchema {
  const refuse = (description: string) => ({ description, content: content('Error') });
  const refusals: Record<string, unknown> = Object.fromEntries(
    Object.entries(op.refusals ?? {}).map(([status, description]) => [status, refuse(description)]),
  );
  // A JSON body is checked before any route reads it (src/api/server.ts).
  if (op.body !== undefined && op.body !== 'csv') {
    const body = 'the body itself (bad_request): empty, not valid JSON, or nested more than 32 deep';
    const given = op.refusals?.[400];
    refusals['400'] = refuse(given ? `${given}; or ${body}` : `The body itself is refused: ${body}`);
    refusals['413'] = refuse('The body is over 1 MB');
  }
  if (op.access !== 'public') refusals['401'] = refuse('No or unknown bearer token (the API takes no cookie)');
  if (op.access === 'admin') refusals['403'] = refuse('Ops token');
  const params = [...parameters('path', op.path), ...parameters('query', op.query), ...parameters('header', op.headers)];
  return {
    summary: op.summary,
    ...(op.access === 'public' && { security: [] }),
    ...(params.length > 0 && { parameters: params }),
    ...(op.body !== undefined && { requestBody: { required: true, content: content(op.body) } }),
    responses: {
      [String(op.ok.status)]: { description: op.ok.description, content: content(op.ok.content) },
      ...Object.fromEntries(Object.entries(refusals).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

/** The version in the project's package.json (found upwards from here: src/api in tests, dist/src/api when built). */
function projectVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'epa-flow' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [key, op] of Object.entries(operations)) {
    const [method, route] = key.split(' ') as [string, string];
    (paths[route] ??= {})[method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'epa-flow API',
      version: projectVersion(),
      description: 'End-point assessments on durable Temporal workflows. Admin tokens write; ops tokens read.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, jsonSchema(schema)])),
    },
    security: [{ bearer: [] }],
    paths,
  };
}
