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
 */
import type { Deadline } from './deadlines';
import type { MissedDeadline, Notification, NotificationKind } from './notifications';

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
  const withheld = scheduled.filter((n) => !known.has(n.key) && REPORTS_A_MISS.has(n.kind) && n.at <= enteredAt);
  if (withheld.length === 0) return { withheld: [] };
  const missed = withheld
    .map((n) => deadlines.find((d) => d.key === n.deadlineKey && d.due === n.due))
    .filter((d): d is Deadline => d !== undefined)
    .map((d): MissedDeadline => ({
      key: d.key,
      due: d.due,
      rule: d.rule,
      source: d.source,
      owner: d.owner,
      ...(d.component && { component: d.component }),
    }));
  return {
    withheld: withheld.map((n) => n.key),
    summary: { key: `missedBeforeEntry:${entry}`, kind: 'missedBeforeEntry', at: enteredAt, to: ['epaoAdmin'], missed },
  };
}
