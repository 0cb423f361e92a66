/**
 * The one place of display names (src/epa/display-names.ts): every deadline key the core derives
 * (src/epa/deadlines.ts and the rule files' `deadlineKey`s), every stage, event type, message kind
 * and owner has a name, so a new one cannot slip onto a page unnamed; dates and times in words.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  dateInWords,
  datesInWords,
  dateTimeInWords,
  deadlineActions,
  deadlineName,
  deadlineNames,
  eventNames,
  instantInWords,
  messageNames,
  ownerNames,
  ownerPhrases,
  stageNames,
  timeInWords,
} from '../../src/epa/display-names';
import { deadlineTasks } from '../../src/app/case-file';
import { eventTypes, stages } from '../../src/epa';

const root = path.resolve(__dirname, '../..');
const source = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Every deadline key in the code: the literal keys deadlines.ts derives, its `resultDue.<component>`, and each rule file's deadlineKey. */
function deadlineKeysInCode(): string[] {
  const core = source('src/epa/deadlines.ts');
  const keys = new Set([...core.matchAll(/key: '(\w+)'/g)].map((m) => m[1]!));
  for (const m of core.matchAll(/key: `(\w+)\.\$\{/g)) keys.add(m[1]!);
  for (const file of readdirSync(path.join(root, 'rules/standards'))) {
    const plan = parse(source(`rules/standards/${file}`)) as { components: { submission?: { deadlineKey?: string } }[] };
    for (const c of plan.components) if (c.submission?.deadlineKey) keys.add(c.submission.deadlineKey);
  }
  return [...keys].sort();
}

test('every deadline key in the code has a name, an action for the board and a task for "What happens next"', () => {
  const keys = deadlineKeysInCode();
  expect(keys.length).toBeGreaterThanOrEqual(14);
  for (const key of keys) {
    expect([key, typeof deadlineNames[key]]).toEqual([key, 'string']);
    expect([key, typeof deadlineActions[key]?.action]).toEqual([key, 'string']);
    expect([key, typeof deadlineTasks[key]]).toEqual([key, 'string']);
  }
  // A component's result is named from its rule file (ST0071 seed 001 §5: the practical observation).
  expect(deadlineName('resultDue.observation', { observation: 'Practical observation with Q&A' })).toBe(
    'result of the practical observation with Q&A',
  );
  expect(deadlineName('somethingNew')).toBe('deadline');
});

test('every stage, event type, message kind and owner in the code has a name in words (no camelCase, no SHOUTING)', () => {
  const kinds = [...source('src/epa/notifications.ts').matchAll(/^\s*\| '(\w+)'/gm)].map((m) => m[1]!);
  expect(kinds.length).toBeGreaterThanOrEqual(20);
  const owners = /export type Role = ([^;]+);/
    .exec(source('src/epa/deadlines.ts'))![1]!
    .match(/'(\w+)'/g)!
    .map((r) => r.slice(1, -1));
  const named: [string, Record<string, string>, string[]][] = [
    ['stage', stageNames, [...stages]],
    ['event', eventNames, [...eventTypes]],
    ['message', messageNames, kinds],
    ['owner', ownerNames, owners],
    ['owner phrase', ownerPhrases, owners],
  ];
  for (const [what, names, keys] of named)
    for (const key of keys) {
      const name = names[key];
      expect([what, key, typeof name]).toEqual([what, key, 'string']);
      expect([what, key, /[a-z][A-Z]/.test(name!) || /[A-Z]{5,}/.test(name!)]).toEqual([what, key, false]);
    }
  expect(stageNames.InAssessment).toBe('In assessment');
  expect(eventNames.GradeRecorded).toBe('Grade recorded');
  expect(Object.values(ownerPhrases).sort()).toEqual([
    'the EPAO',
    'the apprentice',
    'the assessor',
    'the employer',
    'the provider',
  ]);
});

test('London dates and times in words, never ISO', () => {
  expect(dateInWords('2027-05-11')).toBe('Tuesday 11 May 2027');
  expect(timeInWords('10:00')).toBe('10:00am');
  expect(timeInWords('14:30')).toBe('2:30pm');
  expect(timeInWords('12:00')).toBe('12:00pm');
  expect(timeInWords('00:15')).toBe('12:15am');
  expect(dateTimeInWords('2027-05-11T10:00')).toBe('Tuesday 11 May 2027 at 10:00am');
  expect(dateTimeInWords('2027-10-31T01:30+01:00')).toBe('Sunday 31 October 2027 at 1:30am');
  // An instant is shown in London time: 09:00 UTC is 10:00 in summer (BST), 09:00 in winter (GMT).
  expect(instantInWords('2027-05-11T09:00:00.000Z')).toBe('Tuesday 11 May 2027 at 10:00am');
  expect(instantInWords('2027-01-12T09:00:00.000Z')).toBe('Tuesday 12 January 2027 at 9:00am');
});

test("a rule's message keeps its words, with its dates in words", () => {
  expect(datesInWords('booked on 2027-03-13 for 2027-03-20T10:00: less than 2 weeks')).toBe(
    'booked on Saturday 13 March 2027 for Saturday 20 March 2027 at 10:00am: less than 2 weeks',
  );
});
