/** What the status query and each Update answer: the view, with the run's record around it. */
import { serviceClaim } from '../../src/epa/certificate-claims';
import type { EpaView } from '../../src/epa/evaluate';
import { epaTasks, type Task } from '../../src/epa/tasks';
import type { EpaStatus } from '../definitions';
import { current, type RunState } from './run-state';

export function statusOf(run: RunState, v: EpaView = current(run)): EpaStatus {
  const { state, input } = run;
  return {
    ...v,
    epaId: run.epaId,
    uln: input.uln,
    people: run.people,
    eventCount: state.eventCount,
    overrides: state.violations
      .filter((x) => x.overridden !== undefined)
      .map((x) => ({ rule: x.rule, reason: x.overridden!, event: x.event, on: x.on })),
    log: run.log,
    completed: v.stage === 'Completed' || v.stage === 'Withdrawn',
    runs: run.runs,
    rules: run.rules,
    ...(input.restartOf && { restartOf: input.restartOf }),
    timeline: run.timeline,
    ...certificateTask(run),
    ...(state.caseOwner && { caseOwner: state.caseOwner }),
    tasks: tasksOf(run, v),
  };
}

/** The EPA's tasks (src/epa/tasks.ts) from the view, the state and the notification log. */
export function tasksOf(run: RunState, v: EpaView): Task[] {
  return epaTasks({ deadlines: v.deadlines, components: v.components, tasksDone: run.state.tasksDone, log: run.log });
}

/** What stands in the way of the claim through the assessment service, for the status and the pages. */
function certificateTask(run: RunState): { certificateTask?: ReturnType<typeof serviceClaim>['task'] } {
  const { task } = serviceClaim(run.state, run.ctx.plan, run.ctx.policy, run.people.apprentice.name);
  return task ? { certificateTask: task } : {};
}
