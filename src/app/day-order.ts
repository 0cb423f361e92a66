/**
 * Pages of EPAs in date order from SQL visibility, which has no ORDER BY: the page's bounds are found
 * by counting, then only the rows between them are fetched and sorted here.
 *
 * An attribute that holds an instant once per London day (a deadline's expiry, the end of its day)
 * splits at noon UTC of each day, which never equals such an instant. f(i) = how many EPAs match
 * with the attribute before cut i is monotonic, so the cut where a page starts and the one where it
 * ends are found by a k-way search: 8 counts at once per round, four rounds over the ten years
 * before today (missed deadlines), five over twenty (next deadlines); the first page searches only
 * its end. EPAs without the attribute (started before it existed) come last, in ULN order.
 *
 * Cost: those rounds of counts (one COUNT each in PostgreSQL, cached for 15 s) plus one fetch of
 * the rows between the cuts: the page's rows and those that share their first and last day.
 */
import { addDays, londonDateOf } from '../calendar';
import type { EpaClient, EpaFilter, EpaListing } from './epa-client';

export type DayOrderedAttribute = 'overdueSince' | 'nextDeadline';

type Reader = Pick<EpaClient, 'list' | 'count'>;

const WAYS = 8;
/** No cap on the rows a window reads (the client's default stops at 10,000). */
const EVERY = Number.MAX_SAFE_INTEGER;
/** Up to this many matching EPAs, one list call beats counting. */
const ONE_PAGE = 1000;
const DAYS_EACH_WAY = 3650;

function cutFilter(filter: EpaFilter, attribute: DayOrderedAttribute, before: string | null): EpaFilter {
  return attribute === 'overdueSince' ? { ...filter, overdueSinceBefore: before } : { ...filter, nextDeadlineBefore: before };
}

/**
 * Counts below each cut, kept for 15 s per filter: paging on, or refreshing the board, reuses them
 * (the total is counted afresh every time; a page's bounds may be up to 15 s old).
 */
const CUT_CACHE_MS = 15_000;
const recentCuts = new Map<string, { count: number; at: number }>();
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of recentCuts) if (now - entry.at >= CUT_CACHE_MS) recentCuts.delete(key);
}, CUT_CACHE_MS).unref();

/** Forgets the cached counts (tests). */
export function forgetCounts(): void {
  recentCuts.clear();
}

const latest = (a: string | undefined, b: string): string => (a !== undefined && Date.parse(a) > Date.parse(b) ? a : b);

function valueOf(row: EpaListing, attribute: DayOrderedAttribute): string {
  if (attribute === 'nextDeadline') return row.nextDeadline?.due ?? '';
  return [...row.missed].sort((a, b) => a.due.localeCompare(b.due))[0]?.due ?? '';
}

export interface DayOrderedPage {
  rows: EpaListing[];
  total: number;
  /** Visibility calls this page took (counts and list pages), for the benchmark. */
  calls: number;
}

/** Page `page` (from 1) of `pageSize` EPAs matching `filter`, soonest `attribute` first, with the total. */
export async function pageInDayOrder(
  epa: Reader,
  filter: EpaFilter,
  attribute: DayOrderedAttribute,
  page: number,
  pageSize: number,
  now: number,
): Promise<DayOrderedPage> {
  let calls = 0;
  const count = async (f: EpaFilter): Promise<number> => {
    calls++;
    return await epa.count(f);
  };
  const [total, missing] = await Promise.all([count(filter), count(cutFilter(filter, attribute, null))]);
  const withValue = total - missing;
  const start = (page - 1) * pageSize;
  const end = Math.min(start + pageSize, total);
  if (start >= total) return { rows: [], total, calls };
  if (total <= ONE_PAGE) {
    // Few enough for one visibility page: read them all and sort here (fewer calls than counting).
    calls++;
    const all = await epa.list(filter);
    const key = (r: EpaListing): string => valueOf(r, attribute) || '\uffff';
    all.sort((a, b) => key(a).localeCompare(key(b)) || a.uln.localeCompare(b.uln));
    return { rows: all.slice(start, end), total, calls };
  }

  const firstDay = addDays(londonDateOf(now), -DAYS_EACH_WAY);
  const cut = (i: number): string => `${addDays(firstDay, i)}T12:00:00Z`;
  // A missed deadline expired in the past: its cuts end tomorrow. A next deadline may lie ten years ahead.
  const last = attribute === 'overdueSince' ? DAYS_EACH_WAY + 1 : 2 * DAYS_EACH_WAY;
  const memo = new Map<number, Promise<number>>([[-1, Promise.resolve(0)]]);
  const cacheKey = (i: number): string => `${attribute} ${JSON.stringify(filter)} ${cut(i)}`;
  const f = (i: number): Promise<number> => {
    if (i > last) return Promise.resolve(withValue);
    let known = memo.get(i);
    if (!known) {
      const cached = recentCuts.get(cacheKey(i));
      known =
        cached && Date.now() - cached.at < CUT_CACHE_MS
          ? Promise.resolve(cached.count)
          : count(cutFilter(filter, attribute, cut(i))).then((n) => {
              recentCuts.set(cacheKey(i), { count: n, at: Date.now() });
              return n;
            });
      memo.set(i, known);
    }
    return known;
  };
  /** The smallest cut i with f(i) ≥ target (target ≤ withValue): `last + 1` stands for "after every value". */
  const smallestCut = async (target: number): Promise<number> => {
    let lo = -1; // f(lo) < target
    let hi = last + 1; // f(hi) ≥ target
    while (hi - lo > 1) {
      const step = (hi - lo) / (WAYS + 1);
      const points = [...new Set(Array.from({ length: WAYS }, (_, k) => Math.round(lo + step * (k + 1))))].filter(
        (p) => p > lo && p < hi,
      );
      if (points.length === 0) break;
      const values = await Promise.all(points.map(f));
      for (const [k, p] of points.entries()) {
        if (values[k]! >= target) {
          hi = p;
          break;
        }
        lo = p;
      }
    }
    return hi;
  };

  const rows: EpaListing[] = [];
  if (start < withValue) {
    // The first page needs no lower bound: it starts at the earliest value.
    const [from, to] = await Promise.all([
      start === 0 ? Promise.resolve(-1) : smallestCut(start + 1).then((i) => i - 1),
      smallestCut(Math.min(end, withValue)),
    ]);
    const before = await f(from);
    // The upper cut is always set (at most ten years ahead), which also leaves out EPAs without the attribute.
    const upper = cut(Math.min(to, last + 1));
    const window: EpaFilter =
      attribute === 'overdueSince'
        ? { ...filter, overdueSinceBefore: upper, ...(from >= 0 && { overdueSinceFrom: cut(from) }) }
        : {
            ...filter,
            nextDeadlineBefore: upper,
            ...(from >= 0 && { nextDeadlineFrom: latest(filter.nextDeadlineFrom, cut(from)) }),
          };
    calls++;
    const found = await epa.list(window, EVERY);
    found.sort((a, b) => valueOf(a, attribute).localeCompare(valueOf(b, attribute)) || a.uln.localeCompare(b.uln));
    rows.push(...found.slice(start - before, end - before));
  }
  if (end > withValue) {
    calls++;
    const without = (await epa.list(cutFilter(filter, attribute, null), EVERY)).sort((a, b) => a.uln.localeCompare(b.uln));
    rows.push(...without.slice(Math.max(0, start - withValue), end - withValue));
  }
  return { rows, total, calls };
}
