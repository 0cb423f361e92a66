/**
 * Tasks (issue 29 part 9), for the pages and any other door: each EPA's case owner (a named staff
 * account, recorded as CaseOwnerAssigned), its tasks in words (src/epa/tasks.ts derives them), a
 * task with no natural end marked done (TaskDone), and the board's "To handle" list across EPAs
 * from the listings (the listing index in SQL, or visibility's memos), by owner, oldest due first.
 */
import { londonDateOf } from '../calendar';
import { componentNamesOf, dateInWords, type ComponentNames } from '../epa/display-names';
import { EpaInputError } from '../epa/errors';
import { taskDoneProblem, taskHint, taskTitle, type RowTask, type Task } from '../epa/tasks';
import { rules } from '../plans';
import type { EpaStatus, EpaSummary } from '../../workflows/definitions';
import type { EpaClient } from './epa-client';
import { messageHref } from './message-links';
import { FormFieldError, newFormKey } from './event-forms';
import type { EpaListings, TaskQuery } from './listings';
import type { StaffUserView, UserStore } from './users';

/** The most tasks the "To handle" list shows at once (the rest are counted). */
export const TO_HANDLE_SHOWN = 200;

/** What the owner filter says when the EPA has none. */
export const NO_OWNER = 'No owner yet';

/** A task in words, as a page shows it. */
export interface TaskItem {
  key: string;
  title: string;
  /** "Tuesday 11 May 2027" */
  dueWords: string;
  /** Due before today (London). */
  overdue: boolean;
  hint: string;
  /** The page to act on: the message that failed or the summary sent ('' when the EPA page itself). */
  href: string;
  hrefText: string;
  /** Staff may mark it done (it has no natural end). */
  canMarkDone: boolean;
}

const uniqueKey = (formKey: string | undefined): string | undefined =>
  formKey && /^[0-9a-f-]{36}$/.test(formKey) ? formKey : undefined;

export function taskItem(
  uln: string,
  task: RowTask & Partial<Pick<Task, 'closes'>>,
  names: ComponentNames,
  today: string,
): TaskItem {
  const message = task.message && (task.kind === 'failedMessage' || task.kind === 'lateEntry') ? task.message : undefined;
  return {
    key: task.key,
    title: taskTitle(task, names),
    dueWords: dateInWords(task.due),
    overdue: task.due < today,
    hint: taskHint(task),
    href: message ? messageHref(uln, message.key, message.role) : '',
    hrefText: message
      ? task.kind === 'failedMessage'
        ? 'Open the message (it can be sent again from there)'
        : 'Read the summary'
      : '',
    canMarkDone: (task.closes ?? (task.kind === 'deadline' || task.kind === 'appeal' ? 'rules' : 'staff')) === 'staff',
  };
}

/** The EPA page's tasks: its case owner and its open tasks in words, oldest due first. */
export function epaTaskSection(status: Pick<EpaStatus, 'uln' | 'rules' | 'tasks' | 'caseOwner'>, today: string) {
  const names = componentNamesOf(rules().plan(status.rules.standard, status.rules.version)?.data);
  const open = (status.tasks ?? []).filter((t) => !t.done);
  return {
    caseOwner: status.caseOwner ? status.caseOwner.name : '',
    caseOwnerSince: status.caseOwner ? dateInWords(status.caseOwner.on) : '',
    // Each with its own form key: "Mark as done" posted twice is recorded once.
    openTasks: open.map((t) => ({ ...taskItem(status.uln, t, names, today), formKey: newFormKey() })),
  };
}

/** The accounts an EPA can be given to: staff accounts not disabled, by name. */
export async function caseOwnerChoices(users: Pick<UserStore, 'list'>): Promise<Pick<StaffUserView, 'username' | 'name'>[]> {
  return (await users.list())
    .filter((u) => !u.disabled)
    .map((u) => ({ username: u.username, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.username.localeCompare(b.username));
}

/** The chosen account, checked: an active staff account, not the owner already. Field errors in words. */
export async function checkCaseOwner(
  users: Pick<UserStore, 'get'>,
  status: Pick<EpaStatus, 'caseOwner'>,
  owner: string | undefined,
): Promise<{ username: string; name: string }> {
  const username = (owner ?? '').trim();
  if (!username) throw new FormFieldError('owner', 'Choose who owns this EPA');
  const user = /^[a-z0-9][a-z0-9._-]{1,39}$/.test(username) ? await users.get(username) : undefined;
  if (!user) throw new FormFieldError('owner', 'There is no staff account like that: choose one from the list');
  if (user.disabled) throw new FormFieldError('owner', `${user.name}'s account is disabled: choose someone else`);
  if (status.caseOwner?.username === username) throw new FormFieldError('owner', `${user.name} already owns this EPA`);
  return { username: user.username, name: user.name };
}

/** Records the case owner (CaseOwnerAssigned), dated today in London, by the signed-in person; once per form. */
export async function assignCaseOwner(
  epa: Pick<EpaClient, 'status' | 'recordEvent'>,
  users: Pick<UserStore, 'get'>,
  uln: string,
  posted: { owner?: string; formKey?: string },
  by: string,
  now: number,
): Promise<{ owner: { username: string; name: string }; summary: EpaSummary }> {
  const status = await epa.status(uln);
  const owner = await checkCaseOwner(users, status, posted.owner);
  const key = uniqueKey(posted.formKey);
  const summary = await epa.recordEvent(
    uln,
    'CaseOwnerAssigned',
    { on: londonDateOf(now), owner: owner.username, name: owner.name, by },
    key ? { idempotencyKey: key } : {},
  );
  return { owner, summary };
}

/** Marks one of the EPA's open tasks done (TaskDone); FormFieldError('task', …) in words when it cannot be. */
export async function markTaskDone(
  epa: Pick<EpaClient, 'status' | 'recordEvent'>,
  uln: string,
  posted: { task?: string; formKey?: string },
  by: string,
  now: number,
): Promise<{ title: string }> {
  const status = await epa.status(uln);
  const task = typeof posted.task === 'string' ? posted.task : '';
  const problem = taskDoneProblem(status.tasks ?? [], task);
  if (problem) throw new FormFieldError('task', problem);
  const names = componentNamesOf(rules().plan(status.rules.standard, status.rules.version)?.data);
  const found = status.tasks!.find((t) => t.key === task)!;
  const key = uniqueKey(posted.formKey);
  await epa.recordEvent(uln, 'TaskDone', { on: londonDateOf(now), task, by }, key ? { idempotencyKey: key } : {});
  return { title: taskTitle(found, names) };
}

/** The "To handle" list's query from the page's: `owner` is a username, `all`, `none`, or absent (the signed-in person). */
export interface ToHandleQuery {
  owner?: string;
}

/** The board's "To handle" list: open tasks of running EPAs, whose owner is chosen, oldest due first. */
export async function toHandle(
  listings: Pick<EpaListings, 'tasks'>,
  users: Pick<UserStore, 'list'>,
  raw: ToHandleQuery,
  me: { username: string },
  now: number,
) {
  const today = londonDateOf(now);
  const accounts = (await users.list()).sort((a, b) => a.name.localeCompare(b.name) || a.username.localeCompare(b.username));
  const owner = typeof raw.owner === 'string' && raw.owner !== '' ? raw.owner : me.username;
  if (owner !== 'all' && owner !== 'none' && !accounts.some((a) => a.username === owner))
    throw new EpaInputError('There is no staff account like that: choose whose tasks to show from the list', 'owner');
  const query: TaskQuery = owner === 'all' ? {} : owner === 'none' ? { owner: null } : { owner };
  const found = await listings.tasks(query, TO_HANDLE_SHOWN);
  const names = new Map<string, ComponentNames>();
  const namesOf = (standard: string): ComponentNames => {
    if (!names.has(standard)) names.set(standard, componentNamesOf(rules().plan(standard)?.data));
    return names.get(standard)!;
  };
  return {
    owner,
    total: found.total,
    shown: found.rows.length,
    choices: [
      { value: 'all', text: 'Everyone', selected: owner === 'all' },
      { value: 'none', text: NO_OWNER, selected: owner === 'none' },
      ...accounts.map((a) => ({
        value: a.username,
        text: `${a.name}${a.username === me.username ? ' (you)' : ''}${a.disabled ? ' (account disabled)' : ''}`,
        selected: owner === a.username,
      })),
    ],
    ownerWords:
      owner === 'all'
        ? 'everyone'
        : owner === 'none'
          ? 'EPAs with no owner yet'
          : owner === me.username
            ? 'you'
            : (accounts.find((a) => a.username === owner)?.name ?? owner),
    rows: found.rows.map((r) => ({
      ...taskItem(r.uln, r.task, namesOf(r.standard), today),
      uln: r.uln,
      apprentice: r.apprentice,
      epaHref: `/epas/${r.uln}#tasks-heading`,
      ownerName: r.caseOwner?.name ?? NO_OWNER,
    })),
  };
}
