/**
 * The rule files (rules/): loaded and checked by zod and against each other, pinned per EPA with a
 * content hash, and general enough for a standard the seeds do not describe (the INVENTED fixture in
 * tests/fixtures/rules-invented, whose values are no seed's).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { capResitGrade, newEpa, overallGrade, recordEvent, type EpaState } from '../../src/epa';
import { checkRules, contentHash, defaultRulesDir, loadRules, RuleRegistry } from '../../src/plans';
import { PlanSchema } from '../../src/plans/schema';
import { plans, policies } from '../support/rules';

const inventedDir = path.resolve(__dirname, '../fixtures/rules-invented');
const shipped = new RuleRegistry(loadRules(defaultRulesDir));

function copyOf(dir: string): string {
  const to = mkdtempSync(path.join(tmpdir(), 'epa-rules-'));
  cpSync(dir, to, { recursive: true });
  return to;
}

test('the shipped rules load: two standards at version 1.1, two EPAOs, five source documents (seeds 000–004)', () => {
  expect(shipped.loaded.plans.map((p) => [p.file, p.data.standard, p.data.version])).toEqual([
    ['standards/ST0071-v1.1.yaml', 'ST0071', '1.1'],
    ['standards/ST0072-v1.1.yaml', 'ST0072', '1.1'],
  ]);
  expect(shipped.epaoIds).toEqual(['innovate', 'nqual']);
  expect(Object.keys(shipped.loaded.documents)).toEqual(['000', '001', '002', '003', '004']);
  expect(shipped.describeSource('001 §5')).toBe('the ST0071 assessment plan, §5 (seed 001 §5)');
});

test('conflicts in the digest are explicit settings with their defaults (000/001/002 order, 003/004 grade, 002/004 results)', () => {
  // 002 (and 000) over 001: Innovate's own order rule, a recommendation.
  expect(policies.innovate!.order).toEqual([
    { first: 'discussion', then: 'observation', strength: 'recommended', source: '002' },
  ]);
  expect(plans.ST0072!.grading.overall).toBe('distinctionInEveryComponent'); // 003 and 004 over "weighted average"
  expect(policies.innovate!.results).toMatchObject({ workingDays: 7, from: 'eachAssessment' }); // 002 Annex 2
  expect(policies.nqual!.results).toMatchObject({ workingDays: 10, from: 'finalComponent' }); // 004 Grading
  expect(plans.ST0071!.resits).toMatchObject({ windowMonths: 12, windowFrom: 'firstFailPublished' }); // 001 §8
  expect(plans.ST0072!.resits).toMatchObject({ windowMonths: 6 }); // 004
});

test("a content hash is the data's, not the file's: comments, layout and YAML or JSON make no difference; a value does", () => {
  const st0071 = shipped.plan('ST0071')!;
  const text = readFileSync(path.join(defaultRulesDir, st0071.file), 'utf8');
  const dir = copyOf(defaultRulesDir);
  writeFileSync(path.join(dir, st0071.file), text.replace(/ #.*$/gm, '').replace(/^#.*\n/gm, ''));
  expect(loadRules(dir).plans[0]!.hash).toBe(st0071.hash);
  const json = path.join(dir, 'standards/ST0071-v1.1.json');
  writeFileSync(json, JSON.stringify(st0071.data, null, 2));
  // Both files hold ST0071 v1.1: refused as a duplicate, whatever the format.
  expect(checkRules(dir).problems).toEqual([
    expect.objectContaining({ file: 'standards/ST0071-v1.1.yaml', message: 'ST0071 version 1.1 is in another file too' }),
  ]);
  rmSync(json);
  writeFileSync(path.join(dir, st0071.file), stringify({ ...st0071.data, epaPeriodMonths: 4 }));
  expect(loadRules(dir).plans[0]!.hash).toBe(contentHash({ ...st0071.data, epaPeriodMonths: 4 }));
  expect(loadRules(dir).plans[0]!.hash).not.toBe(st0071.hash);
});

describe('pinning (registry.resolve)', () => {
  test('a new EPA takes the newest version its EPAO assesses, or the one its start names', () => {
    const dir = copyOf(defaultRulesDir);
    const v11 = readFileSync(path.join(dir, 'standards/ST0072-v1.1.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'standards/ST0072-v1.10.yaml'), v11.replace("version: '1.1'", "version: '1.10'"));
    writeFileSync(path.join(dir, 'standards/ST0072-v1.9.yaml'), v11.replace("version: '1.1'", "version: '1.9'"));
    const registry = new RuleRegistry(loadRules(dir));
    expect(registry.versions('ST0072').map((p) => p.data.version)).toEqual(['1.1', '1.9', '1.10']);
    expect(registry.resolve('ST0072', 'nqual').plan.version).toBe('1.10');
    const named = registry.resolve('ST0072', 'nqual', '1.1');
    expect(named).toEqual({
      plan: shipped.plan('ST0072')!.data,
      policy: shipped.policy('nqual')!.data,
      planHash: shipped.plan('ST0072')!.hash,
      policyHash: shipped.policy('nqual')!.hash,
    });
    expect(() => registry.resolve('ST0072', 'nqual', '2.0')).toThrow(
      expect.objectContaining({
        path: 'standardVersion',
        message: 'standardVersion: ST0072 has no version 2.0 (there is 1.1, 1.9, 1.10)',
      }),
    );
  });

  test('an EPAO that names versions assesses only those', () => {
    const dir = copyOf(defaultRulesDir);
    const v11 = readFileSync(path.join(dir, 'standards/ST0072-v1.1.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'standards/ST0072-v1.2.yaml'), v11.replace("version: '1.1'", "version: '1.2'"));
    const nqual = path.join(dir, 'epaos/nqual.yaml');
    writeFileSync(
      nqual,
      readFileSync(nqual, 'utf8').replace('  - standard: ST0072', "  - standard: ST0072\n    versions: ['1.1']"),
    );
    const registry = new RuleRegistry(loadRules(dir));
    expect(registry.resolve('ST0072', 'nqual').plan.version).toBe('1.1'); // not 1.2: NQual does not assess it
    expect(() => registry.resolve('ST0072', 'nqual', '1.2')).toThrow(
      'NQual does not assess ST0072 version 1.2 (it assesses 1.1)',
    );
    expect(() => registry.resolve('ST0071', 'nqual')).toThrow(
      expect.objectContaining({ path: 'epao', message: 'epao: NQual does not assess ST0071 (it assesses ST0072 v1.1)' }),
    );
    expect(() => registry.resolve('ST0070', 'nqual')).toThrow('unknown standard "ST0070" (one of: ST0071, ST0072)');
  });
});

describe('the plan schema refuses plans that cannot be run, naming the field', () => {
  const base = plans.ST0071!;
  const problems = (plan: unknown) =>
    (PlanSchema.safeParse(plan).error?.issues ?? []).map((i) => [i.path.join('.'), i.message] as const);
  test.each([
    [
      'an order rule naming no component',
      { ...base, order: [{ first: 'project', then: 'interview', strength: 'required', source: '001' }] },
      ['order.0.then', '"interview" is not a component (observation, project, discussion)'],
    ],
    [
      'a component listed twice',
      { ...base, components: [base.components[0], base.components[0], base.components[2]] },
      ['components.1.id', 'component "observation" is listed twice'],
    ],
    [
      'points without their table',
      { ...base, grading: { ...base.grading, overall: 'points' } },
      ['grading.points', 'required when overall is "points"'],
    ],
    [
      'a Merit the points do not score',
      {
        ...base,
        components: base.components.map((c) => ({ ...c, grades: ['Fail', 'Pass', 'Merit', 'Distinction'] })),
        grading: {
          ...base.grading,
          overall: 'points',
          points: { perGrade: { Pass: 1, Distinction: 3 }, bands: [{ grade: 'Distinction', atLeast: 9 }] },
        },
      },
      ['components.0.grades', 'observation may be graded Merit, which grading.points.perGrade does not score'],
    ],
    [
      'grades without a Pass',
      { ...base, components: [{ ...base.components[0], grades: ['Fail', 'Merit'] }] },
      ['components.0.grades', 'must include Fail and Pass'],
    ],
    [
      'a citation that is not a document id',
      { ...base, source: 'the plan' },
      ['source', expect.stringContaining('a source document id')],
    ],
  ])('%s', (_what, plan, expected) => {
    expect(problems(plan)).toContainEqual(expected);
  });
});

describe('an invented standard (a test fixture, no seed): Merit grades and an overall grade from points (X01 §6)', () => {
  const registry = new RuleRegistry(loadRules(inventedDir));
  const ctx = registry.resolve('ST9999', 'examplequal');
  const gradedState = (grades: Record<string, string>): EpaState => {
    let s = newEpa(ctx);
    const events: Record<string, unknown>[] = [
      { type: 'GatewaySubmitted', on: '2027-03-01' },
      {
        type: 'GatewayEvidenceRecorded',
        on: '2027-03-01',
        englishMaths: { english: 'Level 2', maths: 'Level 2' },
        employerSignOff: true,
        declarationSigned: true,
      },
      { type: 'GatewayPassed', on: '2027-03-02' },
      { type: 'AssessmentBooked', on: '2027-03-02', component: 'knowledge', at: '2027-03-04T10:00' },
      { type: 'AssessmentBooked', on: '2027-03-02', component: 'practical', at: '2027-03-24T10:00' },
      { type: 'PortfolioSubmitted', on: '2027-03-02', pieces: 10 },
      { type: 'AssessmentBooked', on: '2027-03-02', component: 'interview', at: '2027-03-30T10:00' },
      ...['knowledge', 'practical', 'interview'].map((component) => ({ type: 'AssessmentTaken', on: '2027-03-30', component })),
      ...['knowledge', 'practical', 'interview'].map((component) => ({
        type: 'GradeRecorded',
        on: '2027-03-31',
        component,
        grade: grades[component],
      })),
    ];
    for (const e of events) s = recordEvent(s, e, ctx).state;
    return s;
  };
  test.each([
    [{ knowledge: 'Distinction', practical: 'Distinction', interview: 'Merit' }, 'Distinction'], // 3+3+2 = 8
    [{ knowledge: 'Merit', practical: 'Distinction', interview: 'Pass' }, 'Merit'], // 2+3+1 = 6
    [{ knowledge: 'Merit', practical: 'Pass', interview: 'Merit' }, 'Merit'], // 2+1+2 = 5
    [{ knowledge: 'Pass', practical: 'Distinction', interview: 'Pass' }, 'Merit'], // 1+3+1 = 5
    [{ knowledge: 'Pass', practical: 'Pass', interview: 'Merit' }, 'Pass'], // 1+1+2 = 4
    [{ knowledge: 'Distinction', practical: 'Fail', interview: 'Distinction' }, 'Fail'],
  ])('%o → %s', (grades, expected) => {
    expect(overallGrade(gradedState(grades), ctx.plan, ctx.policy)).toBe(expected);
  });
  test('a resat component graded Merit is capped at Pass (X01 §6 capResitAt), a first attempt is not', () => {
    expect(capResitGrade(ctx.plan, 2, 'Merit', false)).toEqual({ grade: 'Pass', capped: true });
    expect(capResitGrade(ctx.plan, 1, 'Merit', false)).toEqual({ grade: 'Merit', capped: false });
  });
});

test('an EPAO choosing an overall grade rule its standard gives no figures for is refused', () => {
  const dir = copyOf(defaultRulesDir);
  const innovate = path.join(dir, 'epaos/innovate.yaml');
  writeFileSync(innovate, readFileSync(innovate, 'utf8') + 'overallGradeRule: points\n');
  expect(checkRules(dir).problems).toEqual([
    {
      file: 'epaos/innovate.yaml',
      field: 'overallGradeRule',
      message: 'ST0071 v1.1 gives no grading.points for "points"',
    },
  ]);
});
