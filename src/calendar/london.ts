/**
 * London calendar dates and instants. Every EPA date is a London calendar date `YYYY-MM-DD`; a
 * deadline "by day D" expires at the end of D in London, whatever the UTC offset that day.
 *
 * Pure and deterministic: no `Date.now()`, no Node built-ins, so it runs in the workflow sandbox.
 * Calendar arithmetic uses date-fns on local-noon Dates (immune to the host's DST); London offsets
 * come from @date-fns/tz.
 */
// Subpath imports keep the workflow bundle to the five functions used.
import { addDays as fnsAddDays } from 'date-fns/addDays';
import { addMonths as fnsAddMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { isValid } from 'date-fns/isValid';
import { isWeekend } from 'date-fns/isWeekend';
import { TZDate, tzOffset } from '@date-fns/tz';

export type LondonDate = string; // YYYY-MM-DD
/** YYYY-MM-DDTHH:mm, London wall-clock time; `+01:00` / `+00:00` appended only where the time happens twice (autumn). */
export type LondonDateTime = string;

export const LONDON = 'Europe/London';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/;

export class InvalidDateError extends Error {
  constructor(value: string, why: string) {
    super(`${JSON.stringify(value)} is not a valid date: ${why}`);
    this.name = 'InvalidDateError';
  }
}

function parts(value: string): [number, number, number] {
  const m = DATE_RE.exec(value);
  if (!m) throw new InvalidDateError(value, 'expected YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const local = new Date(y, mo - 1, d, 12);
  if (!isValid(local) || local.getFullYear() !== y || local.getMonth() !== mo - 1 || local.getDate() !== d) {
    throw new InvalidDateError(value, 'no such day in the calendar');
  }
  return [y, mo, d];
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isLondonDate(value: string): boolean {
  try {
    parts(value);
    return true;
  } catch {
    return false;
  }
}

export function isLondonDateTime(value: string): boolean {
  return londonDateTimeProblem(value) === undefined;
}

/** The offsets (minutes east of UTC) London has at a wall-clock time: none in the spring gap, two in the autumn overlap. */
function londonOffsetsAt(date: LondonDate, hh: number, mm: number): number[] {
  const [y, m, d] = parts(date);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  return [0, 60].filter((offset) => londonOffsetMinutes(wall - offset * 60_000) === offset);
}

function offsetText(minutes: number): string {
  return minutes === 60 ? '+01:00 (BST)' : '+00:00 (GMT)';
}

/**
 * Why a London date-time can't be used, or undefined. Written YYYY-MM-DDTHH:mm; a time that does not
 * exist in London (the hour the clocks go forward) is refused; a time that happens twice (the hour
 * the clocks go back) needs its offset, `+01:00` for the first (BST) or `+00:00` for the second (GMT).
 */
export function londonDateTimeProblem(value: string): string | undefined {
  const m = DATE_TIME_RE.exec(value);
  if (!m || !isLondonDate(value.slice(0, 10)) || Number(m[4]) > 23 || Number(m[5]) > 59)
    return 'must be a real London local date-time written YYYY-MM-DDTHH:mm';
  const offsets = londonOffsetsAt(value.slice(0, 10), Number(m[4]), Number(m[5]));
  const time = `${m[4]}:${m[5]}`;
  if (offsets.length === 0)
    return `${time} on ${value.slice(0, 10)} does not exist in London: the clocks go forward from 01:00 to 02:00 that day`;
  const given = m[6];
  if (given === undefined) {
    if (offsets.length > 1)
      return `${time} on ${value.slice(0, 10)} happens twice in London (the clocks go back at 02:00 BST): write it with its offset, ${value}+01:00 for the first (BST) or ${value}+00:00 for the second (GMT)`;
    return undefined;
  }
  const minutes = writtenOffset(value)!;
  if (!offsets.includes(minutes))
    return `${time} on ${value.slice(0, 10)} in London is ${offsets.map(offsetText).join(' or ')}, not ${given}`;
  return undefined;
}

/** The UTC offset written on a London date-time (minutes), if any. */
function writtenOffset(value: string): number | undefined {
  const given = DATE_TIME_RE.exec(value)?.[6];
  if (given === undefined) return undefined;
  if (given === 'Z') return 0;
  return (given.startsWith('-') ? -1 : 1) * (Number(given.slice(1, 3)) * 60 + Number(given.slice(4, 6)));
}

function toLocalNoon(date: LondonDate): Date {
  const [y, m, d] = parts(date);
  return new Date(y, m - 1, d, 12);
}

function fromLocal(date: Date): LondonDate {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(date: LondonDate, days: number): LondonDate {
  return fromLocal(fnsAddDays(toLocalNoon(date), days));
}

/** "N weeks" = 7·N calendar days. */
export function addWeeks(date: LondonDate, weeks: number): LondonDate {
  return addDays(date, 7 * weeks);
}

/** "N months" = calendar months, clamped at month end: 30 Nov + 3 months = 28 Feb (29 in a leap year). */
export function addMonths(date: LondonDate, months: number): LondonDate {
  return fromLocal(fnsAddMonths(toLocalNoon(date), months));
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LondonDate, b: LondonDate): number {
  return differenceInCalendarDays(toLocalNoon(b), toLocalNoon(a));
}

export function isWeekendDay(date: LondonDate): boolean {
  return isWeekend(toLocalNoon(date));
}

const instants = new Map<string, number>();

/** The instant (epoch ms) of a London wall-clock time on a London date. */
export function londonInstant(date: LondonDate, time = '00:00'): number {
  const key = `${date}T${time}`;
  let instant = instants.get(key);
  if (instant === undefined) {
    instant = computeLondonInstant(date, time);
    if (instants.size > 50_000) instants.clear();
    instants.set(key, instant);
  }
  return instant;
}

function computeLondonInstant(date: LondonDate, time: string): number {
  const [y, m, d] = parts(date);
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return new TZDate(y, m - 1, d, hh, mm, 0, 0, LONDON).getTime();
}

/** The instant a London local date-time denotes (its written offset decides an autumn time that happens twice). */
export function londonDateTimeInstant(value: LondonDateTime): number {
  const problem = londonDateTimeProblem(value);
  if (problem) throw new InvalidDateError(value, problem);
  const offset = writtenOffset(value);
  if (offset === undefined) return londonInstant(value.slice(0, 10), value.slice(11, 16));
  const [y, m, d] = parts(value.slice(0, 10));
  return Date.UTC(y, m - 1, d, Number(value.slice(11, 13)), Number(value.slice(14, 16))) - offset * 60_000;
}

/** A deadline "by day D" expires at the end of D in London: the first instant of D + 1. */
export function endOfLondonDay(date: LondonDate): number {
  return londonInstant(addDays(date, 1));
}

/*
 * Reading an instant's London date, time and offset uses tzOffset (Intl) on a plain Date, never a
 * `new TZDate(instant)`: in Temporal's workflow sandbox `Date` is a wrapper function, so a TZDate
 * built from one instant is a plain Date whose getters answer in the host's zone (UTC on a server),
 * which let 01:30 on the day the clocks go forward through the workflow's own check.
 */

/** The London wall clock of an instant, as a Date whose UTC fields read it. */
function londonWall(instant: number): Date {
  return new Date(instant + londonOffsetMinutes(instant) * 60_000);
}

/** The London calendar date of an instant. */
export function londonDateOf(instant: number): LondonDate {
  const wall = londonWall(instant);
  return fromParts(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate());
}

/** The London wall-clock time `HH:mm` of an instant. */
export function londonTimeOf(instant: number): string {
  const wall = londonWall(instant);
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}

/** The London UTC offset in minutes at an instant (0 in GMT, 60 in BST). */
export function londonOffsetMinutes(instant: number): number {
  return tzOffset(LONDON, new Date(instant));
}

function fromParts(y: number, m: number, d: number): LondonDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
