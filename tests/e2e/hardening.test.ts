/**
 * Requests that once wedged or misused an EPA, against the real dev server and the HTTP API:
 * impossible dates refused before anything runs, a start made around the client ends cleanly,
 * API writes take bearer tokens and JSON only (no cookie, no form), errors keep one shape, a
 * finished EPA is restarted only explicitly with a reason, and a 500 is logged with its request id
 * and no personal data.
 */
import { Writable } from 'node:stream';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { addDays, londonDateOf } from '../../src/calendar';
import { freePort } from '../../src/temporal/binaries';
import { EpaClient } from '../../src/app/epa-client';
import { rules } from '../../src/plans';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { settledHistoryLength } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { testApi } from '../support/worker-stack';
import { passGatewayWith } from '../support/walk';

const ADMIN = 'admin-token-for-hardening-0123';
const OPS = 'ops-token-for-hardening-01234';
const today = londonDateOf(Date.now());
let stack: DevStack;
let api: FastifyInstance;

const apiFor = (epa: EpaClient, logger?: { level: string; stream: NodeJS.WritableStream }) =>
  testApi(epa, { admin: [ADMIN], ops: [OPS] }, logger);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  // No late entry's summary falls inside the test (its timer would add to a history compared before and after).
  stack = await startDevStack({ taskQueue: 'epa-hardening', lateEntryQuietSeconds: 3600 });
  api = apiFor(stack.epa);
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
});

async function runsOf(uln: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = "epa-${uln}"` })) n++;
  return n;
}

test('a start dated 9999, 2099 or tomorrow is a 400 naming the field, and nothing runs', async () => {
  for (const date of ['9999-12-25', '2099-01-01', addDays(today, 1)]) {
    const input = epaStart({ gatewaySubmittedOn: date });
    const res = await api.inject({ method: 'POST', url: '/api/epas', headers: bearer(ADMIN), payload: input });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_input',
      field: 'gatewaySubmittedOn',
      message: expect.stringMatching(/between 2001-01-01 and 2073-12-31|in the future/),
    });
    expect(await runsOf(input.uln)).toBe(0);
  }
});

test('events dated 1999 or booked for 2099 are refused at once with a 400; the EPA is untouched and no task fails', async () => {
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -10) });
  await stack.epa.start(input);
  await passGatewayWith((type, payload) => stack.epa.recordEvent(input.uln, type, payload), 'ST0071', addDays(today, -5));
  const handle = stack.client.workflow.getHandle(`epa-${input.uln}`);
  const before = await settledHistoryLength(handle);
  const started = Date.now();
  const old = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: bearer(ADMIN),
    payload: { type: 'AssessmentTaken', on: '1999-06-01', component: 'observation' },
  });
  expect(old.statusCode).toBe(400);
  expect(old.json()).toMatchObject({ error: 'invalid_input', field: 'event.on' });
  const far = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: bearer(ADMIN),
    payload: { type: 'AssessmentBooked', on: today, component: 'observation', at: '2099-01-26T10:00' },
  });
  expect(far.statusCode).toBe(400);
  expect(far.json()).toMatchObject({ field: 'event.at', message: expect.stringContaining('2073-12-31') });
  expect(Date.now() - started).toBeLessThan(5000);
  const events = (await handle.fetchHistory()).events!;
  expect(events.length).toBe(before);
  expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  expect((await stack.epa.status(input.uln)).stage).toBe('InAssessment');
});

test('a workflow started around the client with an impossible date ends with the reason instead of failing its task for ever', async () => {
  const input = epaStart({ gatewaySubmittedOn: '9999-12-25' });
  const handle = await stack.client.workflow.start('epaWorkflow', {
    workflowId: `epa-${input.uln}`,
    taskQueue: stack.taskQueue,
    args: [{ ...input, rules: rules().resolve(input.standard, input.epao) }],
  });
  const failure = await handle.result().catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/cannot start this EPA/);
  const events = (await handle.fetchHistory()).events!;
  expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
});

test('API writes take a bearer token and JSON only: the dashboard cookie and form bodies are refused; auth comes before the body', async () => {
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -3) });
  await stack.epa.start(input);
  const handle = stack.client.workflow.getHandle(`epa-${input.uln}`);
  const before = await settledHistoryLength(handle);
  const cookie = { cookie: `epa_token=${encodeURIComponent(ADMIN)}` };
  const asForm = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:9999' },
    payload: `type=Withdrawn&on=${today}&reason=forged`,
  });
  expect(asForm.statusCode).toBe(401);
  expect(asForm.json()).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('not a cookie') });
  const asJson = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: cookie,
    payload: { type: 'Withdrawn', on: today, reason: 'forged' },
  });
  expect(asJson.statusCode).toBe(401);
  const formWithToken = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { ...bearer(ADMIN), 'content-type': 'application/x-www-form-urlencoded' },
    payload: `type=Withdrawn&on=${today}&reason=forged`,
  });
  expect(formWithToken.statusCode).toBe(415);
  expect(formWithToken.json()).toMatchObject({ error: 'unsupported_media_type', message: expect.any(String) });
  expect((await handle.fetchHistory()).events!.length).toBe(before);
  expect((await stack.epa.status(input.uln)).stage).toBe('GatewayReview');
  // Authentication first: a malformed body from nobody is a 401, not a parse error.
  const anonymous = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: { 'content-type': 'application/json' },
    payload: '{"uln": ',
  });
  expect(anonymous.statusCode).toBe(401);
});

test('404, 414 and 415 bodies are {error, message} and echo no URL', async () => {
  const missing = await api.inject({ method: 'GET', url: '/api/nothing-here/9123456786', headers: bearer(OPS) });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toEqual({ error: 'not_found', message: 'no such route' });
  const long = await api.inject({ method: 'GET', url: `/api/epas/${'9'.repeat(300)}`, headers: bearer(OPS) });
  expect(long.statusCode).toBe(414);
  expect(long.json()).toEqual({ error: 'uri_too_long', message: 'the URL is too long' });
  const text = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: { ...bearer(ADMIN), 'content-type': 'text/plain' },
    payload: 'hello',
  });
  expect(text.statusCode).toBe(415);
  expect(Object.keys(text.json()).sort()).toEqual(['error', 'message']);
});

test('a finished EPA is never restarted silently: 409, then an explicit restart with a reason; every run stays readable', async () => {
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -3) });
  await api.inject({ method: 'POST', url: '/api/epas', headers: bearer(ADMIN), payload: input });
  const notYet = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/restart`,
    headers: bearer(ADMIN),
    payload: { ...input, reason: 'entered twice' },
  });
  expect(notYet.statusCode).toBe(409);
  expect(notYet.json()).toMatchObject({ error: 'rejected_transition', message: expect.stringContaining('still running') });
  await stack.epa.recordEvent(input.uln, 'Withdrawn', { on: today, reason: 'recorded against the wrong apprentice' });
  await stack.client.workflow.getHandle(`epa-${input.uln}`).result();

  const again = await api.inject({ method: 'POST', url: '/api/epas', headers: bearer(ADMIN), payload: input });
  expect(again.statusCode).toBe(409);
  expect(again.json()).toMatchObject({ error: 'already_exists', message: expect.stringContaining('has finished') });
  const noReason = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/restart`,
    headers: bearer(ADMIN),
    payload: input,
  });
  expect(noReason.json()).toMatchObject({ error: 'invalid_input', field: 'reason' });
  const restarted = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/restart`,
    headers: bearer(ADMIN),
    payload: { ...input, reason: 'withdrawn in error: the apprentice is continuing' },
  });
  expect(restarted.statusCode).toBe(201);
  expect(restarted.json()).toMatchObject({
    uln: input.uln,
    restartOf: { previousStatus: 'completed', reason: 'withdrawn in error: the apprentice is continuing' },
  });

  const status = (await api.inject({ method: 'GET', url: `/api/epas/${input.uln}`, headers: bearer(OPS) })).json() as {
    stage: string;
    restartOf: { previousRunId: string };
  };
  expect(status.stage).toBe('GatewayReview');
  const runs = (await api.inject({ method: 'GET', url: `/api/epas/${input.uln}/runs`, headers: bearer(OPS) })).json() as {
    runs: { runId: string; status: string }[];
  };
  expect(runs.runs.map((r) => r.status)).toEqual(['running', 'completed']);
  expect(runs.runs[1]!.runId).toBe(status.restartOf.previousRunId);
  // The first run's record is still there to read.
  const old = await stack.client.workflow.getHandle(`epa-${input.uln}`, runs.runs[1]!.runId).describe();
  expect(old.status.name).toBe('COMPLETED');
});

test('a 500 (Temporal unreachable) is logged as JSON with its request id and no personal data', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  // A real client on a port where nothing listens, without the SDK's retries, so the failure is quick.
  const connection = await Connection.connect({
    address: `127.0.0.1:${await freePort()}`,
    interceptors: [],
    connectTimeout: 500,
  }).catch(() => undefined);
  const deadClient = connection
    ? new Client({ connection })
    : new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] }) });
  const broken = apiFor(new EpaClient(deadClient, 'nowhere'), { level: 'info', stream });
  const uln = '9123456700';
  const res = await broken.inject({
    method: 'GET',
    url: `/api/epas/${uln}`,
    headers: { ...bearer(OPS), 'x-request-id': 'req-test-000123' },
  });
  await broken.close();
  expect(res.statusCode).toBe(500);
  expect(res.json()).toEqual({ error: 'internal', message: 'internal error (request req-test-000123)' });
  expect(res.headers['x-request-id']).toBe('req-test-000123');
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const failed = records.find((r) => r.msg === 'request failed');
  expect(failed).toMatchObject({ level: 50, reqId: 'req-test-000123', err: { message: expect.any(String) } });
  const all = lines.join('\n');
  expect(all).not.toContain(uln);
  expect(all).not.toContain(OPS);
  expect(all).not.toMatch(/@[a-z]+\.example/);
  expect(records.find((r) => r.msg === 'incoming request')).toMatchObject({
    reqId: 'req-test-000123',
    req: { method: 'GET', url: '/api/epas/<uln>' },
  });
}, 60_000);

test('malformed bodies are a 400 in words before anything reaches Temporal: JSON nested 100,000 deep, empty, not JSON, too large', async () => {
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -3) });
  await stack.epa.start(input);
  const handle = stack.client.workflow.getHandle(`epa-${input.uln}`);
  const before = await settledHistoryLength(handle);
  const deep = '{"type":"Withdrawn","on":"' + today + '","reason":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  const post = (payload: string, url = `/api/epas/${input.uln}/events`) =>
    api.inject({ method: 'POST', url, headers: { ...bearer(ADMIN), 'content-type': 'application/json' }, payload });
  for (const [payload, message] of [
    [deep, 'the JSON is nested more than 32 deep'],
    ['', 'the body is empty'],
    ['{"type": "Withdrawn",', 'the body is not valid JSON'],
    ['{"__proto__": {"admin": true}, "type": "Withdrawn"}', 'the body is not valid JSON'],
  ] as const) {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', message: expect.stringContaining(message) });
  }
  const start = await post('{"uln":' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + '}', '/api/epas');
  expect(start.statusCode).toBe(400);
  const huge = await post(JSON.stringify({ type: 'Withdrawn', on: today, reason: 'x'.repeat(2 * 1024 * 1024) }));
  expect(huge.statusCode).toBe(413);
  expect(huge.json()).toMatchObject({ error: 'payload_too_large' });
  expect((await handle.fetchHistory()).events!.length).toBe(before);
});

test('names with NUL, a right-to-left override or a lone surrogate are refused with the field and the character, on start and on a correction', async () => {
  for (const [name, found] of [
    ['Bram\u0000 Okafor', 'U+0000'],
    ['Bram \u202erofakO', 'U+202E'],
    ['Bram \u2066Okafor', 'U+2066'],
    ['Bram \udc00Okafor', 'U+DC00'],
  ] as const) {
    const input = epaStart({ gatewaySubmittedOn: addDays(today, -3), apprentice: { name, email: 'bram@apprentice.example' } });
    const res = await api.inject({ method: 'POST', url: '/api/epas', headers: bearer(ADMIN), payload: input });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_input',
      field: 'apprentice.name',
      message: expect.stringContaining(found),
    });
    expect(await runsOf(input.uln)).toBe(0);
  }
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -3) });
  await stack.epa.start(input);
  const correction = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: bearer(ADMIN),
    payload: { type: 'ContactDetailsChanged', on: today, role: 'employer', organisation: 'Acme\u202e Ltd' },
  });
  expect(correction.statusCode).toBe(400);
  expect(correction.json()).toMatchObject({ error: 'invalid_input', message: expect.stringContaining('U+202E') });
});
