/**
 * What the staff pages and the API show of EPAs, as application functions over the EPA client:
 * the overdue board, counts per stage, the next 14 days, the apprentice finder (search, filters,
 * sorting, pages of 50) and one apprentice's EPA. No Temporal call or rule outside them.
 */
import { londonDateOf } from '../calendar';
import { EpaInputError } from '../epa/errors';
import { stages } from '../epa/state';
import { describeSource, rules } from '../plans';
import type { EpaClient, EpaFilter, EpaListing, OverdueEpa } from '../temporal/epa-client';
import type { EpaStatus } from '../../workflows/definitions';

export interface OverdueRow extends OverdueEpa {
  temporalUrl: string;
}

export type EpaReader = Pick<EpaClient, 'list' | 'count' | 'overdue' | 'status'>;

export async function overdueBoard(epa: EpaReader, now: number, temporalUrl: (epaId: string) => string): Promise<OverdueRow[]> {
  return (await epa.overdue(londonDateOf(now))).map((e) => ({ ...e, temporalUrl: temporalUrl(e.epaId) }));
}

export async function stageCounts(epa: EpaReader): Promise<Record<string, number>> {
  const counts = await Promise.all(stages.map(async (stage) => [stage, await epa.count({ stage })] as const));
  return Object.fromEntries(counts.filter(([, n]) => n > 0));
}

/** Running EPAs whose next deadline falls in the next 14 days, soonest first. */
export async function upcoming(epa: EpaReader, now: number): Promise<EpaListing[]> {
  const from = new Date(now).toISOString();
  const to = new Date(now + 14 * 86_400_000).toISOString();
  const rows = await epa.list({ running: true, nextDeadlineFrom: from, nextDeadlineTo: to });
  return rows.sort((a, b) => (a.nextDeadline?.due ?? '').localeCompare(b.nextDeadline?.due ?? ''));
}

export const PAGE_SIZE = 50;
const SORTS = ['apprentice', 'standard', 'employer', 'stage', 'next'] as const;
export type EpaSort = (typeof SORTS)[number];

/** The finder's query as a page sends it (every field optional; empty means "any"). */
export interface FindQuery {
  q?: string;
  stage?: string;
  standard?: string;
  epao?: string;
  employer?: string;
  overdue?: string;
  sort?: string;
  page?: string;
}

export interface FoundEpas {
  rows: EpaListing[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  sort: EpaSort;
  /** The query as understood (for the filter form and paging links). */
  query: Required<Omit<FindQuery, 'page'>>;
  /** The choices the filters offer. */
  choices: { stages: readonly string[]; standards: string[]; epaos: string[] };
}

/**
 * The apprentice finder: search by name or ULN (any part, any case), filter by stage, standard,
 * EPAO, employer and overdue, sort, and a page of 50 with the total. An unknown filter value is an
 * EpaInputError naming the field (never an empty list that looks like "none").
 */
export async function findEpas(epa: EpaReader, raw: FindQuery): Promise<FoundEpas> {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');
  const query = {
    q: text(raw.q),
    stage: text(raw.stage),
    standard: text(raw.standard),
    epao: text(raw.epao),
    employer: text(raw.employer),
    overdue: text(raw.overdue) === 'yes' ? 'yes' : '',
    sort: (SORTS as readonly string[]).includes(text(raw.sort)) ? text(raw.sort) : 'apprentice',
  };
  const filter: EpaFilter = {
    ...(query.stage && { stage: query.stage }),
    ...(query.standard && { standard: query.standard }),
    ...(query.epao && { epao: query.epao }),
    ...(query.employer && { employer: query.employer }),
    ...(query.overdue && { overdue: true }),
  };
  const page = Number.parseInt(text(raw.page) || '1', 10);
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new EpaInputError('a page number from 1', 'page');
  let rows = await epa.list(filter);
  const q = query.q.toLowerCase();
  if (q) rows = rows.filter((r) => r.apprentice.toLowerCase().includes(q) || r.uln.includes(q.replace(/\s+/g, '')));
  const sort = query.sort as EpaSort;
  const key = (r: EpaListing): string =>
    sort === 'next'
      ? (r.nextDeadline?.due ?? '9999')
      : sort === 'apprentice'
        ? r.apprentice.toLowerCase()
        : String(r[sort]).toLowerCase();
  rows.sort((a, b) => key(a).localeCompare(key(b)) || a.uln.localeCompare(b.uln));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const registry = rules();
  return {
    rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: rows.length,
    page,
    pages,
    pageSize: PAGE_SIZE,
    sort,
    query,
    choices: { stages, standards: registry.standardIds, epaos: registry.epaoIds },
  };
}

/** Who acts on a deadline, in words. */
export const ownerNames: Record<string, string> = {
  epaoAdmin: 'EPAO',
  assessor: 'assessor',
  apprentice: 'apprentice',
  employer: 'employer',
  provider: 'training provider',
};

/** One apprentice's EPA as its page shows it: the status, with each deadline's rule and citation in words. */
export async function epaPage(epa: EpaReader, uln: string): Promise<EpaStatus & { deadlineRows: DeadlineRow[] }> {
  const status = await epa.status(uln);
  return {
    ...status,
    deadlineRows: status.deadlines.map((d) => ({
      key: d.key,
      due: d.due,
      status: d.status,
      metOn: d.metOn ?? '',
      owner: ownerNames[d.owner] ?? d.owner,
      rule: d.rule,
      source: d.source,
      citation: describeSource(d.source),
    })),
  };
}

export interface DeadlineRow {
  key: string;
  due: string;
  status: string;
  metOn: string;
  owner: string;
  rule: string;
  source: string;
  citation: string;
}

function csvCell(value: string | number | boolean): string {
  const s = String(value);
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The overdue board as CSV (every cell quoted, spreadsheet formulas neutralised). */
export function overdueCsv(rows: OverdueRow[]): string {
  const header = [
    'ULN',
    'Apprentice',
    'Standard',
    'EPAO',
    'Employer',
    'Stage',
    'Missed deadline',
    'Due',
    'Days overdue',
    'Temporal',
  ];
  const lines = rows.map((r) =>
    [r.uln, r.apprentice, r.standard, r.epao, r.employer, r.stage, r.missedDeadline, r.missedDue, r.daysOverdue, r.temporalUrl]
      .map(csvCell)
      .join(','),
  );
  return [header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
}
