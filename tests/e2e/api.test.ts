/**
 * The HTTP API on the real dev server: auth (401/403), validation (400 naming the field), refused
 * transitions (409), the happy path (201/200), and an OpenAPI document that validates.
 * Rules exercised: 002 gateway review, 001 §5 notice.
 */
import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import { addDays, londonDateOf } from '../../src/calendar';
import { eventually, settledHistoryLength } from '../support/lifecycle';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { epaStart } from '../support/people';
import { gatewaySteps } from '../support/walk';

const ADMIN = 'admin-token-0123456789abcdef';
const OPS = 'ops-token-0123456789abcdefgh';
let stack: DevStack;
let api: FastifyInstance;
const today = londonDateOf(Date.now());

beforeAll(async () => {
  // No late entry's summary falls inside the test (its timer would add to a history compared before and after).
  stack = await startDevStack({ taskQueue: 'epa-api', lateEntryQuietSeconds: 3600 });
  api = buildApi({
    epa: stack.epa,
    adminTokens: [ADMIN],
    opsTokens: [OPS],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
  });
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
});

const as = (token: string | undefined) => (token ? { authorization: `Bearer ${token}` } : {});

test('auth: no token 401, unknown token 401, ops token writing 403, ops token reading 200', async () => {
  expect((await api.inject({ method: 'GET', url: '/api/epas' })).statusCode).toBe(401);
  expect((await api.inject({ method: 'GET', url: '/api/epas', headers: as('nope-nope-nope-nope') })).statusCode).toBe(401);
  const forbidden = await api.inject({ method: 'POST', url: '/api/epas', headers: as(OPS), payload: epaStart() });
  expect(forbidden.statusCode).toBe(403);
  expect((await api.inject({ method: 'GET', url: '/api/epas', headers: as(OPS) })).statusCode).toBe(200);
});

test('validation: 400 naming the field', async () => {
  const bad = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: as(ADMIN),
    payload: { ...epaStart(), uln: '12345' },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json()).toMatchObject({ error: 'invalid_input', field: 'uln' });
  const date = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: as(ADMIN),
    payload: { ...epaStart(), gatewaySubmittedOn: '2026-02-30' },
  });
  expect(date.json()).toMatchObject({ error: 'invalid_input', field: 'gatewaySubmittedOn' });
  const standard = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: as(ADMIN),
    payload: { ...epaStart(), standard: 'ST0099' },
  });
  expect(standard.json()).toMatchObject({ error: 'invalid_input', field: 'standard' });
  // An employer is free text: a value built to break out of the query matches nothing, harmlessly.
  const injection = await api.inject({ method: 'GET', url: '/api/epas?employer=x%22%20OR%20true', headers: as(OPS) });
  expect(injection.statusCode).toBe(200);
  expect(injection.json()).toEqual({ epas: [] });
  // A value that can never match (no such stage, standard or EPAO) is a 400 naming what exists, not an empty list.
  for (const [field, value] of [
    ['stage', 'Assessing'],
    ['standard', 'ST9999'],
    ['epao', 'nobody'],
  ]) {
    const res = await api.inject({ method: 'GET', url: `/api/epas?${field}=${value}`, headers: as(OPS) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_input', field, message: expect.stringContaining('one of:') });
  }
});

test('happy path 201/200, refused transition 409, unknown EPA 404; a refused event leaves the history unchanged', async () => {
  const input = epaStart({ gatewaySubmittedOn: addDays(today, -3) });
  const created = await api.inject({ method: 'POST', url: '/api/epas', headers: as(ADMIN), payload: input });
  expect(created.statusCode).toBe(201);
  expect(created.json()).toEqual({ epaId: `epa-${input.uln}`, uln: input.uln });
  expect((await api.inject({ method: 'POST', url: '/api/epas', headers: as(ADMIN), payload: input })).statusCode).toBe(409);

  // The gateway evidence first (001 §4, 002 Gateway): a pass without it is a rule violation.
  const early = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: as(ADMIN),
    payload: { type: 'GatewayPassed', on: today },
  });
  expect(early.statusCode).toBe(409);
  expect(early.json()).toMatchObject({ error: 'rule_violation', message: expect.stringContaining('gatewayEvidenceMissing') });
  for (const [type, payload] of gatewaySteps('ST0071', today).filter(
    ([t]) => t !== 'GatewayPassed' && t !== 'PlanningMeetingBooked',
  )) {
    const r = await api.inject({
      method: 'POST',
      url: `/api/epas/${input.uln}/events`,
      headers: as(ADMIN),
      payload: { type, on: today, ...payload },
    });
    expect([type, r.statusCode]).toEqual([type, 200]);
  }
  const passed = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: as(ADMIN),
    payload: { type: 'GatewayPassed', on: today },
  });
  expect(passed.statusCode).toBe(200);
  expect(passed.json()).toMatchObject({ stage: 'InAssessment', epaStart: today });

  const handle = stack.client.workflow.getHandle(`epa-${input.uln}`);
  const before = await settledHistoryLength(handle);
  const refused = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: as(ADMIN),
    payload: { type: 'GradeRecorded', on: today, component: 'project', grade: 'Pass' },
  });
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toMatchObject({
    error: 'rejected_transition',
    message: expect.stringContaining('no grade before the assessment'),
  });
  const notice = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: as(ADMIN),
    payload: { type: 'AssessmentBooked', on: today, component: 'observation', at: `${addDays(today, 5)}T10:00` },
  });
  expect(notice.statusCode).toBe(409);
  expect(notice.json()).toMatchObject({ error: 'rule_violation', message: expect.stringContaining("2 weeks' notice") });
  // The rules broken, as data: each with its citation and whether an override reason accepts it.
  expect(notice.json().violations).toEqual(
    expect.arrayContaining([
      { rule: 'assessmentNotice', message: expect.stringContaining("2 weeks' notice"), citation: '001 §5', overridable: true },
    ]),
  );
  const invalid = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: as(ADMIN),
    payload: { type: 'ReportSubmitted', on: today, words: 'many' },
  });
  expect(invalid.statusCode).toBe(400);
  expect(invalid.json()).toMatchObject({ error: 'invalid_input', field: 'event.words' });
  expect(
    (
      await api.inject({ method: 'POST', url: `/api/epas/${input.uln}/events`, headers: as(ADMIN), payload: { on: today } })
    ).json(),
  ).toMatchObject({ field: 'type' });
  expect((await handle.fetchHistory()).events!.length).toBe(before); // rejected Updates never enter history

  const status = await api.inject({ method: 'GET', url: `/api/epas/${input.uln}`, headers: as(OPS) });
  expect(status.statusCode).toBe(200);
  expect(status.json()).toMatchObject({
    uln: input.uln,
    stage: 'InAssessment',
    people: { employer: { organisation: 'Brightside Lettings Ltd' } },
  });
  expect((await api.inject({ method: 'GET', url: '/api/epas/1999999990', headers: as(OPS) })).statusCode).toBe(404);
  expect(
    (
      await api.inject({
        method: 'POST',
        url: '/api/epas/1999999990/events',
        headers: as(ADMIN),
        payload: { type: 'GatewayPassed', on: today },
      })
    ).statusCode,
  ).toBe(404);
});

test('overdue listing, CSV and stage counts', async () => {
  const late = epaStart({
    gatewaySubmittedOn: addDays(today, -30),
    apprentice: { name: 'Cleo "Quoted" Marchetti', email: 'cleo@apprentice.example' },
  });
  await api.inject({ method: 'POST', url: '/api/epas', headers: as(ADMIN), payload: late });
  const rows = await eventually(async () => {
    const r = (await api.inject({ method: 'GET', url: '/api/epas/overdue', headers: as(OPS) })).json() as {
      epas: { uln: string; daysOverdue: number; missedDeadline: string }[];
    };
    expect(r.epas.map((e) => e.uln)).toContain(late.uln);
    return r.epas;
  });
  expect(rows.find((e) => e.uln === late.uln)).toMatchObject({ missedDeadline: 'gatewayReviewDue', daysOverdue: 16 });
  const csv = await api.inject({ method: 'GET', url: '/api/epas/overdue.csv', headers: as(OPS) });
  expect(csv.headers['content-type']).toContain('text/csv');
  expect(csv.body).toContain(
    `"${late.uln}","Cleo ""Quoted"" Marchetti","ST0071 Customer Service Specialist","Innovate Awarding"`,
  );
  expect(csv.body).toContain(`"http://127.0.0.1:8080/epas/${late.uln}"`); // the EPA's own page (EPA_PUBLIC_URL unset: the default)
  const counts = (await api.inject({ method: 'GET', url: '/api/stages', headers: as(OPS) })).json() as {
    counts: Record<string, number>;
  };
  expect(counts.counts.GatewayReview).toBeGreaterThanOrEqual(1);
  const filtered = (
    await api.inject({
      method: 'GET',
      url: `/api/epas?stage=GatewayReview&employer=${encodeURIComponent('Brightside Lettings Ltd')}`,
      headers: as(OPS),
    })
  ).json() as { epas: { uln: string }[] };
  expect(filtered.epas.map((e) => e.uln)).toContain(late.uln);
  // Any case; any stored name, quotes and symbols included.
  const odd = epaStart({
    gatewaySubmittedOn: addDays(today, -2),
    employer: { organisation: 'Smith & Sons "Bakers" + Co. (Café)', name: 'Lena Fairweather', email: 'lena@smith.example' },
  });
  await stack.epa.start(odd);
  const byEmployer = async (name: string) =>
    (
      (await api.inject({ method: 'GET', url: `/api/epas?employer=${encodeURIComponent(name)}`, headers: as(OPS) })).json() as {
        epas: { uln: string }[];
      }
    ).epas.map((e) => e.uln);
  await eventually(async () => expect(await byEmployer('smith & sons "BAKERS" + co. (café)')).toEqual([odd.uln]));
  expect(await byEmployer('BRIGHTSIDE lettings ltd')).toContain(late.uln);
  expect(await byEmployer('Smith & Sons')).toEqual([]);
});

test('the rules: the catalogue and one standard in words, for ops and admins; an unknown standard 404', async () => {
  const catalogue = await api.inject({ method: 'GET', url: '/api/rules', headers: as(OPS) });
  expect(catalogue.statusCode).toBe(200);
  expect(catalogue.json().standards.map((s: { standard: string }) => s.standard)).toEqual(['ST0071', 'ST0072']);
  const st0072 = await api.inject({ method: 'GET', url: '/api/rules/st0072', headers: as(ADMIN) });
  expect(st0072.statusCode).toBe(200);
  expect(st0072.json()).toMatchObject({ standard: 'ST0072', epaos: [{ id: 'nqual' }] });
  expect((await api.inject({ method: 'GET', url: '/api/rules/ST9999', headers: as(OPS) })).json()).toMatchObject({
    error: 'not_found',
  });
  // A version: the one named, with the hash an EPA started on it records; a version not on file is a 404.
  const v11 = await api.inject({ method: 'GET', url: '/api/rules/ST0071?version=1.1', headers: as(OPS) });
  expect(v11.json()).toMatchObject({ version: '1.1', versions: ['1.1'], hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  const v9 = await api.inject({ method: 'GET', url: '/api/rules/ST0071?version=9.9', headers: as(OPS) });
  expect([v9.statusCode, v9.json().message]).toEqual([404, 'ST0071 has no version 9.9']);
  expect((await api.inject({ method: 'GET', url: '/api/rules' })).statusCode).toBe(401);
});

test('the OpenAPI document validates', async () => {
  const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json();
  // The validator is ESM-only: run it in its own Node process.
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator'; let s=''; process.stdin.on('data', d => s += d).on('end', async () => console.log(JSON.stringify(await new Validator().validate(JSON.parse(s)))));";
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(doc),
    encoding: 'utf8',
    cwd: __dirname,
  });
  expect(JSON.parse(run.stdout)).toEqual({ valid: true });
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/epas', '/api/epas/{uln}', '/api/epas/{uln}/events', '/api/epas/overdue']),
  );
});
