/**
 * Where the lists of EPAs come from (the finder, the ops board, its CSV, the next 14 days, the
 * API's listings), behind one interface with two implementations:
 *
 * - `VisibilityListings`, the embedded default: Temporal's visibility store (search attributes and
 *   memo). It filters on the server, but has no ORDER BY: pages in date order are found by counting
 *   (day-order.ts), and name search, provider search and other sorts read the filtered set.
 * - `PgListingIndex` (src/store/pg-listing-index.ts), when a database is configured: the listing
 *   index each EPA workflow writes its row to (patch 'listing-index'), where every filter, search
 *   and sort is one indexed SQL query with its total.
 *
 * Both answer the same queries with the same rows in the same order (tests/cluster/listing-index
 * checks the index against this file's reference order).
 */
import type { Role } from '../epa/deadlines';
import { deadlineActions } from '../epa/display-names';
import { EpaInputError } from '../epa/errors';
import { stages } from '../epa/state';
import { rules } from '../plans';
import type { EpaClient, EpaFilter, EpaListing } from './epa-client';
import { pageInDayOrder } from './day-order';
import type { RowTask } from '../epa/tasks';

/** The orders lists come in: the finder's columns, and the board's most overdue first. */
export const LISTING_ORDERS = ['apprentice', 'standard', 'employer', 'stage', 'next', 'overdueSince'] as const;
export type ListingOrder = (typeof LISTING_ORDERS)[number];
/** Ascending (A to Z, soonest first) or descending; EPAs without the date sort last either way. */
export type ListingDirection = 'asc' | 'desc';

export interface ListingQuery {
  stage?: string;
  standard?: string;
  epao?: string;
  /** The employer's whole name, any case. */
  employer?: string;
  overdue?: boolean;
  running?: boolean;
  /** Who must act on any of its missed deadlines (missedOwners). */
  owner?: Role;
  /** The next deadline expires in [from, to] (ISO instants). */
  nextDeadlineFrom?: string;
  nextDeadlineTo?: string;
  /** An assessment booked (not yet taken) on one of these London dates. */
  bookedOn?: string[];
  /** Any part of the apprentice's name (any case, accents ignored) or ULN. */
  text?: string;
  /** Any part of the training provider's name. */
  provider?: string;
  /** Running, with the next deadline on or before this London date. */
  nextDueBy?: string;
}

export interface ListingPage {
  rows: EpaListing[];
  total: number;
  /** Calls to the store this page took (the benchmark prints them). */
  calls: number;
}

export interface EpaListings {
  /** Where lists come from, in words (start-up lines). */
  readonly source: string;
  /** Page `page` (from 1) of the matching EPAs in `order`, with the total. */
  page(
    query: ListingQuery,
    order: ListingOrder,
    page: number,
    pageSize: number,
    now: number,
    direction?: ListingDirection,
  ): Promise<ListingPage>;
  /** Every matching EPA in `order` (the CSV export, the API). */
  all(query: ListingQuery, order: ListingOrder, now: number, direction?: ListingDirection): Promise<EpaListing[]>;
  count(query: ListingQuery): Promise<number>;
  /** How many EPAs are at each stage (stages with none left out). */
  stageCounts(): Promise<Record<string, number>>;
  /** The open tasks of running EPAs (the board's "To handle"), oldest due first, at most `limit`, with how many there are. */
  tasks(query: TaskQuery, limit: number): Promise<TaskPage>;
}

/** Whose tasks: a case owner's (their username), those of EPAs with no owner yet (`null`), or all (absent). */
export interface TaskQuery {
  owner?: string | null;
}

/** One open task on the "To handle" list, with the EPA it is about. */
export interface TaskListing {
  uln: string;
  apprentice: string;
  standard: string;
  caseOwner: { username: string; name: string } | null;
  task: RowTask;
}

export interface TaskPage {
  rows: TaskListing[];
  /** How many open tasks match (the rows are the first `limit` of them). */
  total: number;
}

/** The reference order of the "To handle" list: due day, then ULN, then the task's key. */
export function compareTasks(a: TaskListing, b: TaskListing): number {
  return byCodePoint(a.task.due, b.task.due) || byCodePoint(a.uln, b.uln) || byCodePoint(a.task.key, b.task.key);
}

/** The "To handle" list from listings in memory (visibility's memos, the fakes): the reference the index agrees with. */
export function tasksOfListings(listings: readonly EpaListing[], query: TaskQuery, limit: number): TaskPage {
  const matching = listings
    .filter((l) => l.running)
    .filter((l) =>
      query.owner === undefined
        ? true
        : query.owner === null
          ? (l.caseOwner ?? null) === null
          : l.caseOwner?.username === query.owner,
    )
    .flatMap((l) =>
      (l.tasks ?? []).map((task) => ({
        uln: l.uln,
        apprentice: l.apprentice,
        standard: l.standard,
        caseOwner: l.caseOwner ?? null,
        task,
      })),
    )
    .sort(compareTasks);
  return { rows: matching.slice(0, limit), total: matching.length };
}

/**
 * A name as lists sort and search it: accents dropped, lower case, spaces squeezed. Both
 * implementations use it, and compare such keys by code point, so they agree on every order.
 */
export function sortKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The digits of a search text, for matching ULNs ("123 456" finds 1234567890). */
export const ulnDigits = (text: string): string => text.replace(/\s+/g, '');

/** Stands for a date an EPA does not have (no next deadline, nothing missed). */
const MISSING = '\uffff';

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The earliest missed deadline's London date ('' when none is missed). */
export function earliestMissed(r: Pick<EpaListing, 'missed'>): string {
  let first = '';
  for (const m of r.missed) if (first === '' || m.due < first) first = m.due;
  return first;
}

/** The reference order: what each order sorts by, then ULN. EPAs without the date sort last, in either direction. */
export function compareListings(
  order: ListingOrder,
  direction: ListingDirection = 'asc',
): (a: EpaListing, b: EpaListing) => number {
  const sign = direction === 'desc' ? -1 : 1;
  const keys = (r: EpaListing): string[] => {
    switch (order) {
      case 'apprentice':
        return [sortKey(r.apprentice)];
      case 'standard':
        return [sortKey(r.standard)];
      case 'employer':
        return [sortKey(r.employer)];
      case 'stage':
        return [sortKey(r.stage)];
      case 'next':
        return [r.nextDeadline?.due ?? MISSING];
      case 'overdueSince':
        return [earliestMissed(r) || MISSING, sortKey(r.apprentice)];
    }
  };
  return (a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
      const [x, y] = [ka[i]!, kb[i]!];
      if (x === y) continue;
      if (x === MISSING || y === MISSING) return x === MISSING ? 1 : -1;
      return sign * byCodePoint(x, y);
    }
    return sign * byCodePoint(a.uln, b.uln);
  };
}

/**
 * Who acts on a missed deadline: the owner its row names (rows since issue 29), else the one the
 * rules core gives its key (display-names' deadlineActions, which a unit test keeps the same), else
 * the EPAO.
 */
export function missedOwner(m: EpaListing['missed'][number]): Role {
  return m.owner ?? deadlineActions[m.key.split('.')[0]!]?.owner ?? 'epaoAdmin';
}

/** Everyone who must act on the EPA's missed deadlines, earliest missed first, each once: the board's "who must act". */
export function missedOwners(r: Pick<EpaListing, 'missed'>): Role[] {
  const sorted = [...r.missed].sort((a, b) => a.due.localeCompare(b.due) || a.key.localeCompare(b.key));
  return [...new Set(sorted.map(missedOwner))];
}

/** Whether a row matches the parts of a query visibility cannot filter (text, provider, next due by, who must act). */
export function matchesText(r: EpaListing, query: ListingQuery): boolean {
  if (query.owner !== undefined && !missedOwners(r).includes(query.owner)) return false;
  if (query.text) {
    const q = sortKey(query.text);
    const digits = ulnDigits(query.text);
    if (!sortKey(r.apprentice).includes(q) && !(digits !== '' && r.uln.includes(digits))) return false;
  }
  if (query.provider && !sortKey(r.provider).includes(sortKey(query.provider))) return false;
  if (query.nextDueBy !== undefined && !(r.running && r.nextDeadline !== null && r.nextDeadline.due <= query.nextDueBy))
    return false;
  return true;
}

const OWNERS: readonly Role[] = ['apprentice', 'employer', 'provider', 'assessor', 'epaoAdmin'];

/**
 * A query's values checked before it reaches any store: an unknown stage, standard, EPAO or owner is
 * an EpaInputError naming the field (never an empty list that looks like "none").
 */
export function checkListingQuery(query: ListingQuery): ListingQuery {
  const known = (field: string, value: string | undefined, values: readonly string[]): void => {
    if (value !== undefined && !values.includes(value))
      throw new EpaInputError(`unknown ${field} "${value.slice(0, 50)}" (one of: ${values.join(', ')})`, field);
  };
  known('stage', query.stage, stages);
  known('standard', query.standard, rules().standardIds);
  known('epao', query.epao, rules().epaoIds);
  known('owner', query.owner, OWNERS);
  for (const field of ['nextDeadlineFrom', 'nextDeadlineTo'] as const) {
    const value = query[field];
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new EpaInputError('must be an ISO 8601 instant', field);
  }
  if (query.nextDueBy !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(query.nextDueBy))
    throw new EpaInputError('a London date (YYYY-MM-DD)', 'nextDueBy');
  if (query.bookedOn?.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d)))
    throw new EpaInputError('London dates (YYYY-MM-DD)', 'bookedOn');
  return query;
}

/** The embedded default: lists from Temporal's visibility store. */
export class VisibilityListings implements EpaListings {
  readonly source = "Temporal's visibility store";

  constructor(private readonly epa: Pick<EpaClient, 'list' | 'count'>) {}

  async page(
    query: ListingQuery,
    order: ListingOrder,
    page: number,
    pageSize: number,
    now: number,
    direction: ListingDirection = 'asc',
  ): Promise<ListingPage> {
    if (this.onServer(query) && (order === 'overdueSince' || order === 'next') && direction === 'asc') {
      // Paged in date order on the server by counting (day-order.ts), without reading every match.
      const attribute = order === 'next' ? 'nextDeadline' : 'overdueSince';
      const found = await pageInDayOrder(this.epa, this.filter(query), attribute, page, pageSize, now);
      // Rows sharing a day keep the list's order (apprentice, then ULN) within the page.
      return { rows: found.rows.sort(compareListings(order)), total: found.total, calls: found.calls };
    }
    const all = await this.all(query, order, now, direction);
    return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, calls: 1 };
  }

  async all(query: ListingQuery, order: ListingOrder, _now?: number, direction: ListingDirection = 'asc'): Promise<EpaListing[]> {
    // Every match, however many (the client's default stops at 10,000).
    const rows = (await this.epa.list(this.filter(query), Number.MAX_SAFE_INTEGER)).filter((r) => matchesText(r, query));
    return rows.sort(compareListings(order, direction));
  }

  async count(query: ListingQuery): Promise<number> {
    if (this.onServer(query)) return await this.epa.count(this.filter(query));
    return (await this.all(query, 'apprentice')).length;
  }

  async tasks(query: TaskQuery, limit: number): Promise<TaskPage> {
    // Visibility cannot look inside a memo: the running EPAs' memos, read here (the index answers in SQL).
    return tasksOfListings(await this.epa.list({ running: true }, Number.MAX_SAFE_INTEGER), query, limit);
  }

  async stageCounts(): Promise<Record<string, number>> {
    const counts = await Promise.all(stages.map(async (stage) => [stage, await this.epa.count({ stage })] as const));
    return Object.fromEntries(counts.filter(([, n]) => n > 0));
  }

  /**
   * Whether visibility can answer the whole query: no text, provider or next-due-by filter, and no
   * owner (its EpaOwner attribute names only the most urgent missed deadline's: every owner is
   * read from the memo's missed deadlines, here).
   */
  private onServer(query: ListingQuery): boolean {
    return !query.text && !query.provider && query.nextDueBy === undefined && query.owner === undefined;
  }

  private filter(query: ListingQuery): EpaFilter {
    const { text: _t, provider: _p, owner: _o, nextDueBy, ...filter } = checkListingQuery(query);
    return nextDueBy !== undefined ? { ...filter, running: true } : filter;
  }
}
