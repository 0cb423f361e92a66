/**
 * The deadlines an EPA's state implies, each with its status at a given instant:
 * - `open`: not met, and the end of its London due day has not passed;
 * - `met`: done by the end of its due day;
 * - `metLate`: done, but after the due day, with how late (`lateBy`: working days where the rule
 *   counts working days, else calendar days);
 * - `missed`: not met, and the due day has ended. An EPA with a missed deadline is overdue.
 * An override the event that met it carried is shown beside the status (`override`) and never changes it.
 */
import { daysBetween, endOfLondonDay, workingDaysBetween, type LondonDate } from '../calendar';
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
import { isPassed, latestAttempt, resultAttempt, resultFinalOn, type EpaState, type Finding } from './state';

export type DeadlineStatus = 'open' | 'met' | 'metLate' | 'missed';
/** The unit a rule counts its days in: how a late deadline's lateness is given. */
export type LateUnit = 'workingDays' | 'calendarDays';
export type Role = 'apprentice' | 'employer' | 'provider' | 'assessor' | 'epaoAdmin';

export interface Deadline {
  key: string;
  due: LondonDate;
  /** The instant it expires: the end of `due` in London (ISO 8601, UTC). */
  dueAt: string;
  status: DeadlineStatus;
  metOn?: LondonDate;
  /** `metLate` only: how long after the due day it was met, in the unit the rule counts in. */
  lateBy?: { days: number; unit: LateUnit };
  /** The override an admin gave with the event that met it (or broke its rule): shown beside the status, never changing it. */
  override?: { reason: string; rule: string; on: LondonDate };
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
  /** The rule counts working days (default: calendar days, weeks or months). */
  workingDays?: boolean;
  /** The findings the reducer raises when an event breaks this deadline's rule (e.g. short notice). */
  findings?: string[];
  /** Other findings the event that meets it may raise: an override of one is shown beside the status too. */
  overrides?: string[];
}

/** Whether a deadline is done, on time or late. */
export function isMet(d: Pick<Deadline, 'status'>): boolean {
  return d.status === 'met' || d.status === 'metLate';
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
      // The pass that met it may have been accepted without its evidence, with an override.
      overrides: ['gatewayEvidenceMissing'],
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
      workingDays: true,
      findings: ['gatewayFormNotice'],
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
      findings: ['planningMeetingNotHeld'],
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
      findings: ['assessmentAfterEpaPeriod'],
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
        findings: ['projectLate'],
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
          findings: ['assessmentNotice'],
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
        findings: [`${spec.submission.event.replace('Submitted', '').toLowerCase()}Late`],
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
        workingDays: true,
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
      workingDays: true,
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
      findings: ['resitAfterWindow'],
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
      workingDays: true,
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
      workingDays: true,
    });
  }
  return out;
}

/**
 * The deadlines at `now` (epoch ms), earliest first. After a withdrawal only the met ones remain.
 * `metLate`, when given, collects a violation for each deadline the EPAO owes that was met late and
 * whose breach no event's finding already records (metLateFinding).
 */
export function deriveDeadlines(state: EpaState, plan: Plan, policy: Policy, now: number, metLate?: Finding[]): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const c of candidates(state, plan, policy)) {
    if (c.due === undefined) continue;
    if (state.withdrawn && c.metOn === undefined) continue;
    const expires = endOfLondonDay(c.due);
    const late = c.metOn !== undefined && c.metOn > c.due;
    const status: DeadlineStatus = c.metOn !== undefined ? (late ? 'metLate' : 'met') : now >= expires ? 'missed' : 'open';
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
      if (late) d.lateBy = lateness(c.due, c.metOn, c.workingDays === true);
      const related = relatedFindings(state.violations, c, c.findings);
      const accepted = [...related, ...relatedFindings(state.violations, c, c.overrides)].find((f) => f.overridden !== undefined);
      if (accepted) d.override = { reason: accepted.overridden!, rule: accepted.rule, on: accepted.on };
      if (late && metLate && isEpaoOwed(d) && related.length === 0) metLate.push(metLateFinding(d));
    }
    deadlines.push(d);
  }
  return deadlines.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.key.localeCompare(b.key)));
}

/**
 * How late `metOn` is after `due`: working days where the rule counts them (a day that is late only
 * by a weekend or bank holiday is 0 working days, so it is given in calendar days), else calendar days.
 */
export function lateness(due: LondonDate, metOn: LondonDate, workingDays: boolean): { days: number; unit: LateUnit } {
  const working = workingDays ? workingDaysBetween(due, metOn) : 0;
  return working > 0 ? { days: working, unit: 'workingDays' } : { days: daysBetween(due, metOn), unit: 'calendarDays' };
}

/** A deadline the EPAO owes (its admin or its assessors act): met late, it breaks the EPAO's own promise. */
export function isEpaoOwed(d: Pick<Deadline, 'owner'>): boolean {
  return d.owner === 'epaoAdmin' || d.owner === 'assessor';
}

/** `gatewayReviewDue` → `gatewayReviewMetLate`; `resultDue.observation` → `resultMetLate`. */
export function metLateRule(key: string): string {
  return `${key.split('.')[0]!.replace(/(Due|By|Ends)$/, '')}MetLate`;
}

/**
 * The violation a deadline the EPAO owes gives when met late: the rule and the seed clause it
 * cites (the deadline's source), how late, and the day it was met. It is derived from the state
 * (not raised by one event), so `event` is -1.
 */
export function metLateFinding(d: Deadline): Finding {
  const by = d.lateBy!;
  const unit = by.unit === 'workingDays' ? 'working day' : 'day';
  return {
    rule: metLateRule(d.key),
    message: `${d.key}${d.component ? ` (${d.component})` : ''} met on ${d.metOn}, ${by.days} ${unit}${by.days === 1 ? '' : 's'} after it was due on ${d.due}: ${d.rule}`,
    source: d.source,
    event: -1,
    on: d.metOn!,
    deadline: d.key,
  };
}

/** The findings (newest first) the reducer raised against a candidate's rule: for its component, on the day it was met. */
function relatedFindings(findings: readonly Finding[], c: Candidate, rules: string[] | undefined): Finding[] {
  if (!rules) return [];
  return findings.filter((f) => rules.includes(f.rule) && (c.component === undefined || f.on === c.metOn)).reverse();
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
