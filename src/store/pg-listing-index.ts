/**
 * The listing index in PostgreSQL (EPA_DATABASE_URL): one row per EPA, written by its workflow
 * whenever what the lists show changes (the `indexEpa` local activity, patch 'listing-index'), and
 * read by the finder, the ops board, its CSV and the API. Every filter, search and order is one
 * SQL query on indexed columns, with its total from COUNT: no scan of Temporal's visibility.
 *
 * - A row carries a version (the workflow's clock, in microseconds, always rising): a write with a
 *   lower version than the row's is refused, so a retried or late write never puts an older row back.
 * - Names are kept for display and search (the apprentice, employer and provider); no contact
 *   details. An erasure request deletes the row with the EPA (docs/operations.md, Personal data in histories).
 * - `epa-flow reindex` fills the index from visibility for EPAs started before it, or before a
 *   database was configured; `migrate` runs it when it creates the table.
 */
import type { Pool } from 'pg';
import { endOfLondonDay } from '../calendar';
import { stages } from '../epa/state';
import type { EpaListing } from '../app/epa-client';
import type { EpaIndexChange, EpaIndexRow, ListingIndexWriter } from '../../activities/types';
import { filterKey } from '../temporal/search-attributes';
import {
  checkListingQuery,
  missedOwners,
  sortKey,
  ulnDigits,
  type EpaListings,
  type ListingDirection,
  type ListingOrder,
  type ListingPage,
  type ListingQuery,
  type TaskListing,
  type TaskPage,
  type TaskQuery,
} from '../app/listings';
import type { RowTask } from '../epa/tasks';

/** The columns each order sorts by: the same keys as compareListings (sortKey, code points), then ULN. */
const ORDER_BY: Record<ListingOrder, string[]> = {
  apprentice: ['apprentice_key', 'uln'],
  standard: ['standard_key', 'uln'],
  employer: ['employer_sort', 'uln'],
  stage: ['stage_key', 'uln'],
  next: ['next_deadline_due', 'uln'],
  overdueSince: ['earliest_missed', 'apprentice_key', 'uln'],
};

/** ORDER BY in a direction; a missing date (NULL) sorts last either way, as in compareListings. */
const orderBy = (order: ListingOrder, direction: ListingDirection = 'asc'): string =>
  ORDER_BY[order].map((c) => `${c} ${direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`).join(', ');

/** LIKE's own characters in a search text, escaped. */
const likeText = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type Values = unknown[];

/** WHERE for a query (every value a parameter). */
export function whereClause(query: ListingQuery, values: Values): string {
  const parts: string[] = [];
  const param = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  const q = checkListingQuery(query);
  if (q.stage !== undefined) parts.push(`stage = ${param(q.stage)}`);
  if (q.standard !== undefined) parts.push(`standard = ${param(q.standard)}`);
  if (q.epao !== undefined) parts.push(`epao = ${param(q.epao)}`);
  if (q.employer !== undefined) parts.push(`employer_key = ${param(filterKey(q.employer))}`);
  if (q.overdue !== undefined) parts.push(`overdue = ${param(q.overdue)}`);
  if (q.running !== undefined || q.nextDueBy !== undefined) parts.push(`running = ${param(q.running ?? true)}`);
  if (q.owner !== undefined) {
    // Anyone who must act on any missed deadline; a row without the column (an older writer's) by the most urgent one's.
    const owner = param(q.owner);
    parts.push(`(must_act_any @> ARRAY[${owner}]::text[] OR (must_act_any IS NULL AND must_act = ${owner}))`);
  }
  if (q.nextDeadlineFrom !== undefined) parts.push(`next_deadline_at >= ${param(new Date(q.nextDeadlineFrom))}`);
  if (q.nextDeadlineTo !== undefined) parts.push(`next_deadline_at <= ${param(new Date(q.nextDeadlineTo))}`);
  if (q.bookedOn?.length) parts.push(`booking_days && ${param(q.bookedOn)}::date[]`);
  if (q.text) {
    const name = `apprentice_key LIKE ${param(likeText(sortKey(q.text)))}`;
    const digits = ulnDigits(q.text);
    parts.push(digits ? `(${name} OR uln LIKE ${param(likeText(digits))})` : name);
  }
  if (q.provider) parts.push(`provider_key LIKE ${param(likeText(sortKey(q.provider)))}`);
  if (q.nextDueBy !== undefined) parts.push(`next_deadline_due <= ${param(q.nextDueBy)}::date`);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** The listing a row shows (the index keeps a little more: the instants it sorts and filters by). */
export function listingOf(row: EpaIndexRow): EpaListing {
  return {
    epaId: row.epaId,
    uln: row.uln,
    apprentice: row.apprentice,
    standard: row.standard,
    epao: row.epao,
    employer: row.employer,
    provider: row.provider,
    bookings: row.bookings,
    ...(row.planningMeeting && { planningMeeting: row.planningMeeting }),
    stage: row.stage,
    overdue: row.overdue,
    running: row.running,
    nextDeadline: row.nextDeadline ? { key: row.nextDeadline.key, due: row.nextDeadline.due } : null,
    missed: row.missed,
    startedAt: row.startedAt,
    ...(row.mustAct !== null && { mustAct: row.mustAct }),
    ...(row.caseOwner !== undefined && { caseOwner: row.caseOwner }),
    ...(row.tasks !== undefined && { tasks: row.tasks }),
  };
}

/** The row for an EPA listed from visibility (epa-flow reindex): the same fields, instants at the end of each London day. */
export function rowFromListing(e: EpaListing): EpaIndexRow {
  const endOf = (day: string): string => new Date(endOfLondonDay(day)).toISOString();
  const earliest = [...e.missed].sort((a, b) => a.due.localeCompare(b.due))[0];
  return {
    epaId: e.epaId,
    uln: e.uln,
    apprentice: e.apprentice,
    standard: e.standard,
    epao: e.epao,
    employer: e.employer,
    provider: e.provider,
    stage: e.stage,
    running: e.running,
    overdue: e.overdue,
    overdueSince: earliest ? endOf(earliest.due) : null,
    mustAct: e.mustAct ?? null,
    nextDeadline: e.nextDeadline ? { ...e.nextDeadline, dueAt: endOf(e.nextDeadline.due) } : null,
    missed: e.missed,
    bookings: e.bookings,
    ...(e.planningMeeting && { planningMeeting: e.planningMeeting }),
    startedAt: e.startedAt,
    ...(e.caseOwner !== undefined && { caseOwner: e.caseOwner }),
    ...(e.tasks !== undefined && { tasks: e.tasks }),
  };
}

const COLUMNS = [
  'epa_id',
  'uln',
  'apprentice_key',
  'standard',
  'standard_key',
  'epao',
  'employer_key',
  'employer_sort',
  'provider_key',
  'stage',
  'stage_key',
  'running',
  'overdue',
  'overdue_since',
  'earliest_missed',
  'must_act',
  'must_act_any',
  'next_deadline_at',
  'next_deadline_due',
  'booking_days',
  'row',
  'started_at',
  'version',
  'case_owner',
  'open_tasks',
  'first_task_due',
] as const;

function columnValues(change: EpaIndexChange): unknown[] {
  const r = change.row;
  const earliest = r.missed.reduce<string | null>((a, m) => (a === null || m.due < a ? m.due : a), null);
  return [
    r.epaId,
    r.uln,
    sortKey(r.apprentice),
    r.standard,
    sortKey(r.standard),
    r.epao,
    filterKey(r.employer),
    sortKey(r.employer),
    sortKey(r.provider),
    r.stage,
    sortKey(r.stage),
    r.running,
    r.overdue,
    r.overdueSince === null ? null : new Date(r.overdueSince),
    earliest,
    r.mustAct,
    missedOwners(r),
    r.nextDeadline === null ? null : new Date(r.nextDeadline.dueAt),
    r.nextDeadline?.due ?? null,
    // The days of the assessments booked and of the planning meeting booked: the board's next 14 days.
    [
      ...new Set(
        [...r.bookings.map((b) => b.at), ...(r.planningMeeting ? [r.planningMeeting.at] : [])].map((at) => at.slice(0, 10)),
      ),
    ],
    JSON.stringify(r),
    new Date(r.startedAt),
    change.version,
    r.caseOwner?.username ?? null,
    r.tasks?.length ?? 0,
    r.tasks?.reduce<string | null>((a, t) => (a === null || t.due < a ? t.due : a), null) ?? null,
  ];
}

export class PgListingIndex implements EpaListings, ListingIndexWriter {
  readonly source = 'the listing index in PostgreSQL';

  constructor(private readonly pool: Pool) {}

  /** Writes the row unless the index holds a later version; true when written. */
  async put(change: EpaIndexChange): Promise<boolean> {
    return (await this.upsert([change])) > 0;
  }

  /** Rows written in one statement; each only over an older version of itself. How many were written. */
  private async upsert(changes: EpaIndexChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    const values: unknown[] = [];
    const tuples = changes.map((change) => {
      const first = values.length;
      values.push(...columnValues(change));
      return `(${COLUMNS.map((_, i) => `$${first + i + 1}`).join(', ')}, now())`;
    });
    const { rowCount } = await this.pool.query(
      `INSERT INTO epa_listing AS l (${COLUMNS.join(', ')}, updated_at)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (epa_id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'epa_id' && c !== 'started_at')
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')}, updated_at = now()
       WHERE l.version < EXCLUDED.version`,
      values,
    );
    return rowCount ?? 0;
  }

  /**
   * Rows for EPAs found in visibility (epa-flow reindex): each written only where the index has none
   * or an older backfilled one (versions 0 and 1 never beat a workflow's own write); an EPA whose
   * workflow has closed is marked ended whatever wrote its row (a terminated run writes nothing more).
   */
  async backfill(rows: EpaIndexRow[]): Promise<{ written: number }> {
    let written = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      // A closed EPA's state is final: version 1 replaces a row backfilled while it was running.
      written += await this.upsert(batch.map((row) => ({ row, version: row.running ? 0 : 1 })));
      const closed = batch.filter((r) => !r.running).map((r) => r.epaId);
      if (closed.length > 0) {
        const { rowCount } = await this.pool.query(
          `UPDATE epa_listing SET running = false, row = jsonb_set(row, '{running}', 'false'), updated_at = now()
           WHERE epa_id = ANY($1) AND running`,
          [closed],
        );
        written += rowCount ?? 0;
      }
    }
    return { written };
  }

  async page(
    query: ListingQuery,
    order: ListingOrder,
    page: number,
    pageSize: number,
    _now?: number,
    direction: ListingDirection = 'asc',
  ): Promise<ListingPage> {
    const values: Values = [];
    const where = whereClause(query, values);
    const [found, total] = await Promise.all([
      this.pool.query<{ row: EpaIndexRow }>(
        `SELECT row FROM epa_listing ${where} ORDER BY ${orderBy(order, direction)} LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
        values,
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM epa_listing ${where}`, values),
    ]);
    return { rows: found.rows.map((r) => listingOf(r.row)), total: Number(total.rows[0]!.n), calls: 2 };
  }

  async all(query: ListingQuery, order: ListingOrder, _now?: number, direction: ListingDirection = 'asc'): Promise<EpaListing[]> {
    const values: Values = [];
    const where = whereClause(query, values);
    const { rows } = await this.pool.query<{ row: EpaIndexRow }>(
      `SELECT row FROM epa_listing ${where} ORDER BY ${orderBy(order, direction)}`,
      values,
    );
    return rows.map((r) => listingOf(r.row));
  }

  async count(query: ListingQuery): Promise<number> {
    const values: Values = [];
    const where = whereClause(query, values);
    return Number((await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM epa_listing ${where}`, values)).rows[0]!.n);
  }

  async stageCounts(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ stage: string; n: string }>(
      'SELECT stage, count(*) AS n FROM epa_listing GROUP BY stage',
    );
    const counts = new Map(rows.map((r) => [r.stage, Number(r.n)]));
    return Object.fromEntries(stages.filter((s) => counts.has(s)).map((s) => [s, counts.get(s)!]));
  }

  async tasks(query: TaskQuery, limit: number): Promise<TaskPage> {
    const values: Values = [];
    const where = ['open_tasks > 0', 'running'];
    if (query.owner === null) where.push('case_owner IS NULL');
    else if (query.owner !== undefined) {
      values.push(query.owner);
      where.push(`case_owner = $${values.length}`);
    }
    const filter = `WHERE ${where.join(' AND ')}`;
    const [found, total] = await Promise.all([
      this.pool.query<{ uln: string; apprentice: string; standard: string; owner: TaskListing['caseOwner']; task: RowTask }>(
        `SELECT l.uln, l.row->>'apprentice' AS apprentice, l.standard, l.row->'caseOwner' AS owner, t.task
         FROM epa_listing l CROSS JOIN LATERAL jsonb_array_elements(l.row->'tasks') AS t(task)
         ${filter}
         ORDER BY (t.task->>'due') COLLATE "C", l.uln, (t.task->>'key') COLLATE "C" LIMIT ${Math.floor(limit)}`,
        values,
      ),
      this.pool.query<{ n: string }>(`SELECT coalesce(sum(open_tasks), 0) AS n FROM epa_listing ${filter}`, values),
    ]);
    return {
      rows: found.rows.map((r) => ({
        uln: r.uln,
        apprentice: r.apprentice,
        standard: r.standard,
        caseOwner: r.owner ?? null,
        task: r.task,
      })),
      total: Number(total.rows[0]!.n),
    };
  }

  /** How many EPAs the index holds (migrate and reindex report it). */
  async size(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM epa_listing')).rows[0]!.n);
  }

  /** An EPA's row removed (a data-erasure request, after its workflow is deleted). */
  async erase(epaId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM epa_listing WHERE epa_id = $1', [epaId]);
    return (rowCount ?? 0) > 0;
  }
}
