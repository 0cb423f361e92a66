/**
 * What the staff pages and the API show of EPAs, as application functions over the EPA client:
 * the overdue board, counts per stage, the next 14 days, the apprentice finder (search, filters,
 * sorting, pages of 50) and one apprentice's EPA. No Temporal call or rule outside them.
 */
import { epaTaskSection } from './tasks';
import { actionFormsNow, voidChoices } from './actions';
import { addDays, daysBetween, endOfLondonDay, londonDateOf } from '../calendar';
import { isEpaoOwed, type Deadline, type Role } from '../epa/deadlines';
import { lateWords } from '../epa/timeline';
import { EpaInputError } from '../epa/errors';
import { stages } from '../epa/state';
import { describeSource, rules } from '../plans';
import { overallGradeExplanation } from './rules';
import type { EpaClient, EpaListing, OverdueEpa } from './epa-client';
import { overdueBy } from '../epa/deadlines';
import { missedOwner, type EpaListings, type ListingDirection, type ListingQuery } from './listings';
import type { EpaStatus, NotificationLogEntry } from '../../workflows/definitions';
import type { SentCopies, SentCopy } from '../../activities/sent-record';
import {
  attemptNames,
  componentNamesOf,
  componentPhrase,
  dateInWords,
  datesInWords,
  dateTimeInWords,
  deadlineActions,
  deadlineName,
  instantInWords,
  messageName,
  ownerNames,
  ownerPhrase,
  stageNames,
  upperFirst,
} from '../epa/display-names';
import { formGroups, gatewayChecklist, nextSteps, timelineItems } from './case-file';
import { resendOffer, type ResendOffer } from './resend';
import { isAgainOf, originalKey } from '../epa/resend';

export { deadlineActions, ownerNames };
import { EpaNotFoundError } from './epa-client';
import { toCsv } from './csv';
import { messageHref } from './message-links';

/** Where an EPA's links go: its page on the staff site (the board's CSV) and its workflow in the Temporal UI (the API's rows). */
export interface EpaLinks {
  /** The EPA's own page, whole: `<public base URL>/epas/<ULN>`. */
  page: (uln: string) => string;
  temporal: (epaId: string) => string;
}

/** The links of a staff site at `publicUrl` (its public base URL, EPA_PUBLIC_URL), and of a Temporal UI. */
export function epaLinks(publicUrl: string, temporal: (epaId: string) => string): EpaLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return { page: (uln) => `${base}/epas/${encodeURIComponent(uln)}`, temporal };
}

/** One missed deadline as the board shows it: its name and date in words, who acts and what they do. */
export interface MissedItem {
  key: string;
  /** "Gateway review", "Result of the practical observation with Q&A". */
  name: string;
  /** The London date it was due, and in words ("Monday 1 March 2027"). */
  due: string;
  dueWords: string;
  /** Who acts, in the board's words ("EPAO"), and the role. */
  owner: string;
  role: Role;
  action: string;
}

export interface OverdueRow extends OverdueEpa {
  temporalUrl: string;
  /** The EPA's own page on the staff site (the CSV's link). */
  pageUrl: string;
  /** Everyone who must act on a missed deadline, in words, the earliest missed's first ("EPAO, employer"). */
  owner: string;
  owners: string[];
  /** What is done next about the deadline shown (the earliest missed one, or the one the owner filter picks). */
  nextAction: string;
  /** The deadline shown, in words ("Gateway review"), and its due date in words. */
  missedInWords: string;
  missedDueWords: string;
  /** Calendar days since the deadline shown was due (`daysOverdue` counts from the earliest missed, the board's order). */
  daysShown: number;
  /** Every missed deadline, earliest first, and those besides the one shown. */
  missedItems: MissedItem[];
  alsoMissed: MissedItem[];
  /** The stage, the standard's title and the EPAO's name, in words. */
  stageName: string;
  standardTitle: string;
  epaoName: string;
}

export function actionFor(key: string): { owner: string; action: string } {
  const a = deadlineActions[key.split('.')[0]!];
  return a ? { owner: ownerNames[a.owner] ?? a.owner, action: a.action } : { owner: 'EPAO', action: 'Look at the EPA' };
}

/** What one EPA's pages read: its status (the lists come from EpaListings). */
export type EpaReader = Pick<EpaClient, 'status'>;

/** A stage in words ("In assessment"); an unknown one as it is. */
export const stageWords = (stage: string): string => stageNames[stage as keyof typeof stageNames] ?? stage;
/** A standard by its title and code ("Customer Service Specialist (ST0071)"); an unknown one by its code. */
export const standardWords = (code: string): string => {
  const title = rules().plan(code)?.data.title;
  return title ? `${title} (${code})` : code;
};
/** An EPAO by the name its rule file gives it ("Innovate Awarding"); an unknown one by its id. */
export const epaoWords = (id: string): string => rules().policy(id)?.data.name ?? id;

/** A listed EPA's standard, EPAO and stage in words, with its components' names (from the rule files). */
export function listingNames(e: Pick<EpaListing, 'standard' | 'epao' | 'stage'>) {
  const plan = rules().plan(e.standard)?.data;
  return {
    stageName: stageWords(e.stage),
    standardTitle: plan?.title ?? '',
    epaoName: epaoWords(e.epao),
    components: componentNamesOf(plan),
  };
}

/** The EPA's missed deadlines in words, earliest first. */
export function missedItems(
  e: Pick<EpaListing, 'missed' | 'standard'>,
  components = listingNames({ ...e, epao: '', stage: '' }).components,
): MissedItem[] {
  return [...e.missed]
    .sort((a, b) => a.due.localeCompare(b.due) || a.key.localeCompare(b.key))
    .map((m) => {
      const role = missedOwner(m);
      return {
        key: m.key,
        name: upperFirst(deadlineName(m.key, components)),
        due: m.due,
        dueWords: dateInWords(m.due),
        owner: ownerNames[role] ?? role,
        role,
        action: actionFor(m.key).action,
      };
    });
}

/**
 * An overdue EPA as the board shows it: every missed deadline in words with who acts; the one shown
 * first is the earliest missed (of those `role` owes, when the board is filtered by who must act).
 */
function overdueRow(e: EpaListing, today: string, links: EpaLinks, role?: Role): OverdueRow {
  const by = overdueBy(e.missed, today);
  const names = listingNames(e);
  const items = missedItems(e, names.components);
  const shown = items.find((m) => role === undefined || m.role === role) ?? items[0];
  const owners = [...new Set(items.map((m) => m.owner))];
  if (shown) owners.unshift(...owners.splice(owners.indexOf(shown.owner), 1));
  return {
    ...e,
    missedDeadline: by.keys || 'deadline',
    missedDue: by.due,
    daysOverdue: by.days,
    temporalUrl: links.temporal(e.epaId),
    pageUrl: links.page(e.uln),
    owner: owners.join(', '),
    owners,
    nextAction: shown?.action ?? 'Look at the EPA',
    missedInWords: shown?.name ?? 'A deadline',
    missedDueWords: shown?.dueWords ?? '',
    daysShown: shown ? daysBetween(shown.due, today) : by.days,
    missedItems: items,
    alsoMissed: items.filter((m) => m !== shown),
    stageName: names.stageName,
    standardTitle: names.standardTitle,
    epaoName: names.epaoName,
  };
}

/** Every running EPA with a missed deadline (optionally only those `query` picks), most overdue first: the CSV export and the API. */
export async function overdueBoard(
  listings: EpaListings,
  now: number,
  links: EpaLinks,
  query: ListingQuery = {},
): Promise<OverdueRow[]> {
  const today = londonDateOf(now);
  const rows = await listings.all({ ...query, overdue: true, running: true }, 'overdueSince', now);
  return rows.map((e) => overdueRow(e, today, links, query.owner));
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
export async function boardCsvRows(listings: EpaListings, now: number, links: EpaLinks, raw: BoardQuery) {
  return await overdueBoard(listings, now, links, boardFilter(raw).filter);
}

/**
 * The ops board: overdue EPAs filtered by who must act (on any of their missed deadlines) and
 * standard, 50 a page with the total, most overdue first; the next 14 days; counts per stage.
 */
export async function opsBoard(listings: EpaListings, now: number, links: EpaLinks, raw: BoardQuery) {
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
    overdue: found.rows.map((e) => overdueRow(e, today, links, filter.owner)),
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

/** Something due in the next 14 days: a deadline, an assessment booked and not yet taken, or a planning meeting booked and not yet held. */
export interface UpcomingItem {
  epa: EpaListing;
  /** London date, or date and time for a booking (YYYY-MM-DD or YYYY-MM-DDTHH:MM): the order. */
  at: string;
  /** The same in words ("Tuesday 11 May 2027", "Tuesday 11 May 2027 at 10:00am"). */
  when: string;
  what: string;
}

/**
 * The next 14 days (day 14 included, to its end in London), soonest first: each running EPA's next
 * deadline in that window, every assessment booked in it and every planning meeting booked in it
 * (EPAs started before bookings were kept in their memo show their deadlines only; planning
 * meetings are kept since patch 'listing-planning-meeting').
 */
export async function upcoming(listings: EpaListings, now: number): Promise<UpcomingItem[]> {
  const today = londonDateOf(now);
  const last = addDays(today, 14);
  const from = new Date(now).toISOString();
  const to = new Date(endOfLondonDay(last)).toISOString();
  const days = Array.from({ length: 15 }, (_, i) => addDays(today, i));
  // The soonest deadlines, and the EPAs with a booking (an assessment or a planning meeting) in the window.
  const [due, booked] = await Promise.all([
    listings.page({ running: true, nextDeadlineFrom: from, nextDeadlineTo: to }, 'next', 1, UPCOMING_SHOWN, now),
    listings.page({ running: true, bookedOn: days }, 'next', 1, 10 * UPCOMING_SHOWN, now),
  ]);
  const inWindow = (at: string) => at.slice(0, 10) >= today && at.slice(0, 10) <= last;
  const items: UpcomingItem[] = due.rows.map((r) => ({
    epa: r,
    at: r.nextDeadline!.due,
    when: dateInWords(r.nextDeadline!.due),
    what: `Deadline: ${deadlineName(r.nextDeadline!.key, listingNames(r).components)}`,
  }));
  for (const r of booked.rows) {
    const components = listingNames(r).components;
    for (const b of r.bookings)
      if (inWindow(b.at))
        items.push({
          epa: r,
          at: b.at.slice(0, 16),
          when: dateTimeInWords(b.at),
          what: `Assessment: ${componentPhrase(b.component, components)}`,
        });
    const meeting = r.planningMeeting;
    if (meeting && inWindow(meeting.at))
      items.push({ epa: r, at: meeting.at.slice(0, 16), when: dateTimeInWords(meeting.at), what: 'Planning meeting' });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.epa.uln.localeCompare(b.epa.uln)).slice(0, UPCOMING_SHOWN);
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

/**
 * A found EPA in words: its stage and EPAO by name, and the deadline its row shows. An overdue EPA
 * shows the deadline it missed (the earliest), with its date, so an "Overdue" tag never sits beside
 * a deadline still to come; its next deadline follows as "then".
 */
export interface FoundRow extends EpaListing {
  stageName: string;
  /** The standard by its title and code ("Customer Service Specialist (ST0071)"). */
  standardName: string;
  epaoName: string;
  /** The earliest missed deadline (overdue EPAs), else the next one; null: none. */
  deadline: { name: string; dueWords: string; missed: boolean } | null;
  /** An overdue EPA's next open deadline, in words. */
  then: { name: string; dueWords: string } | null;
}

export function foundRow(e: EpaListing): FoundRow {
  const names = listingNames(e);
  const missed = missedItems(e, names.components)[0];
  const next = e.nextDeadline
    ? { name: upperFirst(deadlineName(e.nextDeadline.key, names.components)), dueWords: dateInWords(e.nextDeadline.due) }
    : null;
  return {
    ...e,
    stageName: names.stageName,
    standardName: standardWords(e.standard),
    epaoName: names.epaoName,
    deadline: missed ? { name: missed.name, dueWords: missed.dueWords, missed: true } : next && { ...next, missed: false },
    // Its next deadline, unless that is the one missed (a listing may carry it as both).
    then: missed && next && !(next.name === missed.name && next.dueWords === missed.dueWords) ? next : null,
  };
}

export interface FoundEpas {
  rows: FoundRow[];
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
    stages: stages.map((v) => ({ value: v, text: stageWords(v) })),
    standards: registry.standardIds.map((v) => ({ value: v, text: standardWords(v) })),
    epaos: registry.epaoIds.map((v) => ({ value: v, text: epaoWords(v) })),
  };
  const found = await listings.page(filter, sort, page, PAGE_SIZE, now, query.dir as ListingDirection);
  const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
  return { rows: found.rows.map(foundRow), total: found.total, page, pages, pageSize: PAGE_SIZE, sort, query, choices };
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
    taskSection: epaTaskSection(status, options.today ?? londonDateOf(Date.now())),
    gatewayChecklist: gatewayChecklist(status),
    formGroups: formGroups(forms),
    // Put a mistake right (an entry to void) and restart (a finished EPA): pages of their own.
    canVoid: options.canRecord === true && voidChoices(status).length > 0,
    canRestart: options.canRecord === true && status.completed,
    timelineItems: timelineItems(status, names, status.log, new Map(copies.map((c) => [`${c.key}\u0000${c.role}`, c.subject]))),
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

/**
 * The overdue board as CSV (every cell quoted, spreadsheet formulas neutralised), in the board's
 * words: the stage, deadlines, owners and EPAO by their display names, London dates in words, and
 * each EPA's own page on the staff site.
 */
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
    'Every missed deadline',
    'EPA page',
  ];
  const lines = rows.map((r) => [
    r.uln,
    r.apprentice,
    r.standardTitle ? `${r.standard} ${r.standardTitle}` : r.standard,
    r.epaoName,
    r.employer,
    r.stageName,
    r.missedInWords,
    r.missedDueWords,
    r.daysShown,
    r.owner,
    r.nextAction,
    r.missedItems.map((m) => `${m.name}, due ${m.dueWords} (${m.owner})`).join('; '),
    r.pageUrl,
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
  /** A failed message sent again since and delivered (src/epa/resend.ts): no longer a problem to show. */
  sentAgain: boolean;
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
        sentAgain:
          l.status === 'failed' &&
          status.log.some((x) => x.role === l.role && x.status === 'sent' && isAgainOf(x.key, originalKey(l.key))),
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
  /** Whether it may be sent again (a failed message), or why not; and the page that does it. */
  resend: ResendOffer;
  resendHref: string;
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
    resend: resendOffer(status, key, role),
    resendHref: messageHref(status.uln, key, role).replace('/message?', '/message/again?'),
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
