/**
 * Dates as people write them (src/calendar/written-dates.ts): a GOV.UK date input's three boxes and
 * a CSV cell in UK (dd/mm/yyyy) or ISO (yyyy-mm-dd) form; an impossible date is refused in words.
 */
import { dateFromParts, dateFromText, dateInWords } from '../../src/calendar';

test('day, month and year boxes: padded to a date; a missing or impossible part names the box to fix', () => {
  expect(dateFromParts('7', '3', '2027')).toEqual({ date: '2027-03-07' });
  expect(dateFromParts(' 29 ', '02', '2028')).toEqual({ date: '2028-02-29' }); // a leap year
  expect(dateFromParts('', '', '')).toEqual({ problem: { part: 'day', words: 'must be entered' } });
  expect(dateFromParts('7', '', '2027')).toEqual({ problem: { part: 'month', words: 'must include a month' } });
  expect(dateFromParts('', '', '2027')).toEqual({ problem: { part: 'day', words: 'must include a day and a month' } });
  expect(dateFromParts('31', '2', '2027')).toEqual({
    problem: { part: 'day', words: 'must be a real date: February 2027 has 28 days' },
  });
  expect(dateFromParts('31', '4', '2027')).toEqual({
    problem: { part: 'day', words: 'must be a real date: April 2027 has 30 days' },
  });
  expect(dateFromParts('1', '13', '2027')).toMatchObject({ problem: { part: 'month' } });
  expect(dateFromParts('1', '3', '27')).toEqual({
    problem: { part: 'year', words: 'must be a real date: the year has 4 numbers, like 2027' },
  });
  expect(dateFromParts('first', '3', '2027')).toMatchObject({ problem: { part: 'day' } });
});

test('a CSV cell: dd/mm/yyyy (UK) or yyyy-mm-dd (ISO) give the same date; 31/02/2027 is refused in words', () => {
  expect(dateFromText('27/03/2027')).toEqual({ date: '2027-03-27' });
  expect(dateFromText('7/3/2027')).toEqual({ date: '2027-03-07' });
  expect(dateFromText('2027-03-27')).toEqual({ date: '2027-03-27' });
  expect(dateFromText(' ')).toBeUndefined();
  expect(dateFromText('31/02/2027')).toEqual({
    problem: { part: 'day', words: '31/02/2027 is not a real calendar date: February 2027 has 28 days' },
  });
  expect(dateFromText('2026-02-30')).toEqual({
    problem: { part: 'day', words: '2026-02-30 is not a real calendar date: February 2026 has 28 days' },
  });
  expect(dateFromText('03/27/2027')).toMatchObject({ problem: { words: expect.stringMatching(/no month|number from 1 to 12/) } });
  expect(dateFromText('27 March 2027')).toEqual({
    problem: { part: 'day', words: 'must be written as dd/mm/yyyy (like 27/03/2027) or yyyy-mm-dd; "27 March 2027" is neither' },
  });
});

test('a date in words', () => {
  expect(dateInWords('2027-03-07')).toBe('7 March 2027');
  expect(dateInWords('2027-12-31')).toBe('31 December 2027');
});
