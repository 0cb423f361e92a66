/**
 * The `epa` CLI end to end against the real dev server: start an EPA, post events, see the status
 * change, see it in `overdue` once a deadline has passed (dates in the past, not sleeps). Seed 002
 * (two-week gateway review).
 */
import { rules, shortHash } from '../../src/plans';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { addDays, londonDateOf } from '../../src/calendar';
import { eventually } from '../support/lifecycle';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { epaStart } from '../support/people';
import { gatewaySteps } from '../support/walk';

let stack: DevStack;
beforeAll(async () => {
  stack = await startDevStack({ taskQueue: 'epa-cli' });
});
afterAll(async () => {
  await stack?.teardown();
});

const bin = path.resolve(__dirname, '../../bin/epa.js');
function epa(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: 'epa-cli' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const today = londonDateOf(Date.now());
const daysAgo = (n: number) => addDays(today, -n);

test('start, post events, status, list and overdue', async () => {
  const onTime = epaStart({ gatewaySubmittedOn: daysAgo(10) });
  const late = epaStart({
    gatewaySubmittedOn: daysAgo(20),
    apprentice: { name: 'Bram Okafor', email: 'bram.okafor@apprentice.example' },
  });
  const started = await epa(['start', '--json'], JSON.stringify(onTime));
  expect(started).toMatchObject({ code: 0 });
  expect(JSON.parse(started.stdout)).toEqual({ epaId: `epa-${onTime.uln}`, uln: onTime.uln });
  expect((await epa(['start', '--data', JSON.stringify(late)])).stdout).toContain(`started epa-${late.uln} (ST0071, innovate)`);

  // `epa status` shows the gateway evidence still missing (001 §4, 002 Gateway); the pass is refused until it is in.
  const before = await epa(['status', onTime.uln]);
  expect(before.stdout).toContain(
    "gateway evidence missing: English and maths [001 §4]; the employer's sign-off [001 §4]; the portfolio of evidence [002 Gateway]",
  );
  const refused = await epa(['event', onTime.uln, 'GatewayPassed', '--data', JSON.stringify({ on: daysAgo(5) })]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('gatewayEvidenceMissing');
  for (const [type, payload] of gatewaySteps('ST0071', daysAgo(5)).filter(
    ([t]) => t !== 'GatewayPassed' && t !== 'PlanningMeetingBooked',
  )) {
    expect((await epa(['event', onTime.uln, type, '--data', JSON.stringify({ on: daysAgo(5), ...payload })])).code).toBe(0);
  }
  expect((await epa(['status', onTime.uln])).stdout).toContain('gateway evidence: complete');
  const passed = await epa(['event', onTime.uln, 'GatewayPassed', '--data', JSON.stringify({ on: daysAgo(5) })]);
  expect(passed.code).toBe(0);
  expect(passed.stdout).toContain('stage InAssessment');
  const status = await epa(['status', onTime.uln]);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/stage InAssessment/);
  expect(status.stdout).toMatch(/epaPeriodEnds\s+\d{4}-\d{2}-\d{2}\s+open/);
  // The rules it runs on, pinned at its start: the plan version and policy with their content hashes.
  const pinned = rules().resolve('ST0071', 'innovate');
  expect(status.stdout).toContain(
    `rules ST0071 v1.1 (${shortHash(pinned.planHash)}), innovate (${shortHash(pinned.policyHash)})\n`,
  );
  const json = JSON.parse((await epa(['status', onTime.uln, '--json'])).stdout);
  expect(json).toMatchObject({ stage: 'InAssessment', epaStart: daysAgo(5), people: { apprentice: { name: 'Ada Testwell' } } });

  // The late EPA's two-week gateway review (002) was due 6 days ago: overdue.
  const overdue = await eventually(async () => {
    const r = await epa(['overdue', '--json']);
    const rows = JSON.parse(r.stdout) as { uln: string; missedDeadline: string; daysOverdue: number }[];
    expect(rows.map((x) => x.uln)).toContain(late.uln);
    return rows;
  });
  expect(overdue.find((r) => r.uln === late.uln)).toMatchObject({ missedDeadline: 'gatewayReviewDue', daysOverdue: 6 });
  expect(overdue.map((r) => r.uln)).not.toContain(onTime.uln);
  const table = await epa(['overdue']);
  expect(table.stdout).toMatch(new RegExp(`${late.uln}\\s+Bram Okafor\\s+ST0071`));

  const listed = await eventually(async () => {
    const rows = JSON.parse((await epa(['list', '--stage', 'InAssessment', '--json'])).stdout) as { uln: string }[];
    expect(rows.map((r) => r.uln)).toContain(onTime.uln);
    return rows;
  });
  expect(listed.map((r) => r.uln)).not.toContain(late.uln);

  // Once the late review is recorded, the EPA leaves the overdue list.
  const override = { reason: 'evidence checked on paper at the review' };
  expect((await epa(['event', late.uln, 'GatewayPassed', '--data', JSON.stringify({ on: today, override })])).code).toBe(0);
  await eventually(async () => {
    const rows = JSON.parse((await epa(['overdue', '--json'])).stdout) as { uln: string }[];
    expect(rows.map((x) => x.uln)).not.toContain(late.uln);
  });
});

test('refusals reach the user verbatim with exit 2; an unknown ULN exits 3', async () => {
  const input = epaStart({ gatewaySubmittedOn: daysAgo(3) });
  expect((await epa(['start'], JSON.stringify(input))).code).toBe(0);
  const grade = await epa([
    'event',
    input.uln,
    'GradeRecorded',
    '--data',
    JSON.stringify({ on: today, component: 'observation', grade: 'Pass' }),
  ]);
  expect(grade.code).toBe(2);
  expect(grade.stderr).toContain('no grade before the assessment');
  const bad = await epa(['event', input.uln, 'GatewayPassed', '--data', '{"on": "2026-02-30"}']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('event.on: must be a real calendar date');
  expect((await epa(['event', input.uln, 'GatewayPassed', '--data', '{not json'])).code).toBe(2);
  expect((await epa(['start'], JSON.stringify({ ...input, uln: '0123' }))).code).toBe(2);
  const missing = await epa(['status', '1999999990']);
  expect(missing.code).toBe(3);
  expect(missing.stderr).toContain('no EPA for ULN 1999999990');
  const unreachable = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [bin, 'status', input.uln], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
  expect(unreachable).toBe(1);
});

test('start of an existing ULN exits 2; a withdrawn EPA restarts only with `epa restart --reason`; `epa runs` lists both runs', async () => {
  const input = epaStart({ gatewaySubmittedOn: daysAgo(3) });
  expect((await epa(['start'], JSON.stringify(input))).code).toBe(0);
  const twice = await epa(['start'], JSON.stringify(input));
  expect(twice.code).toBe(2);
  expect(twice.stderr).toContain('already running');
  expect(
    (await epa(['event', input.uln, 'Withdrawn', '--data', JSON.stringify({ on: today, reason: 'entered in error' })])).code,
  ).toBe(0);
  await stack.client.workflow.getHandle(`epa-${input.uln}`).result();
  const finished = await epa(['start'], JSON.stringify(input));
  expect(finished.code).toBe(2);
  expect(finished.stderr).toContain('has finished');
  const noReason = await epa(['restart', input.uln], JSON.stringify(input));
  expect(noReason.code).toBe(2);
  const restarted = await epa(['restart', input.uln, '--reason', 'withdrawn in error', '--json'], JSON.stringify(input));
  expect(restarted.code).toBe(0);
  expect(JSON.parse(restarted.stdout)).toMatchObject({
    uln: input.uln,
    restartOf: { previousStatus: 'completed', reason: 'withdrawn in error' },
  });
  const runs = await epa(['runs', input.uln, '--json']);
  expect((JSON.parse(runs.stdout) as { status: string }[]).map((r) => r.status)).toEqual(['running', 'completed']);
});
