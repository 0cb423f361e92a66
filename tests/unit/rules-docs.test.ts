/**
 * The rule list in docs/rules.md (## Seed rules and EPAO settings) names every rule the core can
 * raise and every deadline it can derive, so a newcomer finds each one, with its seed or marked as
 * an EPAO setting; its "Standards on file" section is the text the rule files give.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rulesMarkdown } from '../../src/app/rules';
import { plans, policies } from '../support/rules';

const root = path.resolve(__dirname, '../..');
const rulesDoc = readFileSync(path.join(root, 'docs/rules.md'), 'utf8');
/** From the seed-rule table to the end: the settings, the rules as data and the standards on file. */
const sectionStart = rulesDoc.indexOf('## Seed rules and EPAO settings');
if (sectionStart < 0) throw new Error('docs/rules.md has no "## Seed rules and EPAO settings" section');
const section = rulesDoc.slice(sectionStart);
/** The settings table with its cells' padding collapsed (Prettier aligns the columns). */
const settings = section.slice(section.indexOf('EPAO settings:')).replace(/ {2,}/g, ' ');
const source = (file: string) => readFileSync(path.join(root, 'src/epa', file), 'utf8');

test('every violation and warning the reducer raises is in the rule list', () => {
  const reducer = source('reducer.ts');
  const named = [...reducer.matchAll(/(?:violation|warning)\(\s*step,\s*'(\w+)'/g)].map((m) => m[1]!);
  expect(named.length).toBeGreaterThan(15);
  // `${what}Late`: report, portfolio (and showcase, which has no deadline to be late for)
  const rules = [...new Set([...named, 'reportLate', 'portfolioLate'])];
  expect(rules.filter((r) => !section.includes(`\`${r}\``))).toEqual([]);
});

test('every deadline key is in the rule list', () => {
  const keys = [...source('deadlines.ts').matchAll(/key: '(\w+)'/g)].map((m) => m[1]!);
  expect(keys.length).toBeGreaterThan(10);
  expect([...keys, 'resultDue.<component>'].filter((k) => !section.includes(`\`${k}\``))).toEqual([]);
});

test('every value an EPAO policy marks "EPAO setting" is listed as one, never as a seed rule', () => {
  const innovate = policies.innovate!;
  const nqual = policies.nqual!;
  expect(innovate.appeals.source).toBe('EPAO setting');
  expect(settings).toContain(
    `| appeal window | ${innovate.appeals.lodgeWithinWorkingDays} working days after the result | ${nqual.appeals.lodgeWithinWorkingDays} working days |`,
  );
  expect(nqual.certificate.source).toBe('EPAO setting');
  expect(settings).toContain(`${nqual.certificate.claimWorkingDays} working days (004 names none)`);
  expect(settings).toContain(`${innovate.certificate.receiptExpectedWorkingDays} working days after the claim`);
  expect(settings).toContain(`${innovate.bookingHours!.from}–${innovate.bookingHours!.to}`);
  expect(innovate.extenuatingCircumstances.extendEpaPeriodWeeks).toBe(0);
  // The seed-rule table never cites an EPAO setting as its seed.
  const seedTable = section.slice(0, section.indexOf('EPAO settings:'));
  expect(seedTable.split('\n').filter((l) => /\|\s*EPAO setting\s*\|$/.test(l))).toEqual([]);
});

describe('docs/rules.md and the rule files agree', () => {
  test('"Standards on file" is the text the rule files give (npm run rules:docs writes it)', () => {
    const start = '<!-- rules:start -->';
    const generated = rulesDoc.slice(rulesDoc.indexOf(start) + start.length, rulesDoc.indexOf('<!-- rules:end -->'));
    expect(generated).toBe(`\n\n${rulesMarkdown()}\n`);
  });

  test("the rule table's values are the files' values", () => {
    const row = (name: string) => section.split('\n').find((l) => l.startsWith(`| ${name} `))!;
    const st0071 = plans.ST0071!;
    const st0072 = plans.ST0072!;
    const innovate = policies.innovate!;
    const nqual = policies.nqual!;
    const component = (plan: typeof st0071, id: string) => plan.components.find((c) => c.id === id)!;
    const report = component(st0071, 'project').submission!;
    const portfolio = component(st0071, 'discussion').submission!;
    const showcase = component(st0072, 'showcase').submission!;
    expect(row('gateway review')).toContain(`within ${innovate.gatewayReviewWeeks} weeks`);
    expect(row('gateway form')).toContain(`at least ${nqual.gatewayFormWorkingDaysBeforeFirstAssessment} working days`);
    expect(row('EPA period')).toContain(`within ${st0071.epaPeriodMonths} months of the gateway pass`);
    expect(st0072.epaPeriodMonths).toBe(st0071.epaPeriodMonths);
    expect(row('observation notice')).toContain(`${component(st0071, 'observation').noticeWeeks} weeks' notice`);
    expect(row('project')).toContain(`within ${component(st0071, 'project').completeWithinMonths} months`);
    const n = (x: number) => x.toLocaleString('en-GB');
    expect(row('report')).toContain(
      `${n(report.words!.min)}–${n(report.words!.max)} words, handed in ${report.weeksBeforeAssessment} weeks before`,
    );
    expect(row('portfolio')).toContain(`${portfolio.pieces!.min}–${portfolio.pieces!.max} pieces`);
    expect(row('showcase')).toContain(`at most ${showcase.pieces!.max} pieces`);
    expect(row('results')).toContain(`Innovate: each result within ${innovate.results.workingDays} working days`);
    expect(row('results')).toContain(`NQual: within ${nqual.results.workingDays} working days of the final component`);
    expect(row('resits and retakes')).toContain(`within ${st0071.resits.windowMonths} months of the first failing result`);
    expect(row('resits and retakes')).toContain(`within ${st0072.resits.windowMonths} months of gateway`);
    expect(row('rework')).toContain(`within ${component(st0071, 'project').reworkWithinMonths} month of its result`);
    expect(row('certificate claim')).toContain(`within ${innovate.certificate.claimWorkingDays} working days`);
    expect(row('planning meeting')).toContain('Innovate');
    expect(innovate.planningMeeting).toBeDefined();
  });
});
