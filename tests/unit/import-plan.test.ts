/**
 * The import's dry run checks many rows at once (issue 27): the rules and the "does it exist" round
 * trip of up to 16 rows are under way together, and the plan still lists every row in file order
 * with what it found. The EPA gateway is a fake that answers after a delay and counts the calls in
 * flight; the rules themselves are the e2e test's (tests/e2e/import.test.ts, the ULN check digit,
 * ESFA ILR DD01).
 */
import { IMPORT_COLUMNS, planImport } from '../../src/app/import';
import { EpaInputError } from '../../src/epa/errors';
import type { EpaStart } from '../../src/epa/people';
import { uniqueUln } from '../support/people';

const admin = { epaoAdmin: { name: 'EPA Admin', email: 'admin@epao.example' } };

function row(uln: string, i: number): string {
  const cells: Record<string, string> = {
    uln,
    apprentice_name: `Imported Apprentice ${i}`,
    apprentice_email: `apprentice${i}@import.example`,
    employer: 'Employer Ltd',
    employer_contact_name: 'Noor Castellan',
    employer_contact_email: 'manager@employer.example',
    provider: 'Northgate Training',
    provider_contact_name: 'Femi Arkwright',
    provider_contact_email: 'femi.arkwright@northgate.example',
    standard: 'ST0071',
    epao: 'innovate',
    gateway_submitted_on: '2026-11-30',
    events: '',
  };
  return IMPORT_COLUMNS.map((c) => cells[c]).join(',');
}

/** A gateway that takes a few ms per call, knows some ULNs as running, and refuses one. */
function slowGateway(running: Set<string>, refused: string) {
  let inFlight = 0;
  const calls = { most: 0, validate: 0, existing: 0 };
  const slow = async <T>(fn: () => T): Promise<T> => {
    inFlight++;
    calls.most = Math.max(calls.most, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return fn();
  };
  return {
    calls,
    validateStart: (raw: unknown) =>
      slow(() => {
        calls.validate++;
        const input = raw as EpaStart;
        if (input.uln === refused) throw new EpaInputError('is in the future (today is 2026-12-01)', 'gatewaySubmittedOn');
        return input;
      }),
    existing: (uln: string) =>
      slow(() => {
        calls.existing++;
        return running.has(uln) ? 'running' : undefined;
      }),
  };
}

test('200 rows are checked up to 16 at a time and planned in file order, each with what it found', async () => {
  const ulns = Array.from({ length: 200 }, () => uniqueUln());
  const lines = ulns.map((u, i) => row(u, i));
  lines[50] = row(ulns[10]!, 50); // the same ULN as line 12
  const gateway = slowGateway(new Set([ulns[20]!, ulns[199]!]), ulns[30]!);
  const t0 = Date.now();
  const plan = await planImport([IMPORT_COLUMNS.join(','), ...lines].join('\n'), gateway, admin);
  const ms = Date.now() - t0;

  expect(plan.rows.map((r) => r.line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
  expect(plan.counts).toEqual({ start: 196, skip: 2, refuse: 2 });
  expect(plan.rows[20]).toMatchObject({
    action: 'skip',
    problems: [{ column: 'uln', message: 'This ULN already has an EPA (running)' }],
  });
  expect(plan.rows[30]).toMatchObject({ action: 'refuse', problems: [{ column: 'gateway_submitted_on', message: /future/ }] });
  expect(plan.rows[50]).toMatchObject({ action: 'refuse', problems: [{ column: 'uln', message: 'The same ULN as line 12' }] });
  expect(plan.rows[0]).toMatchObject({ action: 'start', input: { uln: ulns[0] } });
  // The duplicate is never sent to the gateway; the refused row is never looked up.
  expect(gateway.calls).toMatchObject({ validate: 199, existing: 198 });
  expect(gateway.calls.most).toBeGreaterThan(1);
  expect(gateway.calls.most).toBeLessThanOrEqual(16);
  // One row at a time would take 397 calls × 5 ms ≈ 2 s.
  expect(ms).toBeLessThan(1000);
});

test('a gateway that fails (not a problem of the row) fails the dry run', async () => {
  const gateway = {
    validateStart: (raw: unknown) => Promise.resolve(raw as EpaStart),
    existing: () => Promise.reject(new Error('Temporal is unreachable')),
  };
  await expect(planImport([IMPORT_COLUMNS.join(','), row(uniqueUln(), 1)].join('\n'), gateway, admin)).rejects.toThrow(
    'Temporal is unreachable',
  );
});
