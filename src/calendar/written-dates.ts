/**
 * Dates as people write them: in a GOV.UK date input (day, month and year boxes) or in a CSV cell
 * (27/03/2027 as in the UK, or 2027-03-27). Each reading gives the date (YYYY-MM-DD) or what is
 * wrong, in words: 31/02/2027 is not a date because February 2027 has 28 days.
 */
import type { LondonDate } from './london';

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** What is wrong with a written date; `part` is the box to fix (a date input's day, month or year). */
export interface DateProblem {
  part: 'day' | 'month' | 'year';
  /** Words that follow the date's name: "must include a month", "must be a real date: …". */
  words: string;
}

export type DateReading = { date: LondonDate } | { problem: DateProblem };

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A date from its day, month and year as typed (each may be empty or not a number). */
export function dateFromParts(day: string, month: string, year: string): DateReading {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  const missing = (['day', 'month', 'year'] as const).filter((_, i) => ![d, m, y][i]);
  if (missing.length === 3) return { problem: { part: 'day', words: 'must be entered' } };
  if (missing.length > 0) return { problem: { part: missing[0]!, words: `must include a ${missing.join(' and a ')}` } };
  if (!/^\d{1,2}$/.test(d)) return { problem: { part: 'day', words: 'must be a real date: the day is a number from 1 to 31' } };
  if (!/^\d{1,2}$/.test(m))
    return { problem: { part: 'month', words: 'must be a real date: the month is a number from 1 to 12' } };
  if (!/^\d{4}$/.test(y)) return { problem: { part: 'year', words: 'must be a real date: the year has 4 numbers, like 2027' } };
  const [dn, mn, yn] = [Number(d), Number(m), Number(y)];
  if (mn < 1 || mn > 12) return { problem: { part: 'month', words: 'must be a real date: the month is a number from 1 to 12' } };
  const last = daysIn(yn, mn);
  if (dn < 1 || dn > last)
    return {
      problem: {
        part: 'day',
        words: `must be a real date: ${MONTH_NAMES[mn - 1]} ${yn} has ${last} days`,
      },
    };
  return { date: `${yn}-${String(mn).padStart(2, '0')}-${String(dn).padStart(2, '0')}` };
}

/**
 * A date written in a CSV cell: dd/mm/yyyy (27/03/2027, also 27/3/2027) as in the UK, or
 * yyyy-mm-dd (2027-03-27). Undefined for an empty cell.
 */
export function dateFromText(text: string): DateReading | undefined {
  const value = text.trim();
  if (!value) return undefined;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!uk && !iso)
    return {
      problem: { part: 'day', words: `must be written as dd/mm/yyyy (like 27/03/2027) or yyyy-mm-dd; "${value}" is neither` },
    };
  const reading = uk ? dateFromParts(uk[1]!, uk[2]!, uk[3]!) : dateFromParts(iso![3]!, iso![2]!, iso![1]!);
  if ('problem' in reading)
    return {
      problem: {
        ...reading.problem,
        words: reading.problem.words.replace('must be a real date', `${value} is not a real calendar date`),
      },
    };
  return reading;
}

/** A date in words: "27 March 2027". */
export function dateInWords(date: LondonDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTH_NAMES[m! - 1]} ${y}`;
}
