/**
 * The bank-holiday table the calendar reads is exactly what the maintained `date-holidays` package
 * says for England and Wales (digest: "N working days" skip England and Wales bank holidays; seeds 002, 004).
 */
import Holidays from 'date-holidays';
import table from '../../src/calendar/bank-holidays-ew.json';
import { bankHolidays, isWorkingDay } from '../../src/calendar';

test('the generated table matches date-holidays (GB, ENG, public) for every year it covers', () => {
  const hd = new Holidays('GB', 'ENG');
  for (let year = table.first; year <= table.last; year++) {
    const fromLibrary = Object.fromEntries(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => [h.date.slice(0, 10), h.name]),
    );
    expect(Object.fromEntries(bankHolidays(year))).toEqual(fromLibrary);
  }
});

test('it covers the years EPAs run in, and refuses to guess outside them', () => {
  expect(table.first).toBeLessThanOrEqual(2020);
  expect(table.last).toBeGreaterThanOrEqual(2060);
  expect(() => isWorkingDay(`${table.last + 1}-01-02`)).toThrow(/npm run holidays:generate/);
});

test('one-off bank holidays are included (2022 Jubilee and state funeral, 2023 coronation)', () => {
  expect(isWorkingDay('2022-06-03')).toBe(false);
  expect(isWorkingDay('2022-09-19')).toBe(false);
  expect(isWorkingDay('2023-05-08')).toBe(false);
});
