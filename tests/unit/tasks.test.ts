/**
 * Tasks (src/epa/tasks.ts, issue 29 part 9): what each task comes from (the seed or rule it cites),
 * its due date, when it is done, the keys staff may mark done, the words, and the two task events
 * (CaseOwnerAssigned, TaskDone) in the reducer, the zod schema and the workflow's zod-free check.
 */
import { endOfLondonDay } from '../../src/calendar';
import { enterHistory, startingState, view, type EpaView } from '../../src/epa/evaluate';
import { CaseOwnerAssigned, TaskDone } from '../../src/epa/events';
import { parseEvent } from '../../src/epa/event-check';
import type { EpaState } from '../../src/epa/state';
import { epaTasks, rowTasks, ROW_TASKS_KEPT, taskDoneProblem, taskTitle, type TaskLogEntry } from '../../src/epa/tasks';
import { rules } from '../../src/plans';
import { timelineEntry } from '../../src/epa/timeline';
import { timelineItems } from '../../src/app/case-file';
import { st0071Component, st0071Gateway, type RawEvent } from '../support/cases';

const pinned = rules().resolve('ST0071', 'innovate');
const ctx = { plan: pinned.plan, policy: pinned.policy };
const names = Object.fromEntries(pinned.plan.components.map((c) => [c.id, c.name]));

/** ST0071 with Innovate: the gateway submitted 2026-11-02, then `events`, seen at the end of `asOf`. */
function epa(events: RawEvent[], asOf: string): { state: EpaState; v: EpaView } {
  const { state, problems } = enterHistory(ctx, '2026-11-02', [...st0071Gateway.slice(1), ...events], asOf);
  expect(problems).toEqual([]);
  return { state, v: view(state, ctx, endOfLondonDay(asOf)) };
}

const tasksOf = (e: { state: EpaState; v: EpaView }, log: TaskLogEntry[] = []) =>
  epaTasks({ deadlines: e.v.deadlines, components: e.v.components, tasksDone: e.state.tasksDone, log });

test('the gateway review the EPAO owes is a task from the gateway submission, done when the gateway is decided (EPAO policy gatewayReviewWeeks)', () => {
  const state = startingState(ctx, '2026-11-02');
  const open = epaTasks({
    deadlines: view(state, ctx, endOfLondonDay('2026-11-03')).deadlines,
    components: state.components,
    log: [],
  });
  const review = view(state, ctx, 0).deadlines.find((d) => d.key === 'gatewayReviewDue')!;
  expect(open).toEqual([
    {
      key: `deadline:gatewayReviewDue:${review.due}`,
      kind: 'deadline',
      due: review.due,
      done: false,
      closes: 'rules',
      deadline: 'gatewayReviewDue',
    },
  ]);
  expect(tasksOf(epa([], '2026-11-30')).find((t) => t.deadline === 'gatewayReviewDue')?.done).toBe(true);
  expect(taskTitle(open[0]!)).toBe('Review the gateway evidence, then pass or reject it');
});

test('a result the EPAO owes (002 Annex 2: 7 working days after the assessment) is a task until the result is published', () => {
  const [booked, taken, graded, moderated, published] = st0071Component(
    'observation',
    '2026-11-17',
    '2026-12-08T10:00',
    'Pass',
    '2026-12-09',
    '2026-12-10',
  );
  const waiting = tasksOf(epa([booked!, taken!, graded!, moderated!], '2026-12-09'));
  const result = waiting.find((t) => t.deadline === 'resultDue.observation')!;
  expect(result).toMatchObject({ kind: 'deadline', due: '2026-12-17', done: false, closes: 'rules', component: 'observation' });
  expect(taskTitle(result, names)).toBe(
    `Grade, moderate and publish the result of the ${names.observation!.charAt(0).toLowerCase()}${names.observation!.slice(1)}`,
  );
  const after = tasksOf(epa([booked!, taken!, graded!, moderated!, published!], '2026-12-10'));
  expect(after.find((t) => t.key === result.key)?.done).toBe(true);
  expect(taskDoneProblem(waiting, result.key)).toMatch(/is recorded on its own page, not marked done/);
});

test('an appeal awaiting a decision (001 §8: managed by the EPAO) is a task from the day it was lodged, done when decided', () => {
  const component = st0071Component('observation', '2026-11-17', '2026-12-08T10:00', 'Fail', '2026-12-09', '2026-12-10');
  const lodged: RawEvent = {
    type: 'AppealLodged',
    component: 'observation',
    on: '2026-12-11',
    reason: 'The assessor left early',
  };
  const open = tasksOf(epa([...component, lodged], '2026-12-11'));
  expect(open.find((t) => t.kind === 'appeal')).toMatchObject({
    key: 'appeal:observation:2026-12-11',
    due: '2026-12-11',
    done: false,
    closes: 'rules',
  });
  const decided: RawEvent = { type: 'AppealDecided', component: 'observation', on: '2026-12-14', outcome: 'dismissed' };
  expect(tasksOf(epa([...component, lodged, decided], '2026-12-14')).find((t) => t.kind === 'appeal')?.done).toBe(true);
});

const failed: TaskLogEntry = {
  key: 'deadlineReminder:reportDue:2026-12-01',
  kind: 'deadlineReminder',
  role: 'apprentice',
  at: '2026-11-24T09:00:00.000Z',
  status: 'failed',
};

test('a message that failed for good (the delivery log) is a task due the day it failed, done when marked done or sent again', () => {
  const e = epa([], '2026-11-30');
  const [task] = tasksOf(e, [failed]).filter((t) => t.kind === 'failedMessage');
  expect(task).toEqual({
    key: 'failed:deadlineReminder:reportDue:2026-12-01:apprentice',
    kind: 'failedMessage',
    due: '2026-11-24',
    done: false,
    closes: 'staff',
    message: { key: failed.key, kind: 'deadlineReminder', role: 'apprentice' },
  });
  expect(taskTitle(task!)).toBe('A message failed: Deadline reminder to the apprentice');
  expect(taskDoneProblem(tasksOf(e, [failed]), task!.key)).toBeUndefined();
  // Sent again later to the same person: done.
  const again = tasksOf(e, [failed, { ...failed, at: '2026-11-25T09:00:00.000Z', status: 'sent' }]);
  expect(again.find((t) => t.key === task!.key)?.done).toBe(true);
  // Marked done (TaskDone): done, and not markable again.
  const marked = epa([{ type: 'TaskDone', on: '2026-11-25', task: task!.key }], '2026-11-30');
  const after = tasksOf(marked, [failed]);
  expect(after.find((t) => t.key === task!.key)?.done).toBe(true);
  expect(taskDoneProblem(after, task!.key)).toBe('That task is already done');
});

test('a late-entry summary sent to the EPAO admin (late-entry.ts) is a task due the day it went, until marked done', () => {
  const summary: TaskLogEntry = {
    key: 'missedBeforeEntry:3',
    kind: 'missedBeforeEntry',
    role: 'epaoAdmin',
    at: '2026-11-20T23:30:00.000Z', // 20 November in UTC, the 20th in London too (GMT)
    status: 'sent',
  };
  const [task] = tasksOf(epa([], '2026-11-30'), [summary]).filter((t) => t.kind === 'lateEntry');
  expect(task).toMatchObject({ key: 'lateEntry:missedBeforeEntry:3:epaoAdmin', due: '2026-11-20', done: false, closes: 'staff' });
  expect(taskTitle(task!)).toMatch(/late-entry summary/);
  // Any other message sent is no task.
  expect(tasksOf(epa([], '2026-11-30'), [{ ...failed, status: 'sent' }]).some((t) => t.kind === 'failedMessage')).toBe(false);
});

test('a request from a personal page comes in through `requests` (none exist yet) and is done when marked done', () => {
  const e = epa([], '2026-11-30');
  const tasks = epaTasks({
    deadlines: e.v.deadlines,
    components: e.v.components,
    log: [],
    requests: [{ key: 'request:r1', from: 'employer', due: '2026-12-01' }],
  });
  const request = tasks.find((t) => t.kind === 'request')!;
  expect(request).toMatchObject({ due: '2026-12-01', done: false, closes: 'staff', from: 'employer' });
  expect(taskTitle(request)).toBe('Answer the request from the employer');
});

test('tasks come oldest due first; a key not among them is refused in words; the row keeps at most ROW_TASKS_KEPT open ones', () => {
  const e = epa([], '2026-11-30');
  const log = Array.from({ length: ROW_TASKS_KEPT + 5 }, (_, i) => ({
    ...failed,
    key: `deadlineReminder:reportDue:${i}`,
    at: new Date(Date.parse('2026-11-01T12:00:00Z') + (30 - i) * 86_400_000).toISOString(),
  }));
  const tasks = tasksOf(e, log);
  expect(tasks.map((t) => t.due)).toEqual([...tasks.map((t) => t.due)].sort());
  expect(taskDoneProblem(tasks, 'failed:no-such-message:apprentice')).toBe(
    'This EPA has no such task: choose one from its open tasks',
  );
  const row = rowTasks(tasks);
  expect(row).toHaveLength(ROW_TASKS_KEPT);
  expect(row[0]!.due).toBe(tasks.find((t) => !t.done)!.due);
  expect(row.every((t) => !('done' in t) && !('closes' in t))).toBe(true);
});

test('the case owner is kept in the state and changes no stage or deadline; naming the owner already set is refused', () => {
  const before = epa([], '2026-11-30');
  const assigned = epa([{ type: 'CaseOwnerAssigned', on: '2026-11-20', owner: 'olu.ferris', name: 'Olu Ferris' }], '2026-11-30');
  expect(assigned.state.caseOwner).toEqual({ username: 'olu.ferris', name: 'Olu Ferris', on: '2026-11-20' });
  expect(assigned.v.stage).toBe(before.v.stage);
  expect(assigned.v.deadlines).toEqual(before.v.deadlines);
  const { problems } = enterHistory(
    ctx,
    '2026-11-02',
    [
      ...st0071Gateway.slice(1),
      { type: 'CaseOwnerAssigned', on: '2026-11-20', owner: 'olu.ferris', name: 'Olu Ferris' },
      { type: 'CaseOwnerAssigned', on: '2026-11-21', owner: 'olu.ferris', name: 'Olu Ferris' },
    ],
    '2026-11-30',
  );
  expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/Olu Ferris is already the case owner/) })]);
});

test.each([
  ['a good owner', { type: 'CaseOwnerAssigned', owner: 'olu.ferris', name: 'Olu Ferris' }, true],
  ['an owner that is not a username', { type: 'CaseOwnerAssigned', owner: 'Olu Ferris', name: 'Olu Ferris' }, false],
  ['an owner without a name', { type: 'CaseOwnerAssigned', owner: 'olu.ferris', name: ' ' }, false],
  ['a task key', { type: 'TaskDone', task: 'failed:deadlineReminder:reportDue:2026-12-01:apprentice' }, true],
  ['a task key with spaces', { type: 'TaskDone', task: 'failed:a b' }, false],
  ['no task key', { type: 'TaskDone' }, false],
])('the zod schema and the workflow check agree on %s', (_what, event, accepted) => {
  const raw = { ...event, on: '2026-11-20' };
  const schema = event.type === 'TaskDone' ? TaskDone : CaseOwnerAssigned;
  expect(schema.safeParse(raw).success).toBe(accepted);
  if (accepted) expect(() => parseEvent(raw)).not.toThrow();
  else expect(() => parseEvent(raw)).toThrow();
});

test('the timeline names the case owner assigned and the task marked done, in words', () => {
  const e = epa([], '2026-11-30');
  const tasks = tasksOf(e, [failed]);
  const entries = [
    timelineEntry(
      { type: 'CaseOwnerAssigned', on: '2026-11-20', owner: 'olu.ferris', name: 'Olu Ferris', by: 'Amira' },
      e.v,
      e.v,
      9,
      0,
    ),
    timelineEntry(
      { type: 'TaskDone', on: '2026-11-21', task: tasks.find((t) => t.kind === 'failedMessage')!.key, by: 'Amira' },
      e.v,
      e.v,
      10,
      0,
    ),
  ];
  const items = timelineItems({ ...e.v, timeline: entries, overrides: [], tasks }, names);
  expect(items.map((i) => [i.title, i.lines])).toEqual([
    ['Task marked done', ['Marked done: A message failed: Deadline reminder to the apprentice']],
    ['Case owner assigned', ['Case owner: Olu Ferris']],
  ]);
});
