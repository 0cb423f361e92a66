/**
 * The README's rule list (## The rules: seed rules and EPAO settings) names every rule the core can
 * raise and every deadline it can derive, so a newcomer finds each one, with its seed or marked as
 * an EPAO setting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { policies } from '../support/rules';

const root = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('### The rules: seed rules and EPAO settings'),
  readme.indexOf('### Corrections, with an audit'),
);
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
