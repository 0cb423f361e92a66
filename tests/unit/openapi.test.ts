/**
 * The OpenAPI document cannot drift from the server: it describes exactly the routes the server
 * registers (no more, no fewer), its schemas are the zod schemas the server validates with, its
 * error body is the one the server answers with, and it is a valid OpenAPI 3.1 document.
 * The server is built without Temporal: no request here reaches the EPA client.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openApiDocument, operations } from '../../src/api/openapi';
import { ApiError, FilterQuery } from '../../src/api/schemas';
import { buildApi } from '../../src/api/server';
import type { EpaListings } from '../../src/app/listings';
import type { EpaClient } from '../../src/app/epa-client';

const ADMIN = 'admin:admin-token-0123456789';
const OPS = 'ops:ops-token-0123456789abcd';
let api: FastifyInstance;

beforeAll(async () => {
  const unreachable = new Proxy({} as EpaClient, {
    get: (_t, name) => () => Promise.reject(new Error(`the EPA client's ${String(name)} is not part of this test`)),
  });
  // The lists come from a listing store that has no EPAs.
  const empty = new Proxy({} as EpaListings, { get: () => () => Promise.resolve([]) });
  api = buildApi({
    epa: unreachable,
    listings: empty,
    adminTokens: [ADMIN],
    opsTokens: [OPS],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://localhost:8233',
    namespace: 'default',
  });
  await api.ready();
});
afterAll(async () => await api.close());

/** Every route the server registers, as `METHOD /path` in OpenAPI's `{param}` form (HEAD, fastify's own, left out). */
function registeredRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const route = stack.join('').replace(/:([A-Za-z]+)/g, '{$1}');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== '-' && x !== 'HEAD')) out.push(`${method} ${route}`);
  }
  return out.sort();
}

test('the document lists exactly the routes the server registers', () => {
  const routes = registeredRoutes(api);
  expect(routes).toContain('GET /api/epas/{uln}');
  expect(Object.keys(operations).sort()).toEqual(routes);
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths).flatMap(([route, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${route}`),
  );
  expect(documented.sort()).toEqual(routes);
});

test("the filters documented for GET /api/epas are the server's: each is taken, and any other refused", async () => {
  const doc = openApiDocument() as { paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> };
  const names = doc.paths['/api/epas']!.get.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  expect(names).toEqual(Object.keys(FilterQuery.shape));
  const ops = { authorization: `Bearer ${OPS.split(':')[1]}` };
  const value: Record<string, string> = { overdue: 'true' };
  for (const name of names) {
    const taken = await api.inject({ method: 'GET', url: `/api/epas?${name}=${value[name] ?? 'x'}`, headers: ops });
    expect([name, taken.statusCode, taken.json()]).toEqual([name, 200, { epas: [] }]);
  }
  const refused = await api.inject({
    method: 'GET',
    url: '/api/epas?colour=red',
    headers: { authorization: `Bearer ${OPS.split(':')[1]}` },
  });
  expect(refused.statusCode).toBe(400);
  expect(refused.json()).toMatchObject({ error: 'invalid_input', field: 'query' });
});

test('the error bodies the server answers with are the documented Error schema', async () => {
  const ops = { authorization: `Bearer ${OPS.split(':')[1]}` };
  const answers = await Promise.all([
    api.inject({ method: 'GET', url: '/api/epas' }),
    api.inject({ method: 'POST', url: '/api/epas', headers: ops, payload: {} }),
    api.inject({ method: 'GET', url: '/api/epas?overdue=maybe', headers: ops }),
    api.inject({ method: 'GET', url: '/api/nothing-here', headers: ops }),
    api.inject({ method: 'GET', url: '/api/rules/ST9999', headers: ops }),
    api.inject({
      method: 'POST',
      url: '/api/epas',
      headers: { authorization: `Bearer ${ADMIN.split(':')[1]}`, 'content-type': 'text/plain' },
      payload: 'x',
    }),
  ]);
  expect(answers.map((a) => a.statusCode)).toEqual([401, 403, 400, 404, 404, 415]);
  for (const a of answers) expect(ApiError.safeParse(a.json()).error).toBeUndefined();
  // And a body that is not one is told apart.
  expect(ApiError.safeParse({ error: 'no_such_kind', message: 'x' }).success).toBe(false);
});

test('the document served is a valid OpenAPI 3.1 document', async () => {
  const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
  expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  // The validator is ESM-only: run it in its own Node process.
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator'; let s=''; process.stdin.on('data', d => s += d).on('end', async () => console.log(JSON.stringify(await new Validator().validate(JSON.parse(s)))));";
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(doc),
    encoding: 'utf8',
    cwd: __dirname,
  });
  expect(JSON.parse(run.stdout)).toEqual({ valid: true });
  expect(doc.info.version).toBe(
    (JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version,
  );
});
