/**
 * The import in words (src/app/import.ts): the template is the one list of columns; a gateway date
 * is read as dd/mm/yyyy or yyyy-mm-dd, and 31/02/2027 is refused in words at its line; every row's
 * outcome (line, apprentice, what happens or what is wrong) after the dry run and after the apply.
 */
import { parse } from 'csv-parse/sync';
import {
  IMPORT_COLUMN_GUIDE,
  IMPORT_COLUMNS,
  importOutcomes,
  importTemplateCsv,
  outcomeLine,
  planImport,
} from '../../src/app/import';
import type { EpaStart } from '../../src/epa/people';
import { isValidUln } from '../../src/epa/uln';
import { uniqueUln } from '../support/people';

const admin = { epaoAdmin: { name: 'EPA Admin', email: 'admin@epao.example' } };
const gateway = {
  validateStart: (raw: unknown) => Promise.resolve(raw as EpaStart),
  existing: (uln: string) => Promise.resolve(uln === running ? 'running' : undefined),
};
let running = '';

const row = (cells: Record<string, string>) => {
  const example = Object.fromEntries(IMPORT_COLUMN_GUIDE.map((c) => [c.column, c.example]));
  return IMPORT_COLUMNS.map((c) => ({ ...example, ...cells })[c] ?? '').join(',');
};

test('the template: a header with every column the import reads, then one example row that the import accepts', async () => {
  const csv = importTemplateCsv();
  const [header, example, ...more] = parse(csv) as string[][];
  expect(header).toEqual([...IMPORT_COLUMNS]);
  expect(more).toEqual([]);
  expect(example).toHaveLength(IMPORT_COLUMNS.length);
  expect(isValidUln(example![0]!)).toBe(true);
  expect(example![IMPORT_COLUMNS.indexOf('gateway_submitted_on')]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  const plan = await planImport(csv, gateway, admin);
  expect(plan.rows).toMatchObject([
    { line: 2, action: 'start', apprentice: 'Rosa Example', input: { gatewaySubmittedOn: '2026-11-02' } },
  ]);
  // Each column explained in words.
  for (const c of IMPORT_COLUMN_GUIDE) expect(c.explain.length).toBeGreaterThan(10);
});

test('dates as dd/mm/yyyy and yyyy-mm-dd; 31/02/2027 and a date in neither form refused in words at their line', async () => {
  const [a, b, c, d] = [uniqueUln(), uniqueUln(), uniqueUln(), uniqueUln()];
  const csv = [
    IMPORT_COLUMNS.join(','),
    row({ uln: a, gateway_submitted_on: '27/10/2026' }),
    row({ uln: b, gateway_submitted_on: '2026-10-27' }),
    row({ uln: c, gateway_submitted_on: '31/02/2027', apprentice_name: 'Tam Invented' }),
    row({ uln: d, gateway_submitted_on: 'next Tuesday' }),
  ].join('\n');
  const plan = await planImport(csv, gateway, admin);
  expect(plan.rows.map((r) => r.input?.gatewaySubmittedOn)).toEqual(['2026-10-27', '2026-10-27', undefined, undefined]);
  expect(plan.rows[2]).toMatchObject({
    line: 4,
    action: 'refuse',
    problems: [{ column: 'gateway_submitted_on', message: '31/02/2027 is not a real calendar date: February 2027 has 28 days' }],
  });
  expect(plan.rows[3]!.problems).toEqual([
    {
      column: 'gateway_submitted_on',
      message:
        'The gateway submission date must be written as dd/mm/yyyy (like 27/03/2027) or yyyy-mm-dd; "next Tuesday" is neither',
    },
  ]);
  expect(outcomeLine(importOutcomes(plan)[2]!)).toBe(
    `line 4, Tam Invented (ULN ${c}): Not started: 1 problem – 31/02/2027 is not a real calendar date: February 2027 has 28 days (column gateway_submitted_on)`,
  );
});

test('every row’s outcome in words: will start, already has an EPA, what is wrong; then started, skipped or failed', async () => {
  const [a, b, c, e] = [uniqueUln(), uniqueUln(), uniqueUln(), uniqueUln()];
  running = b;
  const csv = [
    IMPORT_COLUMNS.join(','),
    row({ uln: a, apprentice_name: 'Ada Invented' }),
    row({ uln: b, apprentice_name: 'Bo Invented' }),
    row({ uln: c, apprentice_name: '', apprentice_email: 'not an email' }),
    row({ uln: e, apprentice_name: 'Eli Invented' }),
  ].join('\n');
  const plan = await planImport(csv, gateway, admin);
  expect(importOutcomes(plan)).toEqual([
    { line: 2, apprentice: 'Ada Invented', uln: a, tone: 'start', what: 'Will start', details: [] },
    {
      line: 3,
      apprentice: 'Bo Invented',
      uln: b,
      tone: 'skip',
      what: 'Already has an EPA: skipped',
      details: ['This ULN already has an EPA (running)'],
    },
    {
      line: 4,
      apprentice: '',
      uln: c,
      tone: 'problem',
      what: 'Not started: 2 problems',
      details: [
        "Enter the apprentice's full name (column apprentice_name)",
        "Enter the apprentice's email address in the correct format, like name@example.com (column apprentice_email)",
      ],
    },
    { line: 5, apprentice: 'Eli Invented', uln: e, tone: 'start', what: 'Will start', details: [] },
  ]);
  const after = importOutcomes(plan, {
    started: [a],
    skipped: [],
    failed: [{ line: 5, uln: e, message: 'Temporal did not answer' }],
  });
  expect(after.map((o) => [o.line, o.what, o.details])).toEqual([
    [2, 'Started', []],
    [3, 'Already has an EPA: skipped', ['This ULN already has an EPA (running)']],
    [4, 'Not started: 2 problems', expect.any(Array)],
    [5, 'Could not start', ['Temporal did not answer']],
  ]);
});
