/**
 * What the staff pages and the API show of EPAs, as application functions over the EPA client:
 * the overdue board, counts per stage, the next 14 days, the apprentice finder (search, filters,
 * sorting, pages of 50) and one apprentice's EPA. No Temporal call or rule outside them.
 */
import { actionFormsNow, voidChoices } from './actions';
import { addDays, endOfLondonDay, londonDateOf } from '../calendar';
import { isEpaoOwed, type Deadline, type Role } from '../epa/deadlines';
import { lateWords } from '../epa/timeline';
import { EpaInputError } from '../epa/errors';
import { stages } from '../epa/state';
import { describeSource, rules } from '../plans';
import { overallGradeExplanation } from './rules';
import type { EpaClient, EpaListing, OverdueEpa } from './epa-client';
import { overdueBy } from '../epa/deadlines';
import type { EpaListings, ListingDirection, ListingQuery } from './listings';
import type { EpaStatus, NotificationLogEntry } from '../../workflows/definitions';
import type { SentCopies, SentCopy } from '../../activities/sent-record';
import {
  attemptNames,
  componentNamesOf,
  dateInWords,
  datesInWords,
  dateTimeInWords,
  deadlineActions,
  deadlineName,
  deadlineNames,
  instantInWords,
  messageName,
  ownerNames,
  ownerPhrase,
  stageNames,
  upperFirst,
} from '../epa/display-names';
import { formGroups, gatewayChecklist, nextSteps, timelineItems } from './case-file';

export { deadlineActions, ownerNames };
import { EpaNotFoundError } from './epa-client';
import { toCsv } from './csv';

export interface OverdueRow extends OverdueEpa {
  temporalUrl: string;
  /** Who must act on the earliest missed deadline, and what they do next. */
  owner: string;
  nextAction: string;
  /** The earliest missed deadline in words ("gateway review", "result (observation)"). */
  missedInWords: string;
}

export function actionFor(key: string): { owner: string; action: string } {
  const a = deadlineActions[key.split('.')[0]!];
  return a ? { owner: ownerNames[a.owner] ?? a.owner, action: a.action } : { owner: 'EPAO', action: 'Look at the EPA' };
}

/** What one EPA's pages read: its status (the lists come from EpaListings). */
export type EpaReader = Pick<EpaClient, 'status'>;

/** An overdue EPA as the board shows it: the earliest missed deadline in words, who acts, and what next. */
function overdueRow(e: EpaListing, today: string, temporalUrl: (epaId: string) => string): OverdueRow {
  const by = overdueBy(e.missed, today);
  const earliest = [...e.missed].sort((a, b) => a.due.localeCompare(b.due))[0];
  const { owner, action } = actionFor(earliest?.key ?? '');
  const [base = '', component] = (earliest?.key ?? '').split('.');
  const words = `${deadlineNames[base] ?? base}${component ? ` (${component})` : ''}`;
  return {
    ...e,
    missedDeadline: by.keys || 'deadline',
    missedDue: by.due,
    daysOverdue: by.days,
    temporalUrl: temporalUrl(e.epaId),
    owner,
    nextAction: action,
    missedInWords: words,
  };
}

/** Every running EPA with a missed deadline (optionally only those `query` picks), most overdue first: the CSV export and the API. */
export async function overdueBoard(
  listings: EpaListings,
  now: number,
  temporalUrl: (epaId: string) => string,
  query: ListingQuery = {},
): Promise<OverdueRow[]> {
  const today = londonDateOf(now);
  const rows = await listings.all({ ...query, overdue: true, running: true }, 'overdueSince', now);
  return rows.map((e) => overdueRow(e, today, temporalUrl));
}

export interface BoardQuery {
  owner?: string;
  standard?: string;
  page?: string;
}

/** The board's query checked: who must act (in words, as the board shows it) and standard. */
function boardFilter(raw: BoardQuery): { query: { owner: string; standard: string }; filter: ListingQuery; owners: string[] } {
  const text = (v: unknown) => queryText(v, 100);
  const query = { owner: text(raw.owner), standard: text(raw.standard) };
  const owners = [...new Set(Object.values(ownerNames))];
  if (query.owner && !owners.includes(query.owner))
    throw new EpaInputError(`unknown owner "${query.owner}" (one of: ${owners.join(', ')})`, 'owner');
  const standards = rules().standardIds;
  if (query.standard && !standards.includes(query.standard))
    throw new EpaInputError(`unknown standard "${query.standard}" (one of: ${standards.join(', ')})`, 'standard');
  const role = Object.entries(ownerNames).find(([, words]) => words === query.owner)?.[0] as Role | undefined;
  return {
    query,
    owners,
    filter: { overdue: true, running: true, ...(role && { owner: role }), ...(query.standard && { standard: query.standard }) },
  };
}

/** The overdue CSV: every row the board's filters pick, most overdue first. */
export async function boardCsvRows(listings: EpaListings, now: number, temporalUrl: (epaId: string) => string, raw: BoardQuery) {
  return await overdueBoard(listings, now, temporalUrl, boardFilter(raw).filter);
}

/**
 * The ops board: overdue EPAs filtered by who must act and standard, 50 a page with the total, most
 * overdue first; the next 14 days; counts per stage.
 */
export async function opsBoard(listings: EpaListings, now: number, temporalUrl: (epaId: string) => string, raw: BoardQuery) {
  const { query, filter, owners } = boardFilter(raw);
  const page = pageNumber(raw.page);
  const today = londonDateOf(now);
  const [found, counts, soon] = await Promise.all([
    listings.page(filter, 'overdueSince', page, PAGE_SIZE, now),
    listings.stageCounts(),
    upcoming(listings, now),
  ]);
  return {
    query,
    choices: { owners, standards: rules().standardIds },
    overdue: found.rows.map((e) => overdueRow(e, today, temporalUrl)),
    total: found.total,
    page,
    pages: Math.max(1, Math.ceil(found.total / PAGE_SIZE)),
    counts,
    upcoming: soon,
  };
}

export async function stageCounts(listings: EpaListings): Promise<Record<string, number>> {
  return await listings.stageCounts();
}

/** Something due in the next 14 days: a deadline, or an assessment booked and not yet taken. */
export interface UpcomingItem {
  epa: EpaListing;
  /** London date (and time, for a booking). */
  when: string;
  what: string;
}

/**
 * The next 14 days (day 14 included, to its end in London), soonest first: each running EPA's next
 * deadline in that window, and every assessment booked in it (EPAs started before bookings were
 * kept in their memo show their deadlines only).
 */
export async function upcoming(listings: EpaListings, now: number): Promise<UpcomingItem[]> {
  const today = londonDateOf(now);
  const last = addDays(today, 14);
  const from = new Date(now).toISOString();
  const to = new Date(endOfLondonDay(last)).toISOString();
  const days = Array.from({ length: 15 }, (_, i) => addDays(today, i));
  // The soonest deadlines, and the EPAs with a booking in the window.
  const [due, booked] = await Promise.all([
    listings.page({ running: true, nextDeadlineFrom: from, nextDeadlineTo: to }, 'next', 1, UPCOMING_SHOWN, now),
    listings.page({ running: true, bookedOn: days }, 'next', 1, 10 * UPCOMING_SHOWN, now),
  ]);
  const items: UpcomingItem[] = due.rows.map((r) => ({
    epa: r,
    when: r.nextDeadline!.due,
    what: `Deadline: ${deadlineNames[r.nextDeadline!.key.split('.')[0]!] ?? r.nextDeadline!.key}`,
  }));
  for (const r of booked.rows)
    for (const b of r.bookings)
      if (b.at.slice(0, 10) >= today && b.at.slice(0, 10) <= last)
        items.push({ epa: r, when: b.at.slice(0, 16).replace('T', ' '), what: `Assessment: ${b.component}` });
  return items.sort((a, b) => a.when.localeCompare(b.when) || a.epa.uln.localeCompare(b.epa.uln)).slice(0, UPCOMING_SHOWN);
}

/** A query string value as the pages send it: trimmed, bounded, empty when absent. */
const queryText = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** A page number from a query (default 1); EpaInputError for anything else. */
function pageNumber(raw: unknown): number {
  const page = Number.parseInt(queryText(raw, 10) || '1', 10);
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new EpaInputError('a page number from 1', 'page');
  return page;
}

export const PAGE_SIZE = 50;
/** The board's next 14 days shows the soonest this many. */
export const UPCOMING_SHOWN = 100;
const SORTS = ['apprentice', 'standard', 'employer', 'stage', 'next'] as const;
export type EpaSort = (typeof SORTS)[number];

/** A filter's choice: the value it sends, and its words. */
export interface Choice {
  value: string;
  text: string;
}

/** The finder's query as a page sends it (every field optional; empty means "any"). */
export interface FindQuery {
  q?: string;
  provider?: string;
  /** Only EPAs whose next deadline is within this many days. */
  due?: string;
  stage?: string;
  standard?: string;
  epao?: string;
  employer?: string;
  overdue?: string;
  sort?: string;
  /** `desc` for the reverse order (Z to A, latest first); anything else ascending. */
  dir?: string;
  page?: string;
}

/** A finder row as a person reads it: the stage, standard, EPAO and next deadline in words (display-names.ts). */
export interface FoundEpa extends EpaListing {
  words: { stage: string; standard: string; epao: string; nextDeadline: string };
}

export function foundEpa(r: EpaListing): FoundEpa {
  const registry = rules();
  const plan = registry.plan(r.standard)?.data;
  return {
    ...r,
    words: {
      stage: stageNames[r.stage as keyof typeof stageNames] ?? r.stage,
      standard: plan ? `${plan.title} (${r.standard})` : r.standard,
      epao: registry.policy(r.epao)?.data.name ?? r.epao,
      nextDeadline: r.nextDeadline ? upperFirst(deadlineName(r.nextDeadline.key, componentNamesOf(plan))) : '',
    },
  };
}

export interface FoundEpas {
  rows: FoundEpa[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  sort: EpaSort;
  /** The query as understood (for the filter form and paging links). */
  query: Required<Omit<FindQuery, 'page'>>;
  /** The choices the filters offer: each value and its words. */
  choices: { stages: Choice[]; standards: Choice[]; epaos: Choice[] };
}

/**
 * The apprentice finder: search by name or ULN (any part, any case), filter by stage, standard,
 * EPAO, employer, provider, overdue and next deadline within N days, sort, and a page of 50 with the
 * total. An unknown filter value is an EpaInputError naming the field (never an empty list that
 * looks like "none").
 */
export async function findEpas(listings: EpaListings, raw: FindQuery, now: number = Date.now()): Promise<FoundEpas> {
  const text = (v: unknown) => queryText(v, 200);
  const query = {
    q: text(raw.q),
    stage: text(raw.stage),
    standard: text(raw.standard),
    epao: text(raw.epao),
    employer: text(raw.employer),
    provider: text(raw.provider),
    due: text(raw.due),
    overdue: text(raw.overdue) === 'yes' ? 'yes' : '',
    sort: (SORTS as readonly string[]).includes(text(raw.sort)) ? text(raw.sort) : 'apprentice',
    dir: text(raw.dir) === 'desc' ? 'desc' : 'asc',
  };
  const page = pageNumber(raw.page);
  if (query.due && !/^\d{1,3}$/.test(query.due)) throw new EpaInputError('a number of days, 0 to 999', 'due');
  const filter: ListingQuery = {
    ...(query.stage && { stage: query.stage }),
    ...(query.standard && { standard: query.standard }),
    ...(query.epao && { epao: query.epao }),
    ...(query.employer && { employer: query.employer }),
    ...(query.overdue && { overdue: true }),
    ...(query.q && { text: query.q }),
    ...(query.provider && { provider: query.provider }),
    ...(query.due && { nextDueBy: addDays(londonDateOf(now), Number(query.due)) }),
  };
  const sort = query.sort as EpaSort;
  const registry = rules();
  const choices = {
    stages: stages.map((v) => ({ value: v, text: stageNames[v] ?? v })),
    standards: registry.standardIds.map((v) => ({ value: v, text: `${registry.plan(v)?.data.title ?? v} (${v})` })),
    epaos: registry.epaoIds.map((v) => ({ value: v, text: registry.policy(v)?.data.name ?? v })),
  };
  const found = await listings.page(filter, sort, page, PAGE_SIZE, now, query.dir as ListingDirection);
  const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
  return { rows: found.rows.map(foundEpa), total: found.total, page, pages, pageSize: PAGE_SIZE, sort, query, choices };
}

/** One apprentice's EPA as its page shows it: the status, with everything a person reads in words (display-names.ts). */
export async function epaPage(
  epa: EpaReader,
  uln: string,
  options: { canRecord?: boolean; today?: string; copies?: SentCopies } = {},
) {
  const status = await epa.status(uln);
  const copies = await (options.copies ?? NO_COPIES).list(status.epaId);
  // The grading rule in words, from the rule files when they still hold the version this EPA is pinned to.
  const plan = rules().plan(status.rules.standard, status.rules.version);
  const policy = rules().policy(status.rules.epao);
  const gradeExplanation =
    plan?.hash === status.rules.planHash && policy?.hash === status.rules.policyHash
      ? overallGradeExplanation(plan.data, policy.data)
      : `Graded by ${status.rules.standard} version ${status.rules.version} as this EPA started on it (the rule files have changed since).`;
  const names = componentNamesOf(plan?.data);
  const forms = options.canRecord ? actionFormsNow(status, options.today ?? londonDateOf(Date.now())) : [];
  return {
    ...status,
    gradeExplanation,
    stageName: stageNames[status.stage] ?? status.stage,
    standardTitle: plan?.data.title ?? '',
    epaoName: policy?.data.name ?? status.rules.epao,
    epaPeriodWords: status.epaStart ? `${dateInWords(status.epaStart)} to ${dateInWords(status.epaPeriodEnds)}` : '',
    nextSteps: nextSteps(status, names, forms),
    gatewayChecklist: gatewayChecklist(status),
    formGroups: formGroups(forms),
    // Put a mistake right (an entry to void) and restart (a finished EPA): pages of their own.
    canVoid: options.canRecord === true && voidChoices(status).length > 0,
    canRestart: options.canRecord === true && status.completed,
    timelineItems: timelineItems(status, names),
    componentRows: Object.entries(status.components).map(([id, c]) => ({
      id,
      name: names[id] ?? id,
      attempts: c.attempts.map((a) => ({
        number: a.number,
        kind: attemptNames[a.kind] ?? a.kind,
        bookedFor: a.booking ? dateTimeInWords(a.booking.at) : '',
        location: a.booking?.location ?? '',
        assessor: a.booking?.assessor?.name ?? '',
        takenOn: a.takenOn ? dateInWords(a.takenOn) : '',
        grade: a.grade ? `${a.grade}${a.capped ? ` (capped from ${a.rawGrade})` : ''}` : '',
        publishedOn: a.publishedOn ? dateInWords(a.publishedOn) : '',
      })),
    })),
    logRows: messageRows(status, copies),
    deadlineRows: status.deadlines.map((d) => ({
      key: d.key,
      name: upperFirst(deadlineName(d.key, names)),
      due: d.due,
      dueWords: dateInWords(d.due),
      status: d.status,
      statusWords: deadlineStatusWords(d),
      epaoOwed: isEpaoOwed(d),
      override: d.override?.reason ?? '',
      metOn: d.metOn ?? '',
      owner: ownerNames[d.owner] ?? d.owner,
      rule: d.rule,
      source: d.source,
      citation: describeSource(d.source),
    })),
    findingRows: status.violations.map((f) => ({
      rule: f.rule,
      message: datesInWords(f.message),
      on: f.on,
      onWords: dateInWords(f.on),
      citation: describeSource(f.source),
      override: f.overridden ?? '',
      metLate: f.deadline !== undefined,
    })),
  };
}

/** A violation as the EPA page lists it: what, when, the rule's citation, and an override's reason. */
export interface FindingRow {
  rule: string;
  message: string;
  on: string;
  citation: string;
  override: string;
  metLate: boolean;
}

/** "Met Thursday 14 January 2027", "Met late Thursday 14 January 2027: 13 working days late", "Missed", "Open" (an override is shown beside it, never in it). */
export function deadlineStatusWords(d: Deadline): string {
  if (d.status === 'met') return `Met ${dateInWords(d.metOn)}`;
  if (d.status === 'metLate') return `Met late ${dateInWords(d.metOn)}${d.lateBy ? `: ${lateWords(d.lateBy)} late` : ''}`;
  return d.status === 'missed' ? 'Missed' : 'Open';
}

export interface DeadlineRow {
  key: string;
  due: string;
  status: string;
  /** The status in words (deadlineStatusWords). */
  statusWords: string;
  /** The EPAO owes it: met late, it is a breach of the EPAO's own promise (amber, and a violation). */
  epaoOwed: boolean;
  /** The reason of an override given with the event that met it ('' when none). */
  override: string;
  metOn: string;
  owner: string;
  rule: string;
  source: string;
  citation: string;
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
    'Who must act',
    'Next action',
    'Temporal',
  ];
  const lines = rows.map((r) => [
    r.uln,
    r.apprentice,
    r.standard,
    r.epao,
    r.employer,
    r.stage,
    r.missedDeadline,
    r.missedDue,
    r.daysOverdue,
    r.owner,
    r.nextAction,
    r.temporalUrl,
  ]);
  return toCsv([header, ...lines]);
}

/** No copies kept (a process without a sent store): every message page says so. */
export const NO_COPIES: SentCopies = {
  keep: async () => undefined,
  read: async () => undefined,
  list: async () => [],
  erase: async () => 0,
};

/** A message's outcome in words: "Sent", "Failed" or "Not sent: too late". */
export const MESSAGE_STATUS_WORDS: Record<NotificationLogEntry['status'], string> = {
  sent: 'Sent',
  failed: 'Failed',
  expired: 'Not sent: too late',
};

/** The address of a message in the page: `/epas/<uln>/message?key=…&role=…`. */
export function messageHref(uln: string, key: string, role: string): string {
  return `/epas/${uln}/message?${new URLSearchParams({ key, role }).toString()}`;
}

/** One message as the EPA page lists it. */
export interface MessageRow extends Omit<NotificationLogEntry, 'to'> {
  when: string;
  what: string;
  /** The recipient's role in words ("The employer"). */
  to: string;
  /** The address it went to ('' when not known). */
  address: string;
  /** The subject as sent; without a kept copy, the kind of message in words. */
  subject: string;
  statusWords: string;
  href: string;
}

/** The EPA's messages, newest first: when, to whom (role in words and the address), subject and outcome. */
export function messageRows(status: Pick<EpaStatus, 'uln' | 'log'>, copies: readonly SentCopy[]): MessageRow[] {
  const byMessage = new Map(copies.map((c) => [`${c.key}\u0000${c.role}`, c]));
  return [...status.log]
    .map((l, i) => ({ l, i }))
    .sort((a, b) => b.l.at.localeCompare(a.l.at) || b.i - a.i)
    .map(({ l }) => {
      const copy = byMessage.get(`${l.key}\u0000${l.role ?? ''}`);
      return {
        ...l,
        when: instantInWords(l.at),
        what: messageName(l.kind),
        to: l.role ? upperFirst(ownerPhrase(l.role)) : '',
        address: copy?.to.email ?? l.to?.[0] ?? '',
        subject: copy?.subject ?? messageName(l.kind),
        statusWords: MESSAGE_STATUS_WORDS[l.status] ?? l.status,
        ...(l.error !== undefined && { error: datesInWords(l.error) }),
        href: messageHref(status.uln, l.key, l.role ?? ''),
      };
    });
}

/** One message from an EPA's log, as it was sent: from the copy the delivery kept, never rendered again. */
export interface EpaMessage {
  uln: string;
  apprentice: string;
  entry: NotificationLogEntry;
  when: string;
  /** The recipient: role in words, name and address. */
  to: { role: string; name: string; email: string };
  statusWords: string;
  error?: string;
  subject: string;
  text?: string;
  /** The invite's when and where, in words (none when the message had no invite). */
  invite?: { heading: string; when?: string; length?: string; where?: string };
  /** Set when no copy of the message was kept: why, in words. */
  unavailable?: string;
}

export async function epaMessage(
  epa: EpaReader,
  copies: SentCopies,
  uln: string,
  key: string,
  role: string,
): Promise<EpaMessage> {
  const status = await epa.status(uln);
  const entry = status.log.find((l) => l.key === key && (l.role ?? '') === role);
  if (!entry) throw new EpaNotFoundError('This EPA has no such message: go back to the EPA and choose one from its messages.');
  const copy = await copies.read(status.epaId, key, role);
  const base = {
    uln: status.uln,
    apprentice: status.people.apprentice.name,
    entry,
    when: instantInWords(entry.at),
    statusWords: MESSAGE_STATUS_WORDS[entry.status] ?? entry.status,
    ...(entry.error !== undefined && { error: datesInWords(entry.error) }),
  };
  const roleWords = upperFirst(ownerPhrase(role));
  if (!copy)
    return {
      ...base,
      to: { role: roleWords, name: '', email: entry.to?.[0] ?? '' },
      subject: messageName(entry.kind),
      unavailable:
        entry.status === 'expired'
          ? 'This message was not sent: its moment had passed before it could go.'
          : 'No copy of this message was kept: it was sent before epa-flow kept a copy of each message it sends.',
    };
  return {
    ...base,
    to: { role: roleWords, name: copy.to.name, email: copy.to.email },
    subject: copy.subject,
    text: copy.text,
    ...(copy.invite && { invite: inviteInWords(copy.invite) }),
  };
}

/** A kept invite's summary in words: a request or a cancellation, its date and time, length and place. */
export function inviteInWords(invite: NonNullable<SentCopy['invite']>): NonNullable<EpaMessage['invite']> {
  return {
    heading: invite.method === 'CANCEL' ? 'A calendar cancellation, attached' : 'A calendar invite, attached',
    ...(invite.at && { when: dateTimeInWords(invite.at) }),
    ...(invite.durationMinutes && { length: durationInWords(invite.durationMinutes) }),
    ...(invite.location && { where: invite.location }),
  };
}

/** 90 → "1 hour 30 minutes". */
export function durationInWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return [h ? part(h, 'hour') : '', m ? part(m, 'minute') : ''].filter(Boolean).join(' ') || '0 minutes';
}
