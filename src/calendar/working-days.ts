/**
 * Working days: Monday–Friday, excluding England and Wales bank holidays (substitute days
 * included), from the maintained `date-holidays` data (GB, region ENG). A working-day deadline
 * counted from an event starts the day after the event (epa-rules digest, "Date arithmetic").
 */
import Holidays from 'date-holidays';
import { addDays, isWeekendDay, type LondonDate } from './london';

let calendar: Holidays | undefined;
const byYear = new Map<number, Map<LondonDate, string>>();

/** England and Wales bank holidays of a year: date → name. */
export function bankHolidays(year: number): Map<LondonDate, string> {
  let holidays = byYear.get(year);
  if (!holidays) {
    calendar ??= new Holidays('GB', 'ENG');
    holidays = new Map();
    for (const h of calendar.getHolidays(year)) {
      if (h.type === 'public') holidays.set(h.date.slice(0, 10), h.name);
    }
    byYear.set(year, holidays);
  }
  return holidays;
}

export function bankHolidayName(date: LondonDate): string | undefined {
  return bankHolidays(Number(date.slice(0, 4))).get(date);
}

export function isWorkingDay(date: LondonDate): boolean {
  return !isWeekendDay(date) && bankHolidayName(date) === undefined;
}

/** The Nth working day after `date` (N ≥ 0; N = 0 gives `date` itself). */
export function addWorkingDays(date: LondonDate, n: number): LondonDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** The Nth working day before `date`: the latest day D with addWorkingDays(D, n) ≤ date's working-day position. */
export function subtractWorkingDays(date: LondonDate, n: number): LondonDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, -1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(from: LondonDate, to: LondonDate): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}
