/**
 * EPAs entered part-way through, with their history, on the real dev server with the real worker
 * process and a real SMTP server: messages honest about time (src/epa/late-entry.ts, an epa-flow
 * rule, not a seed rule). Deadlines exercised: 002 two-week gateway review, 002 Annex 2 results
 * within 7 working days.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import ICAL from 'ical.js';
import type { FastifyInstance } from 'fastify';
import { formatLondonDate } from '../../activities/templates';
import { addDays, londonDateOf } from '../../src/calendar';
import { EpaClient } from '../../src/app/epa-client';
import { IMPORT_COLUMNS, applyImport, planImport } from '../../src/app/import';
import type { EpaStart } from '../../src/epa/people';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import type { TestSmtp } from '../support/smtp';
import { startWorkerStack, testApi, type WorkerStack } from '../support/worker-stack';
import { gatewayHistory } from '../support/walk';

const today = londonDateOf(Date.now());
const ago = (n: number) => addDays(today, -n);
const ADMIN = 'admin-token-for-real-data-0123';
/** The quiet period before a late entry's summary (EPA_LATE_ENTRY_QUIET_SECONDS in npm start): long enough for one entry after another here. */
const QUIET_SECONDS = 8;
let stack: WorkerStack;
let smtp: TestSmtp;
let epa: EpaClient;
let api: FastifyInstance;

beforeAll(async () => {
  stack = await startWorkerStack('epa-real-data');
  smtp = stack.smtp;
  // The client every EPA here is started by, with the quiet period short (npm start: EPA_LATE_ENTRY_QUIET_SECONDS).
  epa = new EpaClient(stack.epa.client, stack.queue, { settings: { lateEntryQuietSeconds: QUIET_SECONDS } });
  api = testApi(epa, { admin: [ADMIN] });
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
});

const mailFor = (uln: string) => smtp.received.filter((m) => String(m.parsed.headers.get('x-epa-key')).startsWith(`epa-${uln}/`));
const kindOf = (m: { parsed: { headers: Map<string, unknown> } }) => String(m.parsed.headers.get('x-epa-kind'));
const ALERTS = ['deadlineMissed', 'epaPeriodEscalation', 'missedBeforeEntry'];

/** Waits until the EPA's first workflow task has run and its mail has had time to go. */
async function settled(uln: string): Promise<void> {
  await eventually(async () => expect((await epa.status(uln)).eventCount).toBeGreaterThan(0), 30_000);
  await new Promise((r) => setTimeout(r, 3000));
}

/** An ST0071 history from a gateway 60 days ago with every deadline met: the gateway (002), the observation and its result (002 Annex 2). */
function metHistory(): Record<string, unknown>[] {
  return [
    ...gatewayHistory('ST0071', ago(55)),
    { type: 'AssessmentBooked', on: ago(50), component: 'observation', at: `${ago(30)}T10:00` },
    { type: 'AssessmentTaken', on: ago(30), component: 'observation' },
    { type: 'GradeRecorded', on: ago(29), component: 'observation', grade: 'Pass' },
    { type: 'ResultModerated', on: ago(28), component: 'observation' }, // 001 §8
    { type: 'ResultPublished', on: ago(28), component: 'observation' },
  ];
}

test('an EPA entered with a fully met history sends no alert at all', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(60),
    events: metHistory(),
  });
  const res = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: input,
  });
  expect(res.statusCode).toBe(201);
  await settled(input.uln);
  const status = await epa.status(input.uln);
  expect(status.overdue).toBe(false);
  expect(status.eventCount).toBe(11);
  expect(mailFor(input.uln).filter((m) => ALERTS.includes(kindOf(m)))).toEqual([]);
  // Listed as it stands from the start: in assessment, not at the gateway.
  expect((await epa.list({ stage: 'InAssessment' })).map((e) => e.uln)).toContain(input.uln);
});

test('an EPA entered with one genuinely missed deadline: exactly one summary to the EPAO admin, nothing to anyone else', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(40),
    events: [
      ...gatewayHistory('ST0071', ago(38)),
      { type: 'AssessmentBooked', on: ago(37), component: 'observation', at: `${ago(20)}T10:00` },
      { type: 'AssessmentTaken', on: ago(20), component: 'observation' },
      { type: 'GradeRecorded', on: ago(19), component: 'observation', grade: 'Pass' },
    ],
  });
  await epa.start(input);
  await eventually(async () => expect(mailFor(input.uln)).toHaveLength(1), 30_000 + QUIET_SECONDS * 1000);
  await settled(input.uln);
  const mail = mailFor(input.uln);
  expect(mail).toHaveLength(1);
  expect(kindOf(mail[0]!)).toBe('missedBeforeEntry');
  expect(mail[0]!.to).toEqual(['epa-admin@epao.example']);
  expect(mail[0]!.parsed.subject).toBe(`Ada Testwell (ULN ${input.uln}): entered with 1 deadline already missed`);
  expect(mail[0]!.parsed.text).toContain('- observation result: due by the end of');
  expect(mail[0]!.parsed.text).toContain('still not done');
  expect(mail[0]!.parsed.text).toContain('(seed 002 Annex 2)');
  const status = await epa.status(input.uln);
  expect(status.overdue).toBe(true); // still shown as overdue to ops until it is done
  expect(status.log.map((l) => [l.kind, l.role, l.status])).toEqual([['missedBeforeEntry', 'epaoAdmin', 'sent']]);
});

test('a history with problems: every problem reported at once (400 invalid_history), nothing started', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(30),
    events: [
      ...gatewayHistory('ST0071', ago(25)),
      { type: 'AssessmentBooked', on: ago(24), component: 'observaton', at: `${ago(10)}T10:00` },
      { type: 'AssessmentBooked', on: ago(24), component: 'observation', at: `${ago(20)}T10:00` },
      { type: 'ReportSubmitted', on: ago(26), words: 2500 },
      { type: 'GradeRecorded', on: addDays(today, 2), component: 'project', grade: 'Pass' },
    ],
  });
  const res = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: input,
  });
  expect(res.statusCode).toBe(400);
  const body = res.json() as { error: string; problems: { index: number; field: string; message: string }[] };
  expect(body.error).toBe('invalid_history');
  expect(body.problems.map((p) => [p.index, p.field])).toEqual([
    [5, 'component'], // unknown component (after the 5 gateway events)
    [6, 'override.reason'], // 001 §5: under two weeks' notice, no override
    [7, 'type'], // dated before the event before it
    [8, 'type'], // after today
  ]);
  expect(body.problems[2]!.message).toContain('out of order');
  let runs = 0;
  for await (const _ of epa.client.workflow.list({ query: `WorkflowId = "epa-${input.uln}"` })) runs++;
  expect(runs).toBe(0);
  // The CLI lists them all too, and exits 2.
  const cli = spawn(process.execPath, [path.resolve(__dirname, '../../bin/epa.js'), 'start'], {
    env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: stack.queue },
  });
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  cli.stdin.end(JSON.stringify(input));
  const code = await new Promise((r) => cli.once('close', r));
  expect(code).toBe(2);
  expect(stderr).toContain('the history has 4 problem(s); nothing was started');
  expect(stderr.match(/events\[\d\]/g)).toEqual(['events[5]', 'events[6]', 'events[7]', 'events[8]']);
});

test('a single back-dated event that shows a deadline was missed before it was entered: a summary, not an OVERDUE burst', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(40),
    events: [
      ...gatewayHistory('ST0071', ago(38)),
      { type: 'AssessmentBooked', on: ago(37), component: 'observation', at: `${ago(20)}T10:00` },
    ],
  });
  await epa.start(input);
  await settled(input.uln);
  const before = mailFor(input.uln).length;
  // Recorded today: the observation took place 20 days ago, so its result (7 working days) is already late.
  await epa.recordEvent(input.uln, 'AssessmentTaken', { on: ago(20), component: 'observation' });
  await eventually(async () => expect(mailFor(input.uln).length).toBe(before + 1), 30_000 + QUIET_SECONDS * 1000);
  await new Promise((r) => setTimeout(r, 3000));
  const added = mailFor(input.uln).slice(before);
  expect(added.map(kindOf)).toEqual(['missedBeforeEntry']);
  expect(added[0]!.to).toEqual(['epa-admin@epao.example']);
});

/** Records `events` one after another, as staff typing in a paper file do (each an Update, in order). */
async function typeIn(uln: string, events: Record<string, unknown>[]): Promise<void> {
  for (const { type, ...payload } of events) await epa.recordEvent(uln, String(type), payload as Record<string, unknown>);
}

test('an EPA typed in event by event with every deadline met: no alert at all, only reminders of what is still to come (issue 28 part 2)', async () => {
  // Started with its gateway submission alone, 60 days ago: until the next entry, 002's two-week
  // review looks missed; until the last, the observation's result (002 Annex 2) looks late.
  const input = epaStart({ gatewaySubmittedOn: ago(60) });
  await epa.start(input);
  await eventually(async () => expect((await epa.status(input.uln)).eventCount).toBeGreaterThan(0), 30_000);
  await typeIn(input.uln, metHistory());
  // The quiet period passes with nothing to say.
  await new Promise((r) => setTimeout(r, (QUIET_SECONDS + 4) * 1000));
  const status = await epa.status(input.uln);
  expect(status.eventCount).toBe(11);
  expect(status.overdue).toBe(false);
  const mail = mailFor(input.uln);
  expect(mail.filter((m) => ALERTS.includes(kindOf(m)))).toEqual([]);
  // What did go out is about the future: the project, still to come, reminded (a deadline entered, not past).
  expect(mail.map(kindOf).every((k) => k === 'deadlineReminder')).toBe(true);
  const project = status.deadlines.find((d) => d.key === 'projectCompletionDue');
  expect(project?.status).toBe('open');
  for (const m of mail) expect(m.parsed.subject).toContain(formatLondonDate(project!.due));
  expect(status.log.filter((l) => l.kind === 'missedBeforeEntry')).toEqual([]);
});

test('an EPA typed in event by event whose gateway was reviewed late: exactly one summary to the admin, after the quiet period (002 two-week review)', async () => {
  const input = epaStart({ gatewaySubmittedOn: ago(40) });
  await epa.start(input);
  await eventually(async () => expect((await epa.status(input.uln)).eventCount).toBeGreaterThan(0), 30_000);
  // 002: reviewed within two weeks; it was reviewed 30 days after the submission.
  await typeIn(
    input.uln,
    gatewayHistory('ST0071', ago(10)).map((e) =>
      e.type === 'GatewayPassed' ? { ...e, override: { reason: 'entered from the paper file' } } : e,
    ),
  );
  const entered = Date.now();
  await new Promise((r) => setTimeout(r, (QUIET_SECONDS * 1000) / 2));
  expect(mailFor(input.uln)).toEqual([]); // still quiet: more entries may follow
  await eventually(async () => expect(mailFor(input.uln)).toHaveLength(1), 30_000 + QUIET_SECONDS * 1000);
  expect(Date.now() - entered).toBeGreaterThanOrEqual(QUIET_SECONDS * 1000);
  await new Promise((r) => setTimeout(r, 3000));
  const mail = mailFor(input.uln);
  expect(mail).toHaveLength(1);
  expect(kindOf(mail[0]!)).toBe('missedBeforeEntry');
  expect(mail[0]!.to).toEqual(['epa-admin@epao.example']);
  expect(mail[0]!.parsed.subject).toBe(`Ada Testwell (ULN ${input.uln}): entered with 1 deadline missed or met late`);
  expect(mail[0]!.parsed.text).toMatch(/- gateway review: due by the end of .*, met late \(\d+ days late\)/);
  expect(mail[0]!.parsed.text).toContain('(seed 002');
  const status = await epa.status(input.uln);
  expect(status.log.map((l) => [l.kind, l.role, l.status])).toEqual([['missedBeforeEntry', 'epaoAdmin', 'sent']]);
});

/** An import CSV of these EPAs (each with its history, if any), as staff would upload it. */
function importCsv(rows: EpaStart[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const fields = (s: EpaStart): Record<string, string> => ({
    uln: s.uln,
    apprentice_name: s.apprentice.name,
    apprentice_email: s.apprentice.email,
    employer: s.employer.organisation,
    employer_contact_name: s.employer.name,
    employer_contact_email: s.employer.email,
    provider: s.provider.organisation,
    provider_contact_name: s.provider.name,
    provider_contact_email: s.provider.email,
    standard: s.standard,
    epao: s.epao,
    gateway_submitted_on: s.gatewaySubmittedOn,
    events: s.events?.length ? JSON.stringify(s.events) : '',
  });
  return [IMPORT_COLUMNS.join(','), ...rows.map((r) => IMPORT_COLUMNS.map((c) => cell(fields(r)[c] ?? '')).join(','))].join('\n');
}

test('an import sends the EPAO admin one summary for the whole import, naming each apprentice with deadlines missed or met late (002 two-week gateway review)', async () => {
  const missed = epaStart({ gatewaySubmittedOn: ago(30) }); // 002: reviewed by 16 days ago; not yet
  const late = epaStart({ gatewaySubmittedOn: ago(40), events: gatewayHistory('ST0071', ago(20)) }); // reviewed after 20 days
  const clean = epaStart({ gatewaySubmittedOn: ago(6), events: gatewayHistory('ST0071', ago(3)) });
  const admin = { name: 'EPA Admin', email: 'epa-admin@epao.example' };
  const plan = await planImport(importCsv([missed, late, clean]), epa, { epaoAdmin: admin });
  expect(plan.counts).toEqual({ start: 3, skip: 0, refuse: 0 });
  const result = await applyImport(plan, epa);
  expect(result.started).toHaveLength(3);

  const ulns = [missed.uln, late.uln, clean.uln];
  const keyOf = (m: { parsed: { headers: Map<string, unknown> } }) => String(m.parsed.headers.get('x-epa-key'));
  const about = () =>
    smtp.received.filter(
      (m) =>
        (kindOf(m) === 'importSummary' && ulns.some((u) => m.parsed.text?.includes(u))) ||
        (ulns.some((u) => keyOf(m).startsWith(`epa-${u}/`)) && ALERTS.includes(kindOf(m))),
    );
  await eventually(
    async () => expect(about().some((m) => kindOf(m) === 'importSummary')).toBe(true),
    30_000 + QUIET_SECONDS * 1000,
  );
  await new Promise((r) => setTimeout(r, 3000));
  const sent = about();
  expect(sent.map((m) => [kindOf(m), m.to])).toEqual([['importSummary', ['epa-admin@epao.example']]]);
  const text = sent[0]!.parsed.text!;
  expect(sent[0]!.parsed.subject).toBe('Import: 2 apprentices entered with deadlines missed or met late');
  expect(text).toMatch(
    new RegExp(
      `\\(ULN ${missed.uln}, ST0071\\):\\n  - gateway review: due by the end of [^\\n]*, still not done; [^\\n]*\\(seed 002 Gateway\\)`,
    ),
  );
  expect(text).toMatch(
    new RegExp(
      `\\(ULN ${late.uln}, ST0071\\):\\n  - gateway review: due by the end of [^\\n]*, met late \\(\\d+ days late\\); [^\\n]*\\(seed 002 Gateway\\)`,
    ),
  );
  expect(text).not.toContain(clean.uln);
  // The summary has finished: it heard from the two entering late; the clean EPA sent it nothing.
  const summary = epa.client.workflow.getHandle(keyOf(sent[0]!).split('/')[0]!); // epa-import-<id>
  expect(await summary.result()).toEqual({ reported: 2, listed: 2 });
});

test('the same event posted twice with one Idempotency-Key: one answer, one set of emails; another event under the key: 409', async () => {
  const input = epaStart({ gatewaySubmittedOn: ago(10), events: [...gatewayHistory('ST0071', ago(5))] });
  await epa.start(input);
  await settled(input.uln);
  const url = `/api/epas/${input.uln}/events`;
  const headers = { authorization: `Bearer ${ADMIN}`, 'idempotency-key': 'booking-2f9c7a' };
  const booking = {
    type: 'AssessmentBooked',
    on: today,
    component: 'observation',
    at: `${addDays(today, 21)}T10:00`,
    assessor: { name: 'Priya Lockhart', email: 'priya@assessors.example' },
  };
  const first = await api.inject({ method: 'POST', url, headers, payload: booking });
  const second = await api.inject({ method: 'POST', url, headers, payload: booking });
  expect(first.statusCode).toBe(200);
  expect(second.statusCode).toBe(200);
  expect(second.json()).toEqual(first.json());
  await eventually(async () => expect(mailFor(input.uln).filter((m) => kindOf(m) === 'invite')).toHaveLength(3), 30_000);
  await new Promise((r) => setTimeout(r, 3000));
  expect(
    mailFor(input.uln)
      .filter((m) => kindOf(m) === 'invite')
      .map((m) => m.to[0])
      .sort(),
  ).toEqual(['ada.testwell@apprentice.example', 'noor.castellan@brightside.example', 'priya@assessors.example']);
  const history = (await epa.client.workflow.getHandle(`epa-${input.uln}`).fetchHistory()).events ?? [];
  expect(history.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  const other = await api.inject({ method: 'POST', url, headers, payload: { ...booking, at: `${addDays(today, 22)}T10:00` } });
  expect(other.statusCode).toBe(409);
  expect(other.json()).toMatchObject({ error: 'duplicate_event_id' });
  expect((await epa.status(input.uln)).eventCount).toBe(7); // submitted, 5 gateway events, the one booking
});

test('a start sent twice under one Idempotency-Key: the first answer; other details under the key: 409; no key: already exists', async () => {
  const input = epaStart({ gatewaySubmittedOn: ago(3) });
  const headers = { authorization: `Bearer ${ADMIN}`, 'idempotency-key': 'start-81d2' };
  const first = await api.inject({ method: 'POST', url: '/api/epas', headers, payload: input });
  const again = await api.inject({ method: 'POST', url: '/api/epas', headers, payload: input });
  expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
  expect(again.json()).toEqual(first.json());
  const changed = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers,
    payload: { ...input, gatewaySubmittedOn: ago(4) },
  });
  expect(changed.json()).toMatchObject({ error: 'duplicate_event_id' });
  const noKey = await api.inject({
    method: 'POST',
    url: '/api/epas',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: input,
  });
  expect(noKey.json()).toMatchObject({ error: 'already_exists' });
});

test('a repeat is recognised after the EPA has continued as new', async () => {
  const input = epaStart({ gatewaySubmittedOn: ago(10) });
  await epa.start(input, { historyLimit: 20 });
  const override = { reason: 'gateway evidence checked on paper' }; // the subject here is the key, not the evidence
  await epa.recordEvent(input.uln, 'GatewayPassed', { on: ago(5), override }, { idempotencyKey: 'pass-1' });
  for (let i = 0; i < 6; i++) await epa.recordEvent(input.uln, 'ReportSubmitted', { on: today, words: 2500 + i });
  await eventually(async () => expect((await epa.status(input.uln)).runs).toBeGreaterThan(1), 30_000);
  const count = (await epa.status(input.uln)).eventCount;
  expect(
    (await epa.recordEvent(input.uln, 'GatewayPassed', { on: ago(5), override }, { idempotencyKey: 'pass-1' })).eventCount,
  ).toBe(count);
  await expect(
    epa.recordEvent(input.uln, 'GatewayPassed', { on: ago(4), override }, { idempotencyKey: 'pass-1' }),
  ).rejects.toMatchObject({
    kind: 'duplicate_event_id',
  });
});

test('every event records who recorded it (the token’s name) and when; the status shows the timeline', async () => {
  const named = testApi(epa, { admin: ['ana.okafor:admin-token-for-ana-0123'] });
  const headers = { authorization: 'Bearer admin-token-for-ana-0123' };
  const input = epaStart({ gatewaySubmittedOn: ago(12), events: [...gatewayHistory('ST0071', ago(10))] });
  expect((await named.inject({ method: 'POST', url: '/api/epas', headers, payload: input })).statusCode).toBe(201);
  const booked = await named.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers,
    payload: {
      type: 'AssessmentBooked',
      on: today,
      component: 'observation',
      at: `${addDays(today, 7)}T10:00`,
      override: { reason: 'the apprentice asked for an early date' },
      by: 'Kim at Northgate',
    },
  });
  expect(booked.statusCode).toBe(200);
  const status = await epa.status(input.uln);
  await named.close();
  expect(status.timeline.map((t) => [t.number, t.type, t.by])).toEqual([
    [1, 'GatewaySubmitted', 'ana.okafor'],
    [2, 'PortfolioSubmitted', 'ana.okafor'],
    [3, 'GatewayEvidenceRecorded', 'ana.okafor'],
    [4, 'GatewayPassed', 'ana.okafor'],
    [5, 'PlanningMeetingBooked', 'ana.okafor'],
    [6, 'PlanningMeetingHeld', 'ana.okafor'],
    [7, 'AssessmentBooked', 'ana.okafor for Kim at Northgate'],
  ]);
  expect(status.timeline[3]!.changed).toContain('stage GatewayReview → InAssessment');
  expect(status.timeline[6]).toMatchObject({
    reason: 'the apprentice asked for an early date',
    recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  });
});

test('a wrong email is corrected without restarting: later mail goes to the new address; an employer renamed is listed by the new name', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(6),
    events: [...gatewayHistory('ST0071', ago(4))],
    apprentice: { name: 'Ada Testwell', email: 'ada.wrong@apprentice.example' },
  });
  await epa.start(input);
  await settled(input.uln);
  // The gateway outcome (002) went out at the start, to the address as first given; what follows the fix must not.
  const sentBefore = mailFor(input.uln).length;
  const bad = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: { type: 'ContactDetailsChanged', on: today, role: 'apprentice', organisation: 'Nowhere Ltd' },
  });
  expect(bad.json()).toMatchObject({ error: 'invalid_input', field: 'event.organisation' });
  const fixed = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: {
      type: 'ContactDetailsChanged',
      on: today,
      role: 'apprentice',
      email: 'ada.testwell@apprentice.example',
      reason: 'typo in the gateway form',
    },
  });
  expect(fixed.statusCode).toBe(200);
  await epa.recordEvent(input.uln, 'ContactDetailsChanged', {
    on: today,
    role: 'employer',
    organisation: 'Brightside Homes Ltd',
  });
  await epa.recordEvent(input.uln, 'AssessmentBooked', {
    on: today,
    component: 'observation',
    at: `${addDays(today, 21)}T10:00`,
  });
  await eventually(async () => expect(mailFor(input.uln).filter((m) => kindOf(m) === 'invite')).toHaveLength(2), 30_000);
  expect(
    mailFor(input.uln)
      .slice(sentBefore)
      .flatMap((m) => m.to),
  ).not.toContain('ada.wrong@apprentice.example');
  expect(mailFor(input.uln).find((m) => m.to[0] === 'ada.testwell@apprentice.example')).toBeDefined();
  const status = await epa.status(input.uln);
  expect(status.people.apprentice.email).toBe('ada.testwell@apprentice.example');
  expect(status.timeline.filter((t) => t.type === 'ContactDetailsChanged').map((t) => [t.changed, t.reason])).toEqual([
    [["apprentice's email changed"], 'typo in the gateway form'],
    [["employer's organisation changed"], undefined],
  ]);
  await eventually(
    async () =>
      expect((await epa.list({ employer: 'brightside homes ltd' })).map((e) => [e.uln, e.employer])).toEqual([
        [input.uln, 'Brightside Homes Ltd'],
      ]),
    30_000,
  );
});

/** The calendar part of an invite email: its METHOD, UID, SEQUENCE and start (London wall time). */
function calendarOf(mail: { parsed: { attachments: { contentType: string; content: Buffer }[] } }) {
  const ics = mail.parsed.attachments
    .find((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')!
    .content.toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toString().slice(0, 16),
  };
}

test('voiding an event recorded in error: the EPA is worked out without it, invites are put right, and what depends on it is protected', async () => {
  const input = epaStart({ gatewaySubmittedOn: ago(6), events: [...gatewayHistory('ST0071', ago(4))] });
  await epa.start(input);
  const to = (email: string) =>
    mailFor(input.uln)
      .filter((m) => m.to[0] === email && (kindOf(m) === 'invite' || kindOf(m) === 'inviteCancelled'))
      .map(calendarOf)
      // Deliveries run side by side, so two updates may arrive in either order; a calendar applies
      // the highest SEQUENCE whatever the order, so they are compared by SEQUENCE.
      .sort((a, b) => a.sequence - b.sequence);
  const apprentice = input.apprentice.email;
  const first = `${addDays(today, 21)}T10:00`;
  const second = `${addDays(today, 28)}T10:00`;
  await epa.recordEvent(input.uln, 'AssessmentBooked', { on: today, component: 'observation', at: first, eventId: 'book-1' });
  await epa.recordEvent(input.uln, 'AssessmentBooked', { on: today, component: 'observation', at: second, eventId: 'move-1' });
  await eventually(async () => expect(to(apprentice).map((c) => c.sequence)).toEqual([0, 1]), 30_000);

  // The reschedule was a mistake: void it. The booking is back at the first time, sent as SEQUENCE 2.
  const voided = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: { type: 'EventVoided', on: today, eventId: 'move-1', reason: 'rescheduled the wrong apprentice' },
  });
  expect(voided.statusCode).toBe(200);
  await eventually(async () => expect(to(apprentice)).toHaveLength(3), 30_000);
  const reissued = to(apprentice)[2]!;
  expect(reissued).toMatchObject({ method: 'REQUEST', sequence: 2, uid: to(apprentice)[0]!.uid, start: first });
  let status = await epa.status(input.uln);
  expect(status.components.observation!.attempts[0]!.booking!.at).toBe(first);
  expect(status.timeline.at(-1)).toMatchObject({
    type: 'EventVoided',
    reason: 'rescheduled the wrong apprentice',
    changed: expect.arrayContaining(['voided the AssessmentBooked of ' + today]),
  });

  // Sent again: the same answer, nothing more. An unknown id: 400.
  expect(
    (
      await api.inject({
        method: 'POST',
        url: `/api/epas/${input.uln}/events`,
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { type: 'EventVoided', on: today, eventId: 'move-1', reason: 'rescheduled the wrong apprentice' },
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await api.inject({
        method: 'POST',
        url: `/api/epas/${input.uln}/events`,
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { type: 'EventVoided', on: today, eventId: 'nope', reason: 'mistake' },
      })
    ).json(),
  ).toMatchObject({ error: 'invalid_input', field: 'eventId' });

  // A later reschedule counts on from there (SEQUENCE 3), so calendars take it.
  await epa.recordEvent(input.uln, 'AssessmentBooked', { on: today, component: 'observation', at: second, eventId: 'move-2' });
  await eventually(async () => expect(to(apprentice).map((c) => c.sequence)).toEqual([0, 1, 2, 3]), 30_000);

  // Voiding the booking itself: refused while the reschedule stands on it? No: voiding the first
  // booking leaves the reschedule, which becomes the booking. Voiding that: a CANCEL above the last SEQUENCE.
  await epa.recordEvent(input.uln, 'EventVoided', { on: today, eventId: 'move-2', reason: 'not needed after all' });
  await epa.recordEvent(input.uln, 'EventVoided', { on: today, eventId: 'book-1', reason: 'booked in error' });
  await eventually(async () => expect(to(apprentice).at(-1)).toMatchObject({ method: 'CANCEL', sequence: 5 }), 30_000);
  status = await epa.status(input.uln);
  expect(status.components.observation!.attempts).toEqual([]);
  expect(status.stage).toBe('InAssessment');
});

test('an event that later events depend on cannot be voided (void those first)', async () => {
  const input = epaStart({
    gatewaySubmittedOn: ago(40),
    events: [
      ...gatewayHistory('ST0071', ago(38)),
      { type: 'AssessmentBooked', on: ago(37), component: 'observation', at: `${ago(20)}T10:00`, eventId: 'b-1' },
      { type: 'AssessmentTaken', on: ago(20), component: 'observation', eventId: 't-1' },
    ],
  });
  await epa.start(input);
  const refused = await api.inject({
    method: 'POST',
    url: `/api/epas/${input.uln}/events`,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: { type: 'EventVoided', on: today, eventId: 'b-1', reason: 'wrong date' },
  });
  expect(refused.statusCode).toBe(409);
  expect(refused.json().message).toMatch(/cannot void the AssessmentBooked .*AssessmentTaken of .* depends on it/);
  expect(
    (await epa.recordEvent(input.uln, 'EventVoided', { on: today, eventId: 't-1', reason: 'not taken yet' })).components
      .observation!.attempts[0]!.takenOn,
  ).toBeUndefined();
});
