/**
 * Date arithmetic rules of the digest ("Date arithmetic", all seeds): N months with month-end
 * clamping, working days without weekends and England and Wales bank holidays, end-of-day London.
 */
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  addWorkingDays,
  bankHolidayName,
  endOfLondonDay,
  isLondonDate,
  isWorkingDay,
  londonDateOf,
  londonDateTimeInstant,
  londonOffsetMinutes,
  subtractWorkingDays,
  workingDaysBetween,
} from '../../src/calendar';

describe('calendar months (digest: "N months" = calendar months, seeds 001 §5 / 004)', () => {
  test.each([
    ['2026-11-30', 3, '2027-02-28'], // 30 Nov + 3 months = 28 Feb
    ['2027-11-30', 3, '2028-02-29'], // … 29 Feb in a leap year
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-11-16', 3, '2027-02-16'],
    ['2027-03-31', 12, '2028-03-31'],
  ])('%s + %i months = %s', (from, n, expected) => {
    expect(addMonths(from, n)).toBe(expected);
  });
});

describe('impossible dates are refused', () => {
  test.each(['2026-02-30', '2026-13-01', '2027-02-29', '2026-1-05', 'tomorrow', '2026-04-31'])('%s is not a date', (d) => {
    expect(isLondonDate(d)).toBe(false);
  });
  test('2028-02-29 is a date (leap year)', () => expect(isLondonDate('2028-02-29')).toBe(true));
});

describe('England and Wales bank holidays (digest: working days, seeds 002, 004)', () => {
  test.each([
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-28', 'Boxing Day (substitute day)'], // Boxing Day 2026 is a Saturday
    ['2027-12-27', 'Christmas Day (substitute day)'], // Christmas 2027 is a Saturday
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2022-01-03', "New Year's Day (substitute day)"],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2027-08-30', 'Summer bank holiday'],
  ])('%s is %s', (date, name) => {
    expect(bankHolidayName(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(false);
  });
  test('Scottish-only and observance days are working days in England', () => {
    expect(isWorkingDay('2027-01-04')).toBe(true); // 2 January substitute is Scotland only
    expect(isWorkingDay('2027-11-30')).toBe(true); // St Andrew's Day: Scotland only
    expect(bankHolidayName('2027-03-07')).toBeUndefined(); // Mother's Day is an observance
  });
});

describe('adding working days (counting starts the day after the event)', () => {
  test.each([
    ['2027-01-12', 7, '2027-01-21'], // Tue + 7 working days (002: results within 7)
    ['2026-12-18', 7, '2026-12-31'], // across Christmas and the substitute Boxing Day (Mon 28th)
    ['2026-12-18', 8, '2027-01-04'], // … and New Year's Day
    ['2027-12-21', 5, '2027-12-30'], // 22nd, 23rd, 24th, then 29th, 30th: the 27th and 28th are substitute days
    ['2027-03-24', 3, '2027-03-31'], // across Good Friday and Easter Monday
    ['2026-08-27', 2, '2026-09-01'], // across the August bank holiday
    ['2027-01-15', 10, '2027-01-29'], // 004: 10 working days
    ['2027-01-15', 0, '2027-01-15'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });
  test('subtracting undoes adding on working days', () => {
    expect(subtractWorkingDays('2027-01-04', 8)).toBe('2026-12-18');
    expect(workingDaysBetween('2026-12-18', '2027-01-04')).toBe(8);
  });

  const date = fc
    .date({ min: new Date('2024-01-01T12:00:00Z'), max: new Date('2030-12-31T12:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  test('property: N ≥ 1 working days never lands on a weekend or bank holiday', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 40 }), (d, n) => {
        const r = addWorkingDays(d, n);
        return isWorkingDay(r) && workingDaysBetween(d, r) === n;
      }),
      { numRuns: 300 },
    );
  });
  test('property: adding working days is monotonic in N', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (d, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return addWorkingDays(d, lo) <= addWorkingDays(d, hi) && (lo === hi || addWorkingDays(d, lo) < addWorkingDays(d, hi));
      }),
      { numRuns: 300 },
    );
  });
  test('property: calendar days add up', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -400, max: 400 }), (d, n) => addDays(addDays(d, n), -n) === d),
      { numRuns: 300 },
    );
  });
});

describe('end-of-day London deadlines across BST and GMT (digest: Europe/London)', () => {
  test('a summer deadline ends at 23:00 UTC (BST), a winter one at 24:00 UTC (GMT)', () => {
    expect(new Date(endOfLondonDay('2027-07-01')).toISOString()).toBe('2027-07-01T23:00:00.000Z');
    expect(new Date(endOfLondonDay('2027-01-12')).toISOString()).toBe('2027-01-13T00:00:00.000Z');
  });
  test('the day the clocks go back (31 Oct 2027) is 25 hours long', () => {
    expect(endOfLondonDay('2027-10-31') - endOfLondonDay('2027-10-30')).toBe(25 * 3600_000);
    expect(endOfLondonDay('2027-03-28') - endOfLondonDay('2027-03-27')).toBe(23 * 3600_000);
  });
  test('London local times map to the right instants either side of the change', () => {
    expect(new Date(londonDateTimeInstant('2027-10-29T10:00')).toISOString()).toBe('2027-10-29T09:00:00.000Z');
    expect(new Date(londonDateTimeInstant('2027-11-01T10:00')).toISOString()).toBe('2027-11-01T10:00:00.000Z');
    expect(londonOffsetMinutes(Date.parse('2027-10-30T12:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2027-10-31T12:00:00Z'))).toBe(0);
  });
  test('the London date of an instant just before midnight BST is still that day', () => {
    expect(londonDateOf(Date.parse('2027-07-01T22:59:59Z'))).toBe('2027-07-01');
    expect(londonDateOf(Date.parse('2027-07-01T23:00:00Z'))).toBe('2027-07-02');
  });
});
