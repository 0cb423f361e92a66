/**
 * Bulk import on the real dev server: a CSV of 500 apprentices with 20 bad rows dry-runs with a
 * precise error for each bad row (CLI), then applies the 480 (API), and is safe to run again.
 * Rules exercised: the ULN check digit (ESFA ILR DD01), accepted dates, 001 §5 notice.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { IMPORT_COLUMNS } from '../../src/app/import';
import { addDays, londonDateOf } from '../../src/calendar';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { uniqueUln } from '../support/people';
import { testApi } from '../support/worker-stack';
import { gatewayHistory } from '../support/walk';

const ADMIN = 'admin-token-for-import-tests-0';
const today = londonDateOf(Date.now());
let stack: DevStack;
let api: FastifyInstance;
let dir: string;

beforeAll(async () => {
  stack = await startDevStack({ taskQueue: 'epa-import' });
  api = testApi(stack.epa, { admin: [ADMIN] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-import-'));
});
afterAll(async () => {
  await api?.close();
  await stack?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function goodRow(i: number): Record<string, string> {
  return {
    uln: uniqueUln(),
    apprentice_name: `Imported Apprentice ${i}`,
    apprentice_email: `apprentice${i}@import.example`,
    employer: `Employer ${i % 37} Ltd`,
    employer_contact_name: 'Noor Castellan',
    employer_contact_email: `manager${i % 37}@employer.example`,
    provider: 'Northgate Training',
    provider_contact_name: 'Femi Arkwright',
    provider_contact_email: 'femi.arkwright@northgate.example',
    standard: i % 3 === 0 ? 'ST0072' : 'ST0071',
    epao: i % 3 === 0 ? 'nqual' : 'innovate',
    gateway_submitted_on: addDays(today, -(5 + (i % 20))),
    events: i % 2 === 0 ? JSON.stringify(gatewayHistory(i % 3 === 0 ? 'ST0072' : 'ST0071', addDays(today, -(2 + (i % 3))))) : '',
  };
}

/** Twenty ways to get a row wrong, each with the column and words its error must name. */
const mistakes: [(row: Record<string, string>) => void, string, RegExp][] = [
  [(r) => (r.uln = '9123456789'), 'uln', /check digit/],
  [(r) => (r.uln = '12345'), 'uln', /10 digits/],
  [(r) => (r.uln = '9999999999'), 'uln', /temporary ULN/],
  [(r) => (r.apprentice_email = 'not-an-email'), 'apprentice_email', /email/i],
  [(r) => (r.apprentice_name = ''), 'apprentice_name', /.+/],
  [(r) => (r.employer_contact_email = 'x@'), 'employer_contact_email', /email/i],
  [(r) => (r.provider = ''), 'provider', /.+/],
  [(r) => (r.standard = 'ST9999'), 'standard', /unknown standard/i],
  [(r) => (r.epao = 'nqual'), 'epao', /does not assess/],
  [(r) => (r.gateway_submitted_on = addDays(today, 3)), 'gateway_submitted_on', /in the future/],
  [(r) => (r.gateway_submitted_on = '2026-02-30'), 'gateway_submitted_on', /real calendar date/],
  [(r) => (r.gateway_submitted_on = '2099-01-01'), 'gateway_submitted_on', /between 2001-01-01 and 2073-12-31/],
  [(r) => (r.events = '[{"type":"GatewayPassed"'), 'events', /not valid JSON/],
  [(r) => (r.events = '{"type":"GatewayPassed"}'), 'events', /JSON array/],
  [
    (r) =>
      (r.events = JSON.stringify([
        { type: 'GatewayPassed', on: addDays(today, -1), override: { reason: 'evidence on file' } },
        { type: 'AssessmentTaken', on: today, component: 'observation' },
      ])),
    'events',
    /Event 2 of the events so far: .*observation has not been booked/,
  ],
  [
    (r) =>
      (r.events = JSON.stringify([
        { type: 'GatewayPassed', on: addDays(today, -1), override: { reason: 'evidence on file' } },
        { type: 'AssessmentBooked', on: today, component: 'observation', at: `${addDays(today, 3)}T10:00` },
      ])),
    'events',
    /Event 2 of the events so far, its override reason: .*2 weeks' notice/,
  ],
  [
    (r) => (r.events = JSON.stringify([{ type: 'Graduated', on: today }])),
    'events',
    /Event 1 of the events so far: unknown event type/,
  ],
  [(r) => (r.events = JSON.stringify([{ type: 'GatewayPassed', on: addDays(today, 2) }])), 'events', /after today/],
  [(r) => (r.apprentice_email = ''), 'apprentice_email', /email/i],
  [(r) => (r.employer_contact_name = ''), 'employer_contact_name', /.+/],
];

test('500 rows, 20 bad: the dry run names every bad row and what is wrong; --apply starts the 480; running again starts nothing', async () => {
  const rows = Array.from({ length: 500 }, (_, i) => goodRow(i));
  const bad = new Map<number, [string, RegExp]>();
  mistakes.forEach(([spoil, column, words], k) => {
    const index = 7 + k * 24; // spread through the file
    spoil(rows[index]!);
    bad.set(index + 2, [column, words]); // line numbers: the header is line 1
  });
  const csv =
    [IMPORT_COLUMNS.join(','), ...rows.map((r) => IMPORT_COLUMNS.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n';
  const file = path.join(dir, 'epas.csv');
  writeFileSync(file, csv);

  // The dry run, through the CLI.
  const cli = await new Promise<{ code: number; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../bin/epa.js'), 'import', '--file', file, '--json'], {
      env: { ...process.env, TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_TASK_QUEUE: stack.taskQueue },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
  expect(cli.code).toBe(0);
  const plan = JSON.parse(cli.stdout) as {
    counts: Record<string, number>;
    rows: { line: number; action: string; problems: { column: string; message: string }[] }[];
  };
  expect(plan.counts).toEqual({ start: 480, skip: 0, refuse: 20 });
  const refused = plan.rows.filter((r) => r.action === 'refuse');
  expect(refused.map((r) => r.line)).toEqual([...bad.keys()]);
  for (const r of refused) {
    const [column, words] = bad.get(r.line)!;
    expect([r.line, r.problems.map((p) => p.column)]).toEqual([r.line, [column]]);
    expect([r.line, r.problems[0]!.message]).toEqual([r.line, expect.stringMatching(words)]);
  }
  expect(await stack.epa.count({})).toBe(0); // a dry run starts nothing

  // Apply, through the API.
  const applied = await api.inject({
    method: 'POST',
    url: '/api/imports?apply=true',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(applied.statusCode).toBe(200);
  const result = applied.json() as { started: string[]; skipped: string[]; failed: unknown[] };
  expect([result.started.length, result.skipped.length, result.failed]).toEqual([480, 0, []]);
  const started = Date.now();
  while ((await stack.epa.count({})) < 480 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 500));
  expect(await stack.epa.count({})).toBe(480);

  // Again: every good row is skipped (its ULN has an EPA), nothing starts twice.
  const again = (
    await api.inject({
      method: 'POST',
      url: '/api/imports?apply=true',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
      payload: csv,
    })
  ).json() as { counts: Record<string, number>; started: string[] };
  expect(again.counts).toEqual({ start: 0, skip: 480, refuse: 20 });
  expect(again.started).toEqual([]);
}, 300_000);

test('a file that is not the expected CSV is refused as a whole, naming what is missing', async () => {
  const res = await api.inject({
    method: 'POST',
    url: '/api/imports',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
    payload: 'uln,name\n9123456786,Ada\n',
  });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toMatchObject({
    error: 'invalid_input',
    field: 'file',
    message: expect.stringContaining('missing column(s): apprentice_name'),
  });
});
