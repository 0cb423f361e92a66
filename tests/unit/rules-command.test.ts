/**
 * `epa rules list` and `epa rules show`: the rules as staff read them, each with its seed (001–004)
 * or marked as an EPAO setting, never the other way round.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type Io } from '../../src/cli/main';
import { defaultRulesDir, forgetRules } from '../../src/plans';
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
  expect((await epa(['list'])).out).toMatch(
    /ST0071\s+1\.1 \(newest\)\s+3\s+Customer Service Specialist\s+innovate\s+001\s+sha256:[0-9a-f]{12}/,
  );
  expect(catalogue.epaos.map((e: { id: string; standards: string[] }) => [e.id, e.standards])).toEqual([
    ['innovate', ['ST0071 v1.1']],
    ['nqual', ['ST0072 v1.1']],
  ]);
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

describe('epa rules validate', () => {
  /** A copy of the shipped rules with `edit` applied to one file's text. */
  function brokenCopy(edits: Record<string, (text: string) => string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'epa-rules-'));
    cpSync(defaultRulesDir, dir, { recursive: true });
    for (const [file, edit] of Object.entries(edits)) {
      const at = path.join(dir, file);
      writeFileSync(at, edit(readFileSync(at, 'utf8')));
    }
    return dir;
  }

  test('the shipped rules pass: exit 0, with what was loaded', async () => {
    const { code, out } = await epa(['validate']);
    expect(code).toBe(0);
    expect(out).toContain(
      'valid: 2 plan versions (ST0071 v1.1, ST0072 v1.1), 2 EPAO policies (innovate, nqual), 5 source documents',
    );
  });

  test('a broken copy: exit 2, every problem with its file, line, field and reason', async () => {
    const dir = brokenCopy({
      'standards/ST0071-v1.1.yaml': (t) =>
        t
          .replace("version: '1.1'", 'version: 1.1')
          .replace('noticeWeeks: 2', 'noticeWeek: 2')
          .replace('windowMonths: 12', 'windowMonths: twelve'),
      'epaos/nqual.yaml': (t) => t.replace('source: 004 Grading', 'source: 009 Grading'),
      'epaos/innovate.yaml': (t) => t.replace('from: eachAssessment', 'from: everyAssessment'),
    });
    const { code, out, err } = await epa(['validate', dir]);
    expect(code).toBe(2);
    expect(out).toBe('');
    const lines = err.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      "standards/ST0071-v1.1.yaml:6 version: Invalid input: expected string, received number (put it in quotes, e.g. '1.1' or '001')",
      'standards/ST0071-v1.1.yaml:16 components[0].noticeWeek: unknown field',
      'standards/ST0071-v1.1.yaml:57 resits.windowMonths: Invalid input: expected number, received string',
      expect.stringMatching(
        /^epaos\/innovate\.yaml:\d+ results\.from: Invalid option: expected one of "eachAssessment"\|"finalComponent"$/,
      ),
      expect.stringMatching(/^epaos\/nqual\.yaml:\d+ results\.source: cites document "009", which sources\.yaml does not list$/),
    ]);
    expect(lines.at(-1)).toBe(`epa: ${dir}: 5 problems; nothing would start on these rules`);
  });

  test('a file named for another version, a YAML syntax error and an EPAO naming a missing version are each refused', async () => {
    const dir = brokenCopy({
      'standards/ST0072-v1.1.yaml': (t) => t.replace("version: '1.1'", "version: '1.2'"),
      'epaos/innovate.yaml': (t) => t.replace('  - standard: ST0071', "  - standard: ST0071\n    versions: ['2.0']"),
      'sources.yaml': (t) => t.replace('documents:', 'documents: [oops'),
    });
    const { code, err } = await epa(['validate', dir]);
    expect(code).toBe(2);
    expect(err).toContain('standards/ST0072-v1.1.yaml: holds ST0072 version 1.2: name it ST0072-v1.2.yaml');
    expect(err).toMatch(
      /epaos\/innovate\.yaml:\d+ standards\[0\]\.versions: no plan file for ST0071 version 2\.0 \(there is 1\.1\)/,
    );
    expect(err).toMatch(/sources\.yaml:\d+: /);
  });

  test('a process on broken rules does not start: a command that needs them exits 2 listing the problems', async () => {
    const dir = brokenCopy({ 'epaos/nqual.yaml': (t) => t.replace('workingDays: 10', 'workingDays: 0') });
    const before = process.env.EPA_RULES_DIR;
    process.env.EPA_RULES_DIR = dir;
    forgetRules();
    try {
      const { code, out, err } = await epa(['list']);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(`the rules in ${dir} are refused (1 problem):`);
      expect(err).toMatch(/epaos\/nqual\.yaml:\d+ results\.workingDays: Too small/);
    } finally {
      if (before === undefined) delete process.env.EPA_RULES_DIR;
      else process.env.EPA_RULES_DIR = before;
      forgetRules();
    }
  });
});
