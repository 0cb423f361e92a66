/** `epa plan`: the design's contract (stdin or --file, JSON out, exit 2 naming the field). Seeds 001, 002. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { main, type Io } from '../../src/cli/main';

const root = path.resolve(__dirname, '../..');
const example = path.join(root, 'tests/fixtures/cases/design-example.json');

async function plan(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: () => stdin,
    now: () => Date.parse('2027-01-20T12:00:00Z'),
  };
  const code = await main(['node', 'epa', 'plan', ...args], io);
  return { code, out, err };
}

test('the design example: stage, the 3-month period end, the observation grade (001 §5, 002)', async () => {
  const { code, out } = await plan(['--file', example]);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result).toMatchObject({ stage: 'InAssessment', grades: { observation: 'Distinction' }, overall: null, violations: [] });
  expect(result.deadlines).toContainEqual(
    expect.objectContaining({ key: 'epaPeriodEnds', due: '2027-02-16', status: 'open', source: '001 §5' }),
  );
  expect(result.deadlines).toContainEqual(expect.objectContaining({ key: 'resultDue.observation', status: 'met' }));
});

test("the design document's example as written (first wave): the rules the seeds add since are findings, each citing its seed", async () => {
  const { code, out } = await plan(['--file', path.join(root, 'tests/fixtures/cases/design-example-first-wave.json')]);
  expect(code).toBe(0);
  const result = JSON.parse(out);
  expect(result.overall).toBeNull();
  expect(result.violations.map((v: { rule: string; source: string }) => `${v.rule} ${v.source}`)).toEqual([
    'gatewayEvidenceMissing 001 §4', // English and maths
    'gatewayEvidenceMissing 001 §4', // the employer's sign-off
    'gatewayEvidenceMissing 002 Gateway', // portfolio
    'gatewayEvidenceMissing 002 Gateway', // synopsis
    'gatewayEvidenceMissing 002 Gateway', // declaration
    'gatewayEvidenceMissing 002 Gateway', // reasonable adjustments
    'planningMeetingNotHeld 002 Assessment Booking',
    'resultNotModerated 001 §8',
  ]);
  expect(result.gatewayEvidenceMissing).toEqual([
    'englishMaths',
    'employerSignOff',
    'portfolio',
    'projectSynopsis',
    'declaration',
    'reasonableAdjustments',
  ]);
});

const gateway = [
  { type: 'GatewaySubmitted', on: '2026-11-02' },
  { type: 'GatewayPassed', on: '2026-11-16' },
];

test.each([
  ['unknown type', [{ type: 'ObservationDone', on: '2027-01-01' }], /events\[0\]\.type: unknown event type/],
  ['impossible date', [{ type: 'GatewaySubmitted', on: '2026-02-30' }], /events\[0\]\.on: must be a real calendar date/],
  [
    'unknown component',
    [...gateway, { type: 'AssessmentBooked', component: 'showcase', on: '2026-11-20', at: '2027-01-12T10:00' }],
    /events\[2\]\.component: unknown component "showcase" for ST0071/,
  ],
  [
    'grade before assessment',
    [...gateway, { type: 'GradeRecorded', component: 'observation', grade: 'Pass', on: '2026-11-20' }],
    /events\[2\] \(GradeRecorded\): observation has not been taken: no grade before the assessment/,
  ],
])('exit 2 with a message naming the field: %s', async (_name, events, message) => {
  const { code, err, out } = await plan([], JSON.stringify({ standard: 'ST0071', epao: 'innovate', events }));
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toMatch(message);
});

test.each([
  [{ standard: 'ST0099', epao: 'innovate', events: [] }, /standard: unknown standard "ST0099"/],
  [{ standard: 'ST0071', epao: 'acme', events: [] }, /epao: unknown EPAO "acme"/],
  [{ standard: 'ST0071', epao: 'nqual', events: [] }, /epao: NQual does not assess ST0071/],
  [{ standard: 'ST0071', epao: 'innovate' }, /events: /],
])('exit 2 for a bad case header %#', async (input, message) => {
  const { code, err } = await plan([], JSON.stringify(input));
  expect(code).toBe(2);
  expect(err).toMatch(message);
});

test('malformed JSON exits 2', async () => {
  const { code, err } = await plan([], '{"standard": ');
  expect(code).toBe(2);
  expect(err).toMatch(/not valid JSON/);
});

test('the installed bin reads stdin and prints JSON (a real process)', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/epa.js'), 'plan', '--as-of', '2027-01-20'], {
    input: JSON.stringify({ standard: 'ST0071', epao: 'innovate', events: [{ type: 'GatewaySubmitted', on: '2026-11-02' }] }),
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).deadlines[0]).toMatchObject({
    key: 'gatewayReviewDue',
    due: '2026-11-16',
    status: 'missed',
    source: '002 Gateway',
  });
  const bad = spawnSync(process.execPath, [path.join(root, 'bin/epa.js'), 'plan'], { input: '[]', encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^epa: /);
});
