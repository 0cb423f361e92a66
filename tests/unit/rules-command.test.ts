/**
 * `epa rules list` and `epa rules show`: the rules as staff read them, each with its seed (001–004)
 * or marked as an EPAO setting, never the other way round.
 */
import { main, type Io } from '../../src/cli/main';
import { describeStandard } from '../../src/app/rules';

async function epa(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => '', now: () => 0 };
  const code = await main(['node', 'epa', 'rules', ...args], io);
  return { code, out, err };
}

test('rules list: each standard with its version and the EPAOs that assess it', async () => {
  const { code, out } = await epa(['list', '--json']);
  expect(code).toBe(0);
  const catalogue = JSON.parse(out);
  expect(
    catalogue.standards.map((s: { standard: string; version: string; epaos: string[] }) => [s.standard, s.version, s.epaos]),
  ).toEqual([
    ['ST0071', '1.1', ['innovate']],
    ['ST0072', '1.1', ['nqual']],
  ]);
  expect((await epa(['list'])).out).toMatch(/ST0071\s+1\.1\s+3\s+Customer Service Specialist\s+innovate\s+001/);
});

test('rules show ST0071: every line cites its seed, or says it is an EPAO setting', async () => {
  const { code, out } = await epa(['show', 'st0071']);
  expect(code).toBe(0);
  const rules = out.split('\n').filter((l) => l.startsWith('  - '));
  expect(rules.length).toBeGreaterThan(20);
  for (const line of rules) expect(line).toMatch(/\[(\d{3}[^\]]*|EPAO setting, not from the seeds)\]$/);
  expect(rules).toContain('  - each decision is moderated by the EPAO before its result is published [001 §8]');
  expect(rules).toContain('  - the gateway reviewed within 2 weeks [002 Gateway]');
  expect(rules).toContain("  - Practical observation with Q&A: 2 weeks' notice of the date [001 §5]");
  expect(rules.find((l) => l.includes('appeals lodged within 15 working days'))).toMatch(/\[EPAO setting, not from the seeds\]$/);
});

test("rules show ST0072 --json: NQual's certificate claim period is an EPAO setting (004 names none); the 6-month window is 004's", async () => {
  const { out } = await epa(['show', 'ST0072', '--json']);
  const d = JSON.parse(out) as ReturnType<typeof describeStandard>;
  const nqual = d.epaos.find((e) => e.id === 'nqual')!;
  expect(nqual.rules.find((r) => r.rule.startsWith('the certificate claimed'))).toEqual({
    rule: 'the certificate claimed within 15 working days after the final result',
    source: 'EPAO setting',
  });
  const resits = d.plan.find((s) => s.section === 'resits and retakes')!.rules;
  expect(resits).toEqual([
    {
      rule: 'resits and retakes within 6 months of the gateway pass; after that the whole EPA is taken again',
      source: '004 Re-sit / Re-take',
    },
  ]);
});

test('an unknown standard: exit 2 naming it', async () => {
  const { code, err } = await epa(['show', 'ST9999']);
  expect(code).toBe(2);
  expect(err).toContain('unknown standard "ST9999" (one of: ST0071, ST0072)');
});
