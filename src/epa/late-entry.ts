/**
 * Messages honest about time: what facts entered late (an EPA started with its history, or one
 * back-dated event) may still trigger. Not a seed rule: how epa-flow reports what it learns late.
 *
 * Compare the notification schedule before and after the facts were entered:
 * - a notification that reports a missed deadline or escalates one (`deadlineMissed`,
 *   `epaPeriodEscalation`) and whose moment had already passed when the facts were entered is not
 *   sent: it would announce, as news, a miss that happened before anyone told epa-flow; it would
 *   reach employers and providers about the past. Instead the EPAO admin gets one summary of every
 *   deadline genuinely missed before entry;
 * - reminders and invites new to the schedule go out only while they are still true (a reminder
 *   until its deadline or the next reminder, an invite until the assessment), so none is sent for a
 *   deadline already met or already past;
 * - notifications already in the schedule before the entry are untouched: a timer that fires late
 *   (a worker was down) still sends what was due.
 *
 * Staff often enter a paper file one event at a time, and each entry may show that a deadline the
 * one before it seemed to miss was met after all. So the summary waits for a quiet period (an EPAO
 * setting, `lateEntry.quietMinutes`, default 10; `EPA_LATE_ENTRY_QUIET_SECONDS` overrides it for
 * tests and demos): every entry in the meantime is folded in and moves the summary on, and when the
 * quiet period ends the admin gets one message listing what is still missed or was met late
 * (`watchLateEntry`, `lateEntrySummary`). Deadlines that fall due after entry alert as ever.
 */
import { londonDateOf } from '../calendar';
import type { Policy } from '../plans';
import type { Deadline } from './deadlines';
import type { ImportedLateEntry, MissedDeadline, Notification, NotificationKind } from './notifications';

/** The quiet period's default (minutes): long enough for staff to type in the next event of a paper file. Not a seed rule. */
export const LATE_ENTRY_QUIET_MINUTES = 10;

/** The quiet period in ms: the setting given (seconds, for tests and demos), else the EPAO's, else the default. */
export function lateEntryQuietMs(policy: Pick<Policy, 'lateEntry'>, seconds?: number): number {
  if (seconds !== undefined) return Math.max(0, seconds) * 1000;
  return (policy.lateEntry?.quietMinutes ?? LATE_ENTRY_QUIET_MINUTES) * 60_000;
}

/** Kinds that report a missed deadline, or escalate one: news only when they happen while epa-flow watches. */
export const REPORTS_A_MISS: ReadonlySet<NotificationKind> = new Set(['deadlineMissed', 'epaPeriodEscalation']);

export interface LateEntryTriage {
  /** Keys of notifications not to send: misses that were already past when entered. */
  withheld: string[];
  /** One summary to the EPAO admin of the deadlines missed before entry; absent when there are none. */
  summary?: Notification;
}

/**
 * The triage of one entry. `known`: the keys the EPA had scheduled before the entry (empty for a new
 * EPA); `scheduled`: the schedule after it; `enteredAt`: when the facts were entered (epoch ms);
 * `entry`: a stable name for this entry, unique within the EPA (the summary's key is made from it).
 */
export function triageLateEntry(
  known: ReadonlySet<string>,
  scheduled: Notification[],
  deadlines: Deadline[],
  enteredAt: number,
  entry: string,
): LateEntryTriage {
  const withheld = withheldMisses(known, scheduled, enteredAt);
  if (withheld.length === 0) return { withheld: [] };
  const missed = withheld
    .map((n) => deadlines.find((d) => d.key === n.deadlineKey && d.due === n.due))
    .filter((d): d is Deadline => d !== undefined)
    .map(missedDeadline);
  return {
    withheld: withheld.map((n) => n.key),
    summary: { key: `missedBeforeEntry:${entry}`, kind: 'missedBeforeEntry', at: enteredAt, to: ['epaoAdmin'], missed },
  };
}

/** The notifications new to the schedule that report a miss whose moment had passed at entry: never announced. */
function withheldMisses(known: ReadonlySet<string>, scheduled: Notification[], enteredAt: number): Notification[] {
  return scheduled.filter((n) => !known.has(n.key) && REPORTS_A_MISS.has(n.kind) && n.at <= enteredAt);
}

/** A deadline as the late-entry watch names it: its key and due day (a rebooking makes a new one). */
export function deadlineId(d: Pick<Deadline, 'key' | 'due'>): string {
  return `${d.key}@${d.due}`;
}

/** Alerts raised by back-dated facts, held for the quiet period (carried across continue-as-new). */
export interface LateEntryWatch {
  /** Names the summary: the entry that began the watch (unique within the EPA). */
  entry: string;
  /** The summary goes out at this instant (epoch ms) unless another entry moves it on. */
  until: number;
  /** The deadlines in question (`deadlineId`): missed when entered, or met late by a back-dated fact. */
  deadlines: string[];
  /** The EPA's event count when the watch last moved on: an entry since then moves it again. */
  events: number;
}

/** What one look at the EPA found entered late: misses not to announce, and the deadlines to sum up. */
export interface LateFacts {
  /** Keys of notifications not to send (as `triageLateEntry`). */
  withheld: string[];
  /** The deadlines the summary is to be about (`deadlineId`). */
  deadlines: string[];
}

/**
 * What an entry at `enteredAt` brought in late: the misses that were already past (as
 * `triageLateEntry`), and the deadlines newly met late by a fact dated before the day of entry
 * (`lateKnown`: the deadlines met late at the look before). A deadline met late on the day it is
 * recorded is not a late entry: its miss was announced while epa-flow watched.
 */
export function lateFacts(
  known: ReadonlySet<string>,
  lateKnown: ReadonlySet<string>,
  scheduled: Notification[],
  deadlines: Deadline[],
  enteredAt: number,
): LateFacts {
  const withheld = withheldMisses(known, scheduled, enteredAt);
  const ids = new Set<string>();
  for (const n of withheld) if (n.deadlineKey && n.due) ids.add(deadlineId({ key: n.deadlineKey, due: n.due }));
  const today = londonDateOf(enteredAt);
  for (const d of deadlines)
    if (d.status === 'metLate' && d.metOn !== undefined && d.metOn < today && !lateKnown.has(deadlineId(d)))
      ids.add(deadlineId(d));
  return { withheld: withheld.map((n) => n.key), deadlines: [...ids] };
}

/** The deadlines met late now (`deadlineId`): what the next look compares with. */
export function metLateIds(deadlines: Deadline[]): Set<string> {
  return new Set(deadlines.filter((d) => d.status === 'metLate').map(deadlineId));
}

/**
 * The watch after one look: begun by late facts, moved on by any entry made meanwhile (`events`,
 * the EPA's event count), its deadlines folded together. Unchanged when nothing came in.
 */
export function watchLateEntry(
  watch: LateEntryWatch | undefined,
  facts: LateFacts,
  events: number,
  now: number,
  quietMs: number,
): LateEntryWatch | undefined {
  if (!watch) {
    if (facts.deadlines.length === 0) return undefined;
    return { entry: String(events), until: now + quietMs, deadlines: facts.deadlines, events };
  }
  const added = facts.deadlines.filter((id) => !watch.deadlines.includes(id));
  if (added.length === 0 && events === watch.events) return watch;
  return { ...watch, until: now + quietMs, deadlines: [...watch.deadlines, ...added], events };
}

/**
 * The one message a watch ends in: to the EPAO admin, naming the apprentice by ULN (the template
 * adds the name), listing each deadline it concerns that is still missed or was met late, in due
 * order. Undefined when every one of them turned out met (or is gone, its event voided).
 */
export function lateEntrySummary(
  watch: LateEntryWatch,
  deadlines: Deadline[],
  at: number,
  uln: string,
): Notification | undefined {
  const wanted = new Set(watch.deadlines);
  const items = deadlines
    .filter((d) => wanted.has(deadlineId(d)) && (d.status === 'missed' || d.status === 'metLate'))
    .sort((a, b) => a.due.localeCompare(b.due) || a.key.localeCompare(b.key))
    .map((d) => ({ ...missedDeadline(d), status: d.status as 'missed' | 'metLate', ...(d.lateBy && { lateBy: d.lateBy }) }));
  if (items.length === 0) return undefined;
  return { key: `missedBeforeEntry:${watch.entry}`, kind: 'missedBeforeEntry', at, to: ['epaoAdmin'], missed: items, uln };
}

/**
 * Whether an EPA started now, whose first view at `now` is `first`, enters with something late to
 * report: the workflow's first look at it (`lateFacts` with nothing known before) finds a deadline
 * missed or met late. An import's summary waits for these EPAs only; the others send it nothing
 * (issue 27: a signal per clean EPA cost the import a third of its rate). The workflow looks a
 * moment later, so it can only find more, never less: an EPA it finds late that was not expected
 * still reports, and sends its own summary if the import's has already gone.
 */
export function entersLate(first: { notifications: Notification[]; deadlines: Deadline[] }, now: number): boolean {
  return lateFacts(new Set(), new Set(), first.notifications, first.deadlines, now).deadlines.length > 0;
}

/**
 * How long an import's summary waits for every EPA to report (ms): their quiet period and ten
 * minutes more when the seconds are set for the whole process, else a day (each EPAO sets its own).
 */
export function importSummaryWaitMs(quietSeconds: number | undefined): number {
  return quietSeconds !== undefined ? quietSeconds * 1000 + 10 * 60_000 : 24 * 60 * 60_000;
}

/** What an imported EPA reports to its import's summary: who, and the deadlines of its own summary (none: nothing late). */
export function importedLateEntry(
  uln: string,
  apprenticeName: string,
  ctx: { plan: { standard: string }; policy: { name: string } },
  summary: Notification | undefined,
): ImportedLateEntry {
  return { uln, apprenticeName, standard: ctx.plan.standard, epaoName: ctx.policy.name, missed: summary?.missed ?? [] };
}

/**
 * An import's summary (round 1, then a follow-up for reports that came while it was on its way):
 * the reports not yet sent that have something to say, by apprentice name; undefined when none.
 * Signed by the EPAO when every apprentice listed has the same one.
 */
export function importSummary(
  reports: Iterable<ImportedLateEntry>,
  sent: ReadonlySet<string>,
  round: number,
  at: number,
): { notification: Notification; epaoName: string } | undefined {
  const imported = [...reports]
    .filter((r) => r.missed.length > 0 && !sent.has(r.uln))
    .sort((a, b) => a.apprenticeName.localeCompare(b.apprenticeName) || a.uln.localeCompare(b.uln));
  if (imported.length === 0) return undefined;
  const names = new Set(imported.map((r) => r.epaoName));
  return {
    notification: {
      key: round === 1 ? 'importSummary' : `importSummary:${round}`,
      kind: 'importSummary',
      at,
      to: ['epaoAdmin'],
      imported,
    },
    epaoName: names.size === 1 ? imported[0]!.epaoName : 'epa-flow',
  };
}

function missedDeadline(d: Deadline): MissedDeadline {
  return {
    key: d.key,
    due: d.due,
    rule: d.rule,
    source: d.source,
    owner: d.owner,
    ...(d.component && { component: d.component }),
  };
}
