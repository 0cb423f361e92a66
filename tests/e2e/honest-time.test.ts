/**
 * Honest about time (issue #28 parts 1 and 3), on the real dev server:
 * - a gateway reviewed late is `metLate` in the EPA's status (API), a violation citing its rule in
 *   the status and in `epa plan` (CLI), and amber on the EPA page; seed 002 "What Happens During
 *   Gateway?" (the EPAO reviews the gateway within two weeks);
 * - a London time that does not exist (01:30 on 28 March 2027, the clocks go forward) and one that
 *   happens twice (01:30 on 31 October 2027, without its offset) are refused, with an override, through
 *   the API (400), the form, the CLI and the import, each saying why; nothing is recorded;
 * - a message that fails for good (a 550 from the mail server) is failed at once, shown on the EPA
 *   page, and the EPAO admin is told by email, without the refused address.
 * Mail goes through the real delivery activity to an SMTP server on loopback.
 */
import { dateInWords } from '../../src/epa/display-names';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAssessmentActivities, createDeliveryActivities, createListingActivities, smtpTransport } from '../../activities';
import { buildApi } from '../../src/api/server';
import { IMPORT_COLUMNS } from '../../src/app/import';
import { addUser } from '../../src/app/users';
import { addDays, londonDateOf } from '../../src/calendar';
import { SentStore } from '../../src/store/sent-record';
import { FileUserStore } from '../../src/store/user-store';
import { eventually } from '../support/lifecycle';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { csrfIn, signIn } from '../support/pages';
import { epaStart } from '../support/people';
import { gatewayHistory, gatewaySteps } from '../support/walk';

const ADMIN = 'admin-token-for-honest-time-0123';
const PASSWORD = 'correct horse battery staple';
const today = londonDateOf(Date.now());
const daysAgo = (n: number) => addDays(today, -n);
const GAP = '2027-03-28T01:30'; // the clocks go forward at 01:00 GMT: 01:00–01:59 does not exist
const TWICE = '2027-10-31T01:30'; // the clocks go back at 02:00 BST: 01:00–01:59 happens twice
const DOES_NOT_EXIST = /01:30 on 2027-03-28 does not exist in London: the clocks go forward from 01:00 to 02:00 that day/;
const HAPPENS_TWICE =
  /01:30 on 2027-10-31 happens twice in London.*2027-10-31T01:30\+01:00 for the first \(BST\) or 2027-10-31T01:30\+00:00 for the second \(GMT\)/;
const override = { reason: 'agreed with the employer' };

let stack: DevStack;
let api: FastifyInstance;
let dir: string;
let smtp: TestSmtp;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-honest-time-'));
  smtp = await startSmtp();
  stack = await startDevStack({
    taskQueue: 'epa-honest-time',
    activities: {
      ...createDeliveryActivities({
        transport: smtpTransport(smtp.url),
        from: { name: 'Innovate EPA Team', email: 'epa@innovate.example' },
        sent: new SentStore(path.join(dir, 'sent')),
      }),
      ...createListingActivities(),
      ...createAssessmentActivities({}),
    },
  });
  const users = new FileUserStore(path.join(dir, 'users.json'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: PASSWORD });
  api = buildApi({
    epa: stack.epa,
    adminTokens: [ADMIN],
    opsTokens: [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    users,
    sessionSecret: 'a-session-secret-for-honest-time-0123456789',
    serviceName: 'Example EPAO',
  });
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bin = path.resolve(__dirname, '../../bin/epa.js');
function epa(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: stack.taskQueue },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
const asAdmin = { authorization: `Bearer ${ADMIN}` };

/** An ST0071 EPA submitted `submittedDaysAgo` and through its gateway `passedDaysAgo` (events recorded live). */
async function throughGateway(submittedDaysAgo: number, passedDaysAgo: number, name: string) {
  const input = epaStart({
    gatewaySubmittedOn: daysAgo(submittedDaysAgo),
    apprentice: { name, email: 'apprentice@apprentice.example' },
  });
  await stack.epa.start(input);
  const on = daysAgo(passedDaysAgo);
  for (const [type, payload] of gatewaySteps('ST0071', on)) await stack.epa.recordEvent(input.uln, type, { on, ...payload });
  await stack.epa.recordEvent(input.uln, 'PlanningMeetingHeld', { on });
  return input;
}

test('a gateway reviewed 16 days late: metLate in the status, a violation in the status and in `epa plan`, amber on the page', async () => {
  const input = await throughGateway(30, 2, 'Mira Latimer');
  const status = await api.inject({ method: 'GET', url: `/api/epas/${input.uln}`, headers: asAdmin });
  expect(status.statusCode).toBe(200);
  const body = status.json() as {
    deadlines: { key: string; status: string; lateBy?: unknown }[];
    violations: { rule: string; source: string; message: string }[];
    metLate: { deadlines: number; epaoOwed: number };
    overdue: boolean;
  };
  expect(body.deadlines.find((d) => d.key === 'gatewayReviewDue')).toMatchObject({
    status: 'metLate',
    metOn: daysAgo(2),
    lateBy: { days: 14, unit: 'calendarDays' },
  });
  expect(body.violations).toContainEqual(
    expect.objectContaining({
      rule: 'gatewayReviewMetLate',
      source: '002 Gateway',
      message: expect.stringContaining('14 days after'),
    }),
  );
  expect(body.metLate).toEqual({ deadlines: 1, epaoOwed: 1 });
  expect(body.overdue).toBe(false);

  // `epa plan`: the same events, the same finding, from the same core.
  const events = [{ type: 'GatewaySubmitted', on: daysAgo(30) }, ...gatewayHistory('ST0071', daysAgo(2))];
  const plan = await epa(['plan', '--as-of', today], JSON.stringify({ standard: 'ST0071', epao: 'innovate', events }));
  expect(plan.code).toBe(0);
  const planned = JSON.parse(plan.stdout) as typeof body;
  expect(planned.deadlines.find((d) => d.key === 'gatewayReviewDue')).toMatchObject({ status: 'metLate' });
  expect(planned.violations.map((v) => v.rule)).toContain('gatewayReviewMetLate');

  // `epa status`: the status with how late, and the violation with its seed.
  const cliStatus = await epa(['status', input.uln]);
  expect(cliStatus.stdout).toMatch(/gatewayReviewDue\s+\S+\s+metLate \(14 days\)/);
  expect(cliStatus.stdout).toMatch(/gatewayReviewMetLate\s+\S+\s+gatewayReviewDue met on .*002 Gateway/);

  // The page: amber with how late, never a green Met; the violation listed with its citation.
  const { cookie } = await signIn(api, 'amira', PASSWORD);
  const page = await api.inject({ method: 'GET', url: `/epas/${input.uln}`, headers: { cookie } });
  expect(page.statusCode).toBe(200);
  const row = /data-deadline="gatewayReviewDue">([\s\S]*?)<\/tr>/.exec(page.body)![1]!;
  expect(row).toContain('govuk-tag--orange');
  expect(row).toContain(`Met late ${dateInWords(daysAgo(2))}: 14 days late`);
  expect(row).not.toContain('govuk-tag--green');
  expect(page.body).toMatch(/data-rule="gatewayReviewMetLate"[\s\S]*?14 days after it was due/);
  expect(page.body).toMatch(/id="met-late-count"[\s\S]*?1 deadline met late, 1 of them the EPAO's own/);
});

describe('London times that do not exist or happen twice: refused through every door, an override or not', () => {
  let uln: string;
  beforeAll(async () => {
    uln = (await throughGateway(10, 5, 'Tove Hartigan')).uln;
  });
  const booking = (at: string) => ({ type: 'AssessmentBooked', on: today, component: 'observation', at, override });
  const noBooking = async () => expect((await stack.epa.status(uln)).components.observation!.attempts).toEqual([]);

  test('the API: 400 in words, with the override; nothing recorded', async () => {
    for (const [at, words] of [
      [GAP, DOES_NOT_EXIST],
      [TWICE, HAPPENS_TWICE],
    ] as const) {
      const res = await api.inject({ method: 'POST', url: `/api/epas/${uln}/events`, headers: asAdmin, payload: booking(at) });
      expect([at, res.statusCode]).toEqual([at, 400]);
      expect(res.json()).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(words) });
      expect((res.json() as { field?: string }).field).toMatch(/at$/);
    }
    await noBooking();
  });

  test('the form: refused at the time field, with an override reason; the autumn time with BST is taken', async () => {
    const { cookie } = await signIn(api, 'amira', PASSWORD);
    const post = async (at: string, time: string) => {
      const form = await api.inject({ method: 'GET', url: `/epas/${uln}/events/new?type=AssessmentBooked`, headers: { cookie } });
      const [y, m, d] = today.split('-');
      const [ay, am, ad] = at.slice(0, 10).split('-');
      return await api.inject({
        method: 'POST',
        url: `/epas/${uln}/events`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrfIn(form.body),
          type: 'AssessmentBooked',
          formKey: /name="formKey" value="([^"]+)"/.exec(form.body)![1]!,
          'on-day': String(Number(d)),
          'on-month': String(Number(m)),
          'on-year': y!,
          component: 'observation',
          'at-day': String(Number(ad)),
          'at-month': String(Number(am)),
          'at-year': ay!,
          'at-time': time,
          overrideReason: override.reason,
        }).toString(),
      });
    };
    const gap = await post(GAP, '01:30');
    expect(gap.statusCode).toBe(400);
    expect(gap.body).toMatch(DOES_NOT_EXIST);
    const twice = await post(TWICE, '01:30');
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toMatch(/01:30 on 2027-10-31 happens twice in London/);
    await noBooking();
    // Given as the refusal asks (BST: the first 01:30), it is taken: an hour before the GMT one.
    const bst = await post(TWICE, '01:30 BST');
    expect([bst.statusCode, bst.headers.location]).toEqual([302, `/epas/${uln}`]);
    expect((await stack.epa.status(uln)).components.observation!.attempts[0]!.booking!.at).toBe('2027-10-31T01:30+01:00');
    await stack.epa.recordEvent(uln, 'AssessmentCancelled', { on: today, component: 'observation', reason: 'test booking' });
  });

  test('the CLI: exit 2 and the reason, with the override', async () => {
    for (const [at, words] of [
      [GAP, DOES_NOT_EXIST],
      [TWICE, HAPPENS_TWICE],
    ] as const) {
      const { type, ...data } = booking(at);
      const r = await epa(['event', uln, type, '--data', JSON.stringify(data)]);
      expect([at, r.code]).toEqual([at, 2]);
      expect(r.stderr).toMatch(words);
    }
  });

  test('the import: the row is refused naming the event and why, with the override; nothing starts', async () => {
    const row = (at: string): Record<string, string> => ({
      uln: epaStart().uln,
      apprentice_name: 'Imported Apprentice',
      apprentice_email: 'imported@apprentice.example',
      employer: 'Harbour Mutual',
      employer_contact_name: 'Lena Fairweather',
      employer_contact_email: 'lena@harbour.example',
      provider: 'Northgate Training',
      provider_contact_name: 'Femi Arkwright',
      provider_contact_email: 'femi.arkwright@northgate.example',
      standard: 'ST0071',
      epao: 'innovate',
      gateway_submitted_on: daysAgo(10),
      events: JSON.stringify([...gatewayHistory('ST0071', daysAgo(5)), booking(at)]),
    });
    const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const csv =
      [
        IMPORT_COLUMNS.join(','),
        ...[row(GAP), row(TWICE)].map((r) => IMPORT_COLUMNS.map((c) => cell(r[c] ?? '')).join(',')),
      ].join('\n') + '\n';
    const res = await api.inject({
      method: 'POST',
      url: '/api/imports?apply=true',
      headers: { ...asAdmin, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode).toBe(200);
    const result = res.json() as {
      counts: Record<string, number>;
      started: string[];
      rows: { line: number; action: string; problems: { column: string; message: string }[] }[];
    };
    expect([result.counts, result.started]).toEqual([{ start: 0, skip: 0, refuse: 2 }, []]);
    expect(result.rows.map((r) => [r.line, r.problems.map((p) => p.column)])).toEqual([
      [2, ['events']],
      [3, ['events']],
    ]);
    expect(result.rows[0]!.problems[0]!.message).toMatch(DOES_NOT_EXIST);
    expect(result.rows[1]!.problems[0]!.message).toMatch(HAPPENS_TWICE);
    const file = path.join(dir, 'times.csv');
    writeFileSync(file, csv);
    const cli = await epa(['import', '--file', file, '--json']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/does not exist in London/);
  });
});

test('a message refused for good (550): failed at once, on the EPA page, and the EPAO admin told by email without the address', async () => {
  const input = epaStart({
    gatewaySubmittedOn: daysAgo(10),
    apprentice: { name: 'Pell Oduya', email: 'pell.gone@apprentice.example' },
  });
  smtp.rejectRecipients.add(input.apprentice.email);
  await stack.epa.start(input);
  const on = daysAgo(5);
  for (const [type, payload] of gatewaySteps('ST0071', on)) await stack.epa.recordEvent(input.uln, type, { on, ...payload });
  await stack.epa.recordEvent(input.uln, 'AssessmentBooked', {
    on: today,
    component: 'observation',
    at: `${addDays(today, 20)}T10:00`,
  });
  const failed = await eventually(async () => {
    const entry = (await stack.epa.status(input.uln)).log.find((l) => l.kind === 'invite' && l.role === 'apprentice');
    expect(entry).toMatchObject({ status: 'failed', error: expect.stringContaining('550') });
    return entry!;
  }, 30_000);
  expect(failed.error).not.toContain('@');
  const alert = await eventually(async () => {
    const mail = smtp.received.find(
      (m) =>
        String(m.parsed.headers.get('x-epa-key') ?? '') ===
        `epa-${input.uln}/messageFailed:invite:observation-1:0:apprentice/epaoAdmin`,
    );
    expect(mail).toBeDefined();
    return mail!;
  }, 30_000);
  expect(alert.to).toEqual(['epa-admin@epao.example']);
  expect(alert.parsed.subject).toBe('Pell Oduya: a message could not be sent');
  expect(alert.parsed.text).toMatch(
    /The calendar invite message to the apprentice of Pell Oduya .* could not be sent, and will not be tried again: rejected by the mail server: 550/,
  );
  expect(alert.parsed.text).not.toContain('pell.gone');
  // One alert for each message that failed (the gateway outcome to the apprentice too), each sent; none about an alert.
  await eventually(async () => {
    const { log } = await stack.epa.status(input.uln);
    const failures = log.filter((l) => l.status === 'failed');
    expect(failures.every((l) => l.role === 'apprentice')).toBe(true);
    expect(log.filter((l) => l.kind === 'messageFailed').map((l) => [l.role, l.status])).toEqual(
      failures.map(() => ['epaoAdmin', 'sent']),
    );
  }, 30_000);
  const { cookie } = await signIn(api, 'amira', PASSWORD);
  const page = await api.inject({ method: 'GET', url: `/epas/${input.uln}`, headers: { cookie } });
  expect(page.body).toMatch(
    /id="messages-failed"[\s\S]*?could not be sent and will not be retried:[\s\S]*?invite to the apprentice: rejected by the mail server: 550/,
  );
});
