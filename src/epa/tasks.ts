/**
 * Tasks (issue 29 part 9): everything about an EPA that needs a person, each with a due date and
 * done or not, owned by the EPA's case owner (CaseOwnerAssigned: a named staff member). Derived
 * here, purely, from what the EPA already knows; no task is stored of its own. Where each comes from:
 *
 * - **A result or decision the EPAO owes**: a deadline whose owner is the EPAO among
 *   EPAO_TASK_DEADLINES (the gateway review, each result, the results, the certificate claim: the
 *   rule files' SLAs, deadlines.ts), due on the deadline's day; done when the rules see it met.
 * - **An appeal awaiting a decision** (001 §8: "managed by the EPAO whose decision is final"): no
 *   seed or EPAO setting gives the decision a date, so it is due from the day it was lodged; done
 *   when the decision is recorded.
 * - **A message that failed** (the SMTP server refused it for good: the notification log's `failed`
 *   entries, workflows/epa/delivery.ts): due the day it failed; done when staff mark it done
 *   (TaskDone), or when the same message to the same person is later logged as sent (sent again).
 * - **A late-entry summary sent to the EPAO admin** (late-entry.ts: deadlines missed before the
 *   EPA was entered): due the day it was sent; done when staff mark it done.
 * - **A request from a personal page** (the issue "People act on their reminders"): personal
 *   pages do not exist yet; `requests` is where they come in (none today), due when the requester
 *   needs an answer, done when marked done.
 *
 * Tasks are data (keys, dates, the deadline or message they are about); `taskTitle` puts one in
 * words from display-names.ts.
 */
import type { LondonDate } from '../calendar';
import { londonDateOf } from '../calendar/london';
import { isMet, type Deadline, type Role } from './deadlines';
import {
  componentPhrase,
  dateInWords,
  deadlineActions,
  deadlineName,
  messageName,
  ownerPhrase,
  upperFirst,
  type ComponentNames,
} from './display-names';
import { gradedAttempt, type ComponentState } from './state';
import { TASK_KEY } from './task-keys';

export type TaskKind = 'deadline' | 'appeal' | 'failedMessage' | 'lateEntry' | 'request';

/** The deadlines (their key without a component) the EPAO owes that are tasks: results and decisions. */
export const EPAO_TASK_DEADLINES: readonly string[] = ['gatewayReviewDue', 'resultDue', 'resultsDue', 'certificateClaimDue'];

/** The most open tasks an EPA's listing row carries (oldest due first); the EPA page shows them all. */
export const ROW_TASKS_KEPT = 20;

export interface Task {
  /** Unique within the EPA, stable while the task stands (TASK_KEY): what TaskDone names. */
  key: string;
  kind: TaskKind;
  /** The London day it is due. */
  due: LondonDate;
  done: boolean;
  /** How it ends: the rules see it done (`rules`), or staff mark it done (`staff`). */
  closes: 'rules' | 'staff';
  /** A deadline's key (`resultDue.observation`). */
  deadline?: string;
  /** The component a deadline or appeal is about. */
  component?: string;
  /** The message that failed, or the late-entry summary: its log key, kind and recipient's role. */
  message?: { key: string; kind: string; role: string };
  /** A personal page's request: who asked. */
  from?: Role;
}

/** A task as the listing index keeps it (open ones only, small). */
export type RowTask = Pick<Task, 'key' | 'kind' | 'due' | 'deadline' | 'component' | 'message' | 'from'>;

/** A notification log entry, as tasks read it (workflows/definitions.ts NotificationLogEntry). */
export interface TaskLogEntry {
  key: string;
  kind: string;
  role: string;
  at: string;
  status: 'sent' | 'failed' | 'expired';
}

/**
 * A request someone made on their personal page (the issue "People act on their reminders"): the
 * extension point for those pages. Nothing makes one yet.
 */
export interface PersonalRequest {
  /** `request:<id>`, the id unique within the EPA. */
  key: string;
  from: Role;
  /** When the requester needs an answer. */
  due: LondonDate;
}

export interface TaskSources {
  deadlines: readonly Deadline[];
  components: Readonly<Record<string, ComponentState>>;
  /** The EPA state's `tasksDone` (TaskDone). */
  tasksDone?: readonly string[];
  /** The EPA's notification log, oldest first. */
  log: readonly TaskLogEntry[];
  /** Requests from personal pages (none until they exist). */
  requests?: readonly PersonalRequest[];
}

/** Every task the EPA has now, done or not, oldest due first (then by key). */
export function epaTasks(s: TaskSources): Task[] {
  const marked = new Set(s.tasksDone ?? []);
  const out: Task[] = [];
  for (const d of s.deadlines) {
    if (!EPAO_TASK_DEADLINES.includes(d.key.split('.')[0]!) || d.owner !== 'epaoAdmin') continue;
    out.push({
      key: `deadline:${d.key}:${d.due}`,
      kind: 'deadline',
      due: d.due,
      done: isMet(d),
      closes: 'rules',
      deadline: d.key,
      ...(d.component && { component: d.component }),
    });
  }
  for (const [id, component] of Object.entries(s.components)) {
    const appeal = gradedAttempt(component)?.appeal;
    if (!appeal) continue;
    out.push({
      key: `appeal:${id}:${appeal.lodgedOn}`,
      kind: 'appeal',
      due: appeal.lodgedOn,
      done: appeal.outcome !== undefined,
      closes: 'rules',
      component: id,
    });
  }
  s.log.forEach((entry, i) => {
    const failed = entry.status === 'failed';
    const summary = entry.kind === 'missedBeforeEntry' && entry.status === 'sent';
    if (!failed && !summary) return;
    const key = `${failed ? 'failed' : 'lateEntry'}:${entry.key}:${entry.role}`;
    if (!TASK_KEY.test(key)) return; // a key this version cannot name (never made today)
    const sentAgain =
      failed && s.log.slice(i + 1).some((l) => l.key === entry.key && l.role === entry.role && l.status === 'sent');
    out.push({
      key,
      kind: failed ? 'failedMessage' : 'lateEntry',
      due: londonDateOf(Date.parse(entry.at)),
      done: marked.has(key) || sentAgain,
      closes: 'staff',
      message: { key: entry.key, kind: entry.kind, role: entry.role },
    });
  });
  for (const r of s.requests ?? []) {
    out.push({ key: r.key, kind: 'request', due: r.due, done: marked.has(r.key), closes: 'staff', from: r.from });
  }
  // One task per key (a message failing twice for the same person is one thing to put right).
  const byKey = new Map<string, Task>();
  for (const t of out) byKey.set(t.key, byKey.has(t.key) ? { ...t, done: t.done && byKey.get(t.key)!.done } : t);
  return [...byKey.values()].sort((a, b) => a.due.localeCompare(b.due) || a.key.localeCompare(b.key));
}

/** The open tasks as the listing row keeps them: oldest due first, at most ROW_TASKS_KEPT. */
export function rowTasks(tasks: readonly Task[]): RowTask[] {
  return tasks
    .filter((t) => !t.done)
    .slice(0, ROW_TASKS_KEPT)
    .map(({ key, kind, due, deadline, component, message, from }) => ({
      key,
      kind,
      due,
      ...(deadline !== undefined && { deadline }),
      ...(component !== undefined && { component }),
      ...(message !== undefined && { message }),
      ...(from !== undefined && { from }),
    }));
}

/**
 * Whether staff may mark the task `key` done, or why not, in words: it must be one of the EPA's
 * tasks, still open, and one with no natural end.
 */
export function taskDoneProblem(tasks: readonly Task[], key: string): string | undefined {
  const task = tasks.find((t) => t.key === key);
  if (!task) return 'This EPA has no such task: choose one from its open tasks';
  if (task.done) return 'That task is already done';
  if (task.closes === 'rules')
    return `That task is done when ${task.kind === 'appeal' ? 'the appeal decision' : 'what it asks for'} is recorded on its own page, not marked done`;
  return undefined;
}

/** What a task asks, in words: "Publish the result of the practical observation with Q&A". */
export function taskTitle(task: RowTask, components: ComponentNames = {}): string {
  switch (task.kind) {
    case 'deadline': {
      const base = (task.deadline ?? '').split('.')[0]!;
      const action = deadlineActions[base]?.action ?? upperFirst(deadlineName(task.deadline ?? '', components));
      return task.component ? `${action} of the ${componentPhrase(task.component, components)}` : action;
    }
    case 'appeal':
      return `Decide the appeal against the result of the ${componentPhrase(task.component ?? '', components)}`;
    case 'failedMessage':
      return `A message failed: ${messageName(task.message?.kind ?? '')} to ${ownerPhrase(task.message?.role)}`;
    case 'lateEntry':
      return 'Check the deadlines missed before the EPA was entered (the late-entry summary)';
    case 'request':
      return `Answer the request from ${ownerPhrase(task.from)}`;
  }
}

/** How a task ends, in words, for the EPA page. */
export function taskHint(task: RowTask): string {
  switch (task.kind) {
    case 'deadline':
      return 'Done when it is recorded.';
    case 'appeal':
      return `Lodged on ${dateInWords(task.due)}. No rule sets a date for the decision. Done when the decision is recorded.`;
    case 'failedMessage':
      return 'Put the address right if it was wrong, then send it again from the message page, or mark the task done.';
    case 'lateEntry':
      return 'Read the summary on the message page, act on what it lists, then mark the task done.';
    case 'request':
      return 'Mark the task done once answered.';
  }
}
