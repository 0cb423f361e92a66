/**
 * Input hardening against a running EPA on the dev server: random and malformed Updates (through
 * the client) and API bodies (through the HTTP API) are either accepted or refused cleanly; a
 * refusal never changes the history, no workflow task ever fails, and the EPA keeps answering.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import { acceptedDates, addDays, daysBetween, londonDateOf } from '../../src/calendar';
import { EpaInputError } from '../../src/epa/errors';
import { eventTypes } from '../../src/epa/events';
import { EpaRejectedError } from '../../src/app/epa-client';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventsAddedSince, settledHistoryLength } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { ulnFrom } from '../../src/epa/uln';

/** A fixed seed, so a run can be repeated (EPA_FUZZ_SEED to try others; fast-check prints the seed of a failure). */
const seed = Number(process.env.EPA_FUZZ_SEED ?? 260_001);

let stack: DevStack;
let api: FastifyInstance;
const ADMIN = 'admin-token-for-the-fuzz-test';
const today = londonDateOf(Date.now());
const input = epaStart({ gatewaySubmittedOn: addDays(today, -20) });

beforeAll(async () => {
  // A late entry's summary an hour after the last entry: its timer (one second by default) would
  // fire between an accepted event and the next refusal on a loaded machine, and add to the history.
  stack = await startDevStack({ taskQueue: 'epa-fuzz', lateEntryQuietSeconds: 3600 });
  api = buildApi({
    epa: stack.epa,
    adminTokens: [ADMIN],
    opsTokens: [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
  });
  await stack.epa.start(input);
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
});

/**
 * Dates near today (so events are accepted and the EPA moves on), anywhere across the accepted range
 * and beyond it on both sides, and its edges: every one must be accepted or refused cleanly.
 */
const day = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -25, max: 5 }).map((n) => addDays(today, n)) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: -4000, max: daysBetween('1990-01-01', '2110-12-31') }).map((n) => addDays('1990-01-01', n)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      acceptedDates.from,
      acceptedDates.to,
      addDays(acceptedDates.from, -1),
      addDays(acceptedDates.to, 1),
      '9999-12-25',
      '0001-01-01',
      '2075-12-31',
    ),
  },
);
const value = fc.oneof(
  fc.anything(),
  day,
  fc.constantFrom(
    'observation',
    'project',
    'discussion',
    'showcase',
    'Pass',
    'Distinction',
    'Fail',
    '2026-02-30',
    `${addDays(today, 20)}T10:00`,
  ),
);
const payload = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        'on',
        'component',
        'at',
        'grade',
        'words',
        'pieces',
        'reason',
        'override',
        'passCriteriaMet',
        'distinctionCriteriaMet',
        'extra',
      ),
      value,
    ),
  },
  { weight: 1, arbitrary: fc.anything() },
);
// Withdrawn ends the EPA (every later event is refused), so the fuzz keeps it running.
const type = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...eventTypes.filter((t) => t !== 'Withdrawn')) },
  { weight: 1, arbitrary: fc.string() },
);
/** Well-formed-looking events of each type, so some are accepted and the EPA moves on while fuzzed. */
const plausible = fc.record(
  {
    // Mostly today (events must not go back in time), so accepted events move the EPA on.
    on: fc.oneof({ weight: 3, arbitrary: fc.constant(today) }, { weight: 1, arbitrary: day }),
    component: fc.constantFrom('observation', 'project', 'discussion'),
    at: fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((n) => `${addDays(today, n)}T10:00`),
      day.map((d) => `${d}T10:00`),
    ),
    grade: fc.constantFrom('Fail', 'Pass', 'Distinction'),
    words: fc.integer({ min: 2000, max: 3000 }),
    pieces: fc.integer({ min: 8, max: 16 }),
    reason: fc.constantFrom('illness', 'assessor unavailable'),
    override: fc.constant({ reason: 'fuzz override' }),
    englishMaths: fc.constantFrom({ english: 'Level 2', maths: 'Level 2' }, { english: 'BSL', maths: 'Level 1' }),
    employerSignOff: fc.constant(true),
    outcome: fc.constantFrom('upheld', 'dismissed'),
  },
  { requiredKeys: ['on'] },
);
const fieldsOf: Record<string, string[]> = {
  GatewayRejected: ['reason'],
  GatewayPassed: ['override'], // gateway evidence is mostly missing here: passed with an override
  GatewayEvidenceRecorded: ['englishMaths', 'employerSignOff'],
  PlanningMeetingBooked: ['at'],
  ResultModerated: ['component'],
  AppealLodged: ['component', 'reason', 'override'],
  AppealDecided: ['component', 'outcome', 'grade'],
  AssessmentBooked: ['component', 'at', 'override'],
  AssessmentCancelled: ['component', 'reason'],
  ReportSubmitted: ['words'],
  PortfolioSubmitted: ['pieces', 'override'],
  ShowcaseSubmitted: ['pieces'],
  AssessmentTaken: ['component'],
  GradeRecorded: ['component', 'grade'],
  ResultPublished: ['component'],
  ExtenuatingCircumstances: ['component'],
  Withdrawn: ['reason'],
};
const typedEvent = fc
  .tuple(fc.constantFrom(...eventTypes.filter((t) => t !== 'Withdrawn')), plausible)
  .map(([t, p]): [string, Record<string, unknown>] => {
    const keep = new Set(['on', ...(fieldsOf[t] ?? [])]);
    return [t, Object.fromEntries(Object.entries(p).filter(([k]) => keep.has(k)))];
  });
// Typed events weigh three times the wholly random ones, so enough are accepted to move the EPA on
// (at even weights, 3 of 200 were accepted in one CI run, below the test's floor of 5).
const event = fc.oneof({ weight: 1, arbitrary: fc.tuple(type, payload) }, { weight: 3, arbitrary: typedEvent });

async function history() {
  return (await stack.client.workflow.getHandle(`epa-${input.uln}`).fetchHistory()).events ?? [];
}

/** Waits until the workflow has finished what an accepted event set off (deliveries, search attributes). */
const settled = () => settledHistoryLength(stack.client.workflow.getHandle(`epa-${input.uln}`));

test('random Updates: accepted or refused cleanly; refusals add nothing to the history; no workflow task fails', async () => {
  let accepted = 0;
  let refused = 0;
  let before = await settled();
  await fc.assert(
    fc.asyncProperty(event, async ([t, p]) => {
      try {
        await stack.epa.recordEvent(input.uln, t, p as Record<string, unknown>);
        accepted++;
        before = await settled();
      } catch (err) {
        if (!(err instanceof EpaRejectedError || err instanceof EpaInputError)) throw err;
        refused++;
        const events = await history();
        expect([t, eventsAddedSince(events, before)]).toEqual([t, []]);
        before = events.length;
      }
    }),
    { numRuns: 200, seed },
  );
  console.log(`fuzzed Updates: ${accepted} accepted, ${refused} refused`);
  expect(refused).toBeGreaterThan(100);
  expect(accepted).toBeGreaterThanOrEqual(5);
  const events = await history();
  expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  expect((await stack.epa.status(input.uln)).uln).toBe(input.uln);
});

/** Start requests dated anywhere: most are refused (future, outside the range), some start an EPA. */
const startBody = fc.tuple(day, fc.integer({ min: 0, max: 899_999_999 })).map(([gatewaySubmittedOn, n]) => ({
  ...input,
  uln: ulnFrom(String(910_000_000 + n)) ?? String(9_100_000_000 + n),
  gatewaySubmittedOn,
}));

test('1,000 random API bodies, dates across the whole range: 200/201/400/404/409 with a JSON error, never a 5xx', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.jsonValue(),
        event.map(([t, p]) => (p && typeof p === 'object' && !Array.isArray(p) ? { ...p, type: t } : p)),
        startBody,
      ),
      fc.constantFrom(
        `/api/epas/${input.uln}/events`,
        '/api/epas',
        '/api/epas',
        '/api/epas/1999999990/events',
        `/api/epas/${input.uln}x/events`,
      ),
      async (body, url) => {
        const res = await api.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect([200, 201, 400, 404, 409]).toContain(res.statusCode);
        if (res.statusCode >= 400) expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      },
    ),
    { numRuns: Number(process.env.EPA_FUZZ_API_RUNS ?? 1000), seed },
  );
  console.log(`API statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  const malformed = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    payload: '{"type": "GatewayPassed", ',
  });
  expect(malformed.statusCode).toBe(400);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000);
  const events = await history();
  expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  // No EPA the fuzz started has a failed workflow task either.
  for await (const wf of stack.client.workflow.list({ query: 'WorkflowType = "epaWorkflow"' })) {
    const h = (await stack.client.workflow.getHandle(wf.workflowId).fetchHistory()).events ?? [];
    expect([wf.workflowId, h.filter((e) => e.workflowTaskFailedEventAttributes).length]).toEqual([wf.workflowId, 0]);
  }
}, 600_000);
