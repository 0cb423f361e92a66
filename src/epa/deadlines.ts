/**
 * The deadlines an EPA's state implies, each with its status at a given instant:
 * - `open`: not met, and the end of its London due day has not passed;
 * - `met`: done (with `late: true` when done after the due day);
 * - `missed`: not met, and the due day has ended. An EPA with a missed deadline is overdue.
 */
import { daysBetween, endOfLondonDay, type LondonDate } from '../calendar';
import type { Plan, Policy } from '../plans';
import {
  certificateClaimDueOn,
  certificateReceivedDueOn,
  epaPeriodEndsOn,
  firstAssessmentOn,
  gatewayFormDueOn,
  gatewayReviewDueOn,
  noticeByOn,
  projectCompletionDueOn,
  resitDeadlineOn,
  resultDueOn,
  reworkDueOn,
  submissionDueOn,
  allComponentsPassedAndPublished,
} from './rules';
import { isPassed, latestAttempt, resultAttempt, resultFinalOn, type EpaState } from './state';

export type DeadlineStatus = 'open' | 'met' | 'missed';
export type Role = 'apprentice' | 'employer' | 'provider' | 'assessor' | 'epaoAdmin';

export interface Deadline {
  key: string;
  due: LondonDate;
  /** The instant it expires: the end of `due` in London (ISO 8601, UTC). */
  dueAt: string;
  status: DeadlineStatus;
  metOn?: LondonDate;
  late?: boolean;
  component?: string;
  /** Who has to act. */
  owner: Role;
  source: string;
  rule: string;
}

interface Candidate {
  key: string;
  due: LondonDate | undefined;
  metOn: LondonDate | undefined;
  component?: string;
  owner: Role;
  source: string;
  rule: string;
}

function max(dates: (LondonDate | undefined)[]): LondonDate | undefined {
  if (dates.some((d) => d === undefined)) return undefined;
  return (dates as LondonDate[]).sort().pop();
}

function candidates(state: EpaState, plan: Plan, policy: Policy): Candidate[] {
  const out: Candidate[] = [];
  const { submissions, rejections, passes } = state.gateway;
  const lastSubmitted = submissions[submissions.length - 1];
  if (lastSubmitted) {
    const decision = [...rejections.map((r) => r.on), ...passes].filter((d) => d >= lastSubmitted).sort()[0];
    const decided = submissions.length <= rejections.length + passes.length ? decision : undefined;
    out.push({
      key: 'gatewayReviewDue',
      due: gatewayReviewDueOn(lastSubmitted, policy),
      metOn: decided,
      owner: 'epaoAdmin',
      source: policy.gatewaySource,
      rule: `the EPAO reviews the gateway within ${policy.gatewayReviewWeeks ?? 0} weeks`,
    });
  }
  const firstOn = firstAssessmentOn(state);
  if (firstOn) {
    out.push({
      key: 'gatewayFormDue',
      due: gatewayFormDueOn(firstOn, policy),
      // 004 Gateway: the employer confirms readiness "via Gateway"; after a rejection the latest
      // submission is the one that counts.
      metOn: submissions[submissions.length - 1],
      owner: 'employer',
      source: policy.gatewaySource,
      rule: `gateway form at least ${policy.gatewayFormWorkingDaysBeforeFirstAssessment ?? 0} working days before the first assessment`,
    });
  }
  if (policy.planningMeeting && firstOn) {
    // 002 Assessment Booking: the planning meeting is held before the first assessment.
    out.push({
      key: 'planningMeetingDue',
      due: firstOn,
      metOn: state.planningMeeting?.heldOn,
      owner: 'epaoAdmin',
      source: policy.planningMeeting.source,
      rule: `the ${policy.planningMeeting.minutes}-minute planning meeting is held before the first assessment`,
    });
  }
  const ends = epaPeriodEndsOn(state, plan);
  if (ends) {
    const firstTaken = plan.components.map((c) => state.components[c.id]!.attempts.find((a) => a.takenOn)?.takenOn);
    out.push({
      key: 'epaPeriodEnds',
      due: ends,
      metOn: max(firstTaken),
      owner: 'epaoAdmin',
      source: plan.epaPeriodSource,
      rule: `every assessment method within ${plan.epaPeriodMonths} months of gateway${state.extensionWeeks ? ` (+${state.extensionWeeks} weeks for extenuating circumstances)` : ''}`,
    });
  }
  for (const spec of plan.components) {
    const component = state.components[spec.id]!;
    const attempt = latestAttempt(component);
    // A submission never recorded stops being actionable once the assessment has taken place: it
    // counts as met (late) on that day, so it doesn't keep the EPA overdue for ever.
    const submittedOrTaken = component.submission?.on ?? component.attempts.find((a) => a.takenOn)?.takenOn;
    if (spec.completeWithinMonths) {
      out.push({
        key: 'projectCompletionDue',
        due: projectCompletionDueOn(state, spec),
        metOn: submittedOrTaken,
        component: spec.id,
        owner: 'apprentice',
        source: spec.source,
        rule: `${spec.name}: work complete within ${spec.completeWithinMonths} months of the EPA period start`,
      });
    }
    const bookedOn = attempt?.booking?.at.slice(0, 10);
    if (attempt && bookedOn && !attempt.takenOn) {
      if (spec.noticeWeeks) {
        out.push({
          key: 'observationNoticeBy',
          due: noticeByOn(bookedOn, spec),
          metOn: attempt.booking!.bookedOn,
          component: spec.id,
          owner: 'epaoAdmin',
          source: spec.source,
          rule: `${spec.noticeWeeks} weeks' notice of the ${spec.assessment}`,
        });
      }
    }
    if (attempt && bookedOn && spec.submission?.deadlineKey && attempt.number === 1) {
      out.push({
        key: spec.submission.deadlineKey,
        due: submissionDueOn(bookedOn, spec),
        metOn: submittedOrTaken,
        component: spec.id,
        owner: 'apprentice',
        source: spec.submission.source,
        rule: `${spec.submission.event.replace('Submitted', '').toLowerCase()} ${spec.submission.weeksBeforeAssessment} weeks before the ${spec.assessment}`,
      });
    }
    // The result a component waits for: the oldest taken attempt not yet published (a resit booked
    // before the fail was published keeps the fail's deadline), else the latest taken.
    const result = resultAttempt(component);
    if (policy.results.from === 'eachAssessment' && result?.takenOn) {
      out.push({
        key: `resultDue.${spec.id}`,
        due: resultDueOn(result.takenOn, policy),
        metOn: result.publishedOn,
        component: spec.id,
        owner: 'epaoAdmin',
        source: policy.results.source,
        rule: `result published within ${policy.results.workingDays} working days of the assessment`,
      });
    }
    if (spec.reworkWithinMonths) {
      const failed = [...component.attempts].reverse().find((a) => a.grade === 'Fail' && a.publishedOn);
      if (failed) {
        out.push({
          key: 'reworkDue',
          due: reworkDueOn(failed.publishedOn!, spec),
          metOn: component.reworks[failed.number - 1],
          component: spec.id,
          owner: 'apprentice',
          source: plan.resits.source,
          rule: `failed ${spec.id} reworked within ${spec.reworkWithinMonths} month(s) of the result`,
        });
      }
    }
  }
  const latest = plan.components.map((c) => latestAttempt(state.components[c.id]!));
  const results = plan.components.map((c) => resultAttempt(state.components[c.id]!));
  if (policy.results.from === 'finalComponent' && results.every((a) => a?.takenOn)) {
    out.push({
      key: 'resultsDue',
      due: resultDueOn(max(results.map((a) => a!.takenOn))!, policy),
      metOn: max(results.map((a) => a!.publishedOn)),
      owner: 'epaoAdmin',
      source: policy.results.source,
      rule: `results within ${policy.results.workingDays} working days of the final component`,
    });
  }
  const resitBy = resitDeadlineOn(state, plan, policy);
  if (resitBy) {
    const allPassed = latest.every((a) => isPassed(a) && a!.publishedOn);
    out.push({
      key: 'resitDeadline',
      due: resitBy,
      metOn: allPassed ? max(latest.map((a) => a!.publishedOn)) : undefined,
      owner: 'apprentice',
      source: plan.resits.source,
      rule: `resits and retakes complete within ${policy.resitWindowMonths ?? plan.resits.windowMonths} months`,
    });
  }
  if (allComponentsPassedAndPublished(state, plan)) {
    const finalOn = max(latest.map((a) => resultFinalOn(a!)))!; // an upheld appeal makes its decision the final result
    out.push({
      key: 'certificateClaimDue',
      due: certificateClaimDueOn(finalOn, policy),
      metOn: state.certificate.claimedOn,
      owner: 'epaoAdmin',
      source: policy.certificate.source,
      rule: `certificate claimed within ${policy.certificate.claimWorkingDays} working days after the final result${policy.certificate.source === 'EPAO setting' ? ' (an EPAO setting, not from the seeds)' : ''}`,
    });
  }
  if (state.certificate.claimedOn) {
    out.push({
      key: 'certificateReceivedDue',
      due: certificateReceivedDueOn(state.certificate.claimedOn, policy),
      metOn: state.certificate.receivedOn,
      owner: 'epaoAdmin',
      source: policy.certificate.receiptSource,
      rule: `certificate received within ${policy.certificate.receiptExpectedWorkingDays} working days of the claim (an EPAO setting, not from the seeds)`,
    });
  }
  return out;
}

/** The deadlines at `now` (epoch ms), earliest first. After a withdrawal only the met ones remain. */
export function deriveDeadlines(state: EpaState, plan: Plan, policy: Policy, now: number): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const c of candidates(state, plan, policy)) {
    if (c.due === undefined) continue;
    if (state.withdrawn && c.metOn === undefined) continue;
    const expires = endOfLondonDay(c.due);
    const status: DeadlineStatus = c.metOn !== undefined ? 'met' : now >= expires ? 'missed' : 'open';
    const d: Deadline = {
      key: c.key,
      due: c.due,
      dueAt: new Date(expires).toISOString(),
      status,
      owner: c.owner,
      source: c.source,
      rule: c.rule,
    };
    if (c.component) d.component = c.component;
    if (c.metOn !== undefined) {
      d.metOn = c.metOn;
      if (c.metOn > c.due) d.late = true;
    }
    deadlines.push(d);
  }
  return deadlines.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.key.localeCompare(b.key)));
}

/** The most urgent missed deadline: the one that expired first (its owner must act; the board pages by its expiry). */
export function mostUrgentMissed(deadlines: readonly Deadline[]): Deadline | undefined {
  return deadlines.filter((d) => d.status === 'missed').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

/** How overdue an EPA is on `today`: its earliest missed deadline and the calendar days since it was due. */
export function overdueBy(
  missed: readonly { key: string; due: LondonDate }[],
  today: LondonDate,
): { keys: string; due: LondonDate | ''; days: number } {
  const earliest = [...missed].sort((a, b) => a.due.localeCompare(b.due))[0];
  return {
    keys: missed.map((m) => m.key).join(', '),
    due: earliest?.due ?? '',
    days: earliest ? daysBetween(earliest.due, today) : 0,
  };
}
