/**
 * The reducer: one validated event + the state so far → the next state, with the rules the event
 * breaks (violations) and the recommendations it ignores (warnings). Pure and deterministic.
 *
 * It throws EpaInputError for input that doesn't fit the plan (unknown component, criteria counts
 * out of range) and EpaTransitionError for events impossible in the current state. Nothing else.
 */
import { addWorkingDays, bankHolidayName, daysBetween, isWeekendDay, workingDaysBetween, type LondonDate } from '../calendar';
import type { ComponentSpec, Plan, Policy } from '../plans';
import { defaultGrades } from '../plans/grades';
import { EpaInputError, EpaTransitionError } from './errors';
import type { EpaEvent, EventOf } from './events';
import { capResitGrade, gradeFromCriteria } from './grading';
import { gatewayEvidenceNames, gatewayEvidenceStatus } from './gateway-evidence';
import {
  epaPeriodEndsOn,
  firstAssessmentOn,
  projectCompletionDueOn,
  resitDeadlineOn,
  reworkDueOn,
  submissionDueOn,
  allComponentsPassedAndPublished,
} from './rules';
import {
  ATTEMPT_NOTES_KEPT,
  FINDINGS_KEPT,
  TASKS_DONE_KEPT,
  gradedAttempt,
  isPassed,
  latestAttempt,
  type Attempt,
  type ComponentState,
  type EpaState,
  type Finding,
} from './state';
import { deriveStage } from './stage';

export interface RuleContext {
  plan: Plan;
  policy: Policy;
}

interface Step {
  state: EpaState;
  event: EpaEvent;
  index: number;
  ctx: RuleContext;
  violations: Finding[];
  warnings: Finding[];
}

function violation(step: Step, rule: string, message: string, source: string): void {
  step.violations.push({ rule, message, source, event: step.index, on: step.event.on, overridden: step.event.override?.reason });
}

function warning(step: Step, rule: string, message: string, source: string): void {
  step.warnings.push({ rule, message, source, event: step.index, on: step.event.on });
}

export function clone(state: EpaState): EpaState {
  return JSON.parse(JSON.stringify(state)) as EpaState;
}

function componentOf(step: Step, id: string): { spec: ComponentSpec; state: ComponentState } {
  const spec = step.ctx.plan.components.find((c) => c.id === id);
  const state = step.state.components[id];
  if (!spec || !state) {
    const known = step.ctx.plan.components.map((c) => c.id).join(', ');
    throw new EpaInputError(`unknown component "${id}" for ${step.ctx.plan.standard} (one of: ${known})`, 'component');
  }
  return { spec, state };
}

function requireEpaStarted(step: Step): LondonDate {
  if (!step.state.epaStart) throw new EpaTransitionError(`${step.event.type} before the gateway has been passed`);
  return step.state.epaStart;
}

function currentAttempt(component: ComponentState, spec: ComponentSpec): Attempt {
  const attempt = latestAttempt(component);
  if (!attempt) throw new EpaTransitionError(`${spec.id} has not been booked`);
  return attempt;
}

const handlers: { [T in EpaEvent['type']]: (step: Step, event: EventOf<T>) => void } = {
  /** A note changes nothing the rules keep: it lives on the timeline only. */
  NoteAdded() {},
  /** A message sent again changes nothing the rules keep: the workflow sends it (resend.ts), the timeline keeps it. */
  MessageSentAgain() {},
  /** Whose the EPA's tasks are (tasks.ts): changes no deadline or stage. */
  CaseOwnerAssigned(step, event) {
    if (step.state.caseOwner?.username === event.owner)
      throw new EpaTransitionError(`${step.state.caseOwner.name} is already the case owner`);
    step.state.caseOwner = { username: event.owner, name: event.name, on: event.on };
  },
  /** A task with no natural end marked done (tasks.ts checks that it exists): changes no deadline or stage. */
  TaskDone(step, event) {
    const done = (step.state.tasksDone ??= []);
    if (done.includes(event.task)) throw new EpaTransitionError('that task is already marked done');
    done.push(event.task);
    keepLast(done, TASKS_DONE_KEPT);
  },
  GatewaySubmitted(step) {
    const { state } = step;
    const stage = deriveStage(state, step.ctx.plan);
    const failed = Object.values(state.components).some((c) => latestAttempt(c)?.grade === 'Fail');
    if (!(stage === 'PreGateway' || stage === 'GatewayRejected' || failed)) {
      throw new EpaTransitionError(
        stage === 'GatewayReview'
          ? 'the gateway is already under review'
          : `the gateway has already been passed (stage ${stage})`,
      );
    }
    if (failed) restartWholeEpaIfLapsed(step, 'retake');
    state.gateway.submissions.push(step.event.on);
  },
  GatewayRejected(step, event) {
    if (deriveStage(step.state, step.ctx.plan) !== 'GatewayReview')
      throw new EpaTransitionError('no gateway submission is under review');
    step.state.gateway.rejections.push({ on: event.on, reason: event.reason });
  },
  GatewayPassed(step, event) {
    if (deriveStage(step.state, step.ctx.plan) !== 'GatewayReview')
      throw new EpaTransitionError('no gateway submission is under review');
    for (const check of gatewayEvidenceStatus(step.state, step.ctx.plan, step.ctx.policy)) {
      if (check.met) continue;
      violation(
        step,
        'gatewayEvidenceMissing',
        `the gateway is passed without ${check.name}${check.detail ? ` (${check.detail})` : ' recorded'}`,
        check.source,
      );
    }
    step.state.gateway.passes.push(event.on);
    step.state.epaStart ??= event.on;
    if (step.state.wholeEpaRetakePending) {
      step.state.wholeEpaRetakePending = undefined;
      step.state.resitPeriodStart = event.on; // 004: the retaken EPA's 6 months run from this gateway
    }
  },
  AssessmentBooked(step, event) {
    requireEpaStarted(step);
    const { spec, state: component } = componentOf(step, event.component);
    const { plan, policy } = step.ctx;
    const assessmentOn = event.at.slice(0, 10);
    if (assessmentOn < event.on)
      throw new EpaTransitionError(`${spec.id} booked for ${event.at}, before the booking itself (${event.on})`);
    if (latestAttempt(component)?.grade !== undefined) restartWholeEpaIfLapsed(step, 'resit');
    let attempt = latestAttempt(component);
    const moved = attempt?.booking && !attempt.takenOn && attempt.grade === undefined ? attempt.booking : undefined;
    if (attempt && isPassed(attempt)) {
      throw new EpaTransitionError(
        `${spec.id} was already passed (${attempt.grade}); there is no resit to improve a pass (${plan.grading.source})`,
      );
    }
    if (attempt?.takenOn && attempt.grade === undefined) {
      throw new EpaTransitionError(`${spec.id} was taken on ${attempt.takenOn}; record its grade before booking again`);
    }
    if (attempt?.grade === 'Fail' && spec.reworkWithinMonths && component.reworks.length < attempt.number) {
      throw new EpaTransitionError(`${spec.id} failed: it is reworked (ReworkSubmitted) before a new interview is booked`);
    }
    if (attempt?.grade === 'Fail' && !attempt.publishedOn) {
      // 001 §8, 002 Annex 2: further development comes before a resit, so the fail is published first.
      violation(
        step,
        'resitBeforeResult',
        `${spec.name} ${spec.reworkWithinMonths ? 'rework' : 'resit'} booked on ${event.on} before the failing result (graded ${attempt.gradedOn}) was published`,
        plan.resits.source,
      );
    }
    if (!attempt || attempt.grade === 'Fail') {
      const retake = attempt !== undefined && step.state.gateway.passes.length > 1;
      attempt = newAttempt(component, attempt === undefined ? 'first' : retake ? 'retake' : 'resit');
    } else if (attempt.booking) {
      attempt.inviteSequence += 1; // a reschedule: same invite UID, higher SEQUENCE
    } else if (attempt.invited) {
      attempt.inviteSequence += 1; // rebooked after a cancellation
    }
    attempt.booking = {
      at: event.at,
      bookedOn: event.on,
      location: event.location,
      assessor: event.assessor,
      ...(moved && { previous: { at: moved.at, location: moved.location, assessor: moved.assessor } }),
    };
    checkBookingTime(step, spec, event.at);
    if (attempt.number === 1) checkSubmissionOnTime(step, spec, assessmentOn, 'booking');
    attempt.cancelledBooking = undefined;
    attempt.invited = true;

    if (spec.noticeWeeks && daysBetween(event.on, assessmentOn) < 7 * spec.noticeWeeks) {
      violation(
        step,
        'assessmentNotice',
        `${spec.name} booked on ${event.on} for ${assessmentOn}: less than ${spec.noticeWeeks} weeks' notice`,
        spec.source,
      );
    }
    if (attempt.number === 1) {
      const ends = epaPeriodEndsOn(step.state, plan);
      if (ends && assessmentOn > ends) {
        violation(
          step,
          'assessmentAfterEpaPeriod',
          `${spec.name} booked for ${assessmentOn}, after the EPA period ends on ${ends}`,
          plan.epaPeriodSource,
        );
      }
    } else {
      const resitBy = resitDeadlineOn(step.state, plan, policy);
      if (resitBy && assessmentOn > resitBy) {
        violation(
          step,
          'resitAfterWindow',
          `${spec.name} resit booked for ${assessmentOn}, after the resit window closes on ${resitBy}`,
          plan.resits.source,
        );
      }
    }
    const formDays = policy.gatewayFormWorkingDaysBeforeFirstAssessment;
    const submittedOn = step.state.gateway.submissions[step.state.gateway.submissions.length - 1];
    if (
      formDays &&
      submittedOn &&
      firstAssessmentOn(step.state) === assessmentOn &&
      workingDaysBetween(submittedOn, assessmentOn) < formDays
    ) {
      violation(
        step,
        'gatewayFormNotice',
        `first assessment on ${assessmentOn} is less than ${formDays} working days after the gateway form (${submittedOn})`,
        policy.gatewaySource,
      );
    }
    checkOrder(step, spec, event.at, attempt);
  },
  AssessmentCancelled(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = currentAttempt(component, spec);
    if (!attempt.booking || attempt.takenOn) throw new EpaTransitionError(`${spec.id} has no booking to cancel`);
    attempt.cancelledBooking = attempt.booking;
    attempt.booking = undefined;
    attempt.inviteSequence += 1;
    attempt.cancellations.push({ on: event.on, reason: event.reason });
    keepLast(attempt.cancellations, ATTEMPT_NOTES_KEPT);
  },
  ReportSubmitted(step, event) {
    submission(step, 'ReportSubmitted', { on: event.on, words: event.words });
  },
  PortfolioSubmitted(step, event) {
    submission(step, 'PortfolioSubmitted', { on: event.on, pieces: event.pieces });
  },
  ShowcaseSubmitted(step, event) {
    submission(step, 'ShowcaseSubmitted', { on: event.on, pieces: event.pieces });
  },
  ReworkSubmitted(step, event) {
    const spec = step.ctx.plan.components.find((c) => c.reworkWithinMonths);
    if (!spec) throw new EpaTransitionError(`${step.ctx.plan.standard} has no component that is reworked`);
    const component = step.state.components[spec.id]!;
    const attempt = latestAttempt(component);
    if (attempt?.grade !== 'Fail' || !attempt.publishedOn) {
      throw new EpaTransitionError(`rework is for a failed ${spec.id} whose result has been published`);
    }
    if (component.reworks.length >= attempt.number) throw new EpaTransitionError(`the ${spec.id} rework was already submitted`);
    component.reworks.push(event.on);
    const due = reworkDueOn(attempt.publishedOn, spec);
    if (due && event.on > due) {
      violation(
        step,
        'reworkLate',
        `${spec.name} reworked on ${event.on}, after its ${spec.reworkWithinMonths} month(s) ended on ${due}`,
        step.ctx.plan.resits.source,
      );
    }
    if (event.words !== undefined) checkRange(step, spec, 'words', event.words);
    newAttempt(component, 'rework');
  },
  AssessmentTaken(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = currentAttempt(component, spec);
    if (attempt.takenOn) throw new EpaTransitionError(`${spec.id} was already taken on ${attempt.takenOn}`);
    if (!attempt.booking) throw new EpaTransitionError(`${spec.id} has not been booked`);
    const bookedOn = attempt.booking.at.slice(0, 10);
    if (event.on < bookedOn)
      throw new EpaTransitionError(`${spec.id} is booked for ${bookedOn}; it cannot be taken on ${event.on}`);
    if (event.on !== bookedOn)
      warning(step, 'takenOnOtherDate', `${spec.id} taken on ${event.on}, booked for ${bookedOn}`, spec.source);
    attempt.takenOn = event.on;
    if (attempt.number === 1) checkPlanningMeeting(step, spec);
    if (attempt.number === 1 && spec.submission?.deadlineKey && !component.submission) {
      const what = spec.submission.event.replace('Submitted', '').toLowerCase();
      violation(
        step,
        `${what}Late`,
        `${spec.name} taken on ${event.on} without the ${what} (due ${spec.submission.weeksBeforeAssessment} weeks before)`,
        spec.submission.source,
      );
      checkProjectComplete(step, spec, event.on);
    }
    if (attempt.number === 1) {
      const ends = epaPeriodEndsOn(step.state, step.ctx.plan);
      if (ends && event.on > ends) {
        violation(
          step,
          'assessmentAfterEpaPeriod',
          `${spec.name} taken on ${event.on}, after the EPA period ended on ${ends}`,
          step.ctx.plan.epaPeriodSource,
        );
      }
    }
  },
  GradeRecorded(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = latestAttempt(component);
    if (!attempt?.takenOn) throw new EpaTransitionError(`${spec.id} has not been taken: no grade before the assessment`);
    if (attempt.publishedOn) throw new EpaTransitionError(`${spec.id}'s result was already published on ${attempt.publishedOn}`);
    let raw = event.grade;
    if (event.passCriteriaMet !== undefined) {
      const criteria = spec.distinctionCriteria;
      if (!criteria)
        throw new EpaInputError(`${spec.id} of ${step.ctx.plan.standard} is graded directly: give grade`, 'passCriteriaMet');
      const met = event.distinctionCriteriaMet ?? 0;
      if (met > criteria.of)
        throw new EpaInputError(`${met} exceeds the ${criteria.of} distinction criteria of ${spec.id}`, 'distinctionCriteriaMet');
      raw = gradeFromCriteria(spec, event.passCriteriaMet, met);
      attempt.criteria = { passCriteriaMet: event.passCriteriaMet, distinctionCriteriaMet: met, of: criteria.of };
    }
    if (raw === undefined) throw new EpaInputError('give either grade, or passCriteriaMet with distinctionCriteriaMet', 'grade');
    const allowed = spec.grades ?? defaultGrades;
    if (!allowed.includes(raw))
      throw new EpaInputError(`${spec.name} is graded ${allowed.join(', ')} (${spec.source}), not ${raw}`, 'grade');
    if (attempt.grade !== undefined) {
      // Re-recording a grade is a correction: it needs a reason, kept with the old value.
      violation(
        step,
        'gradeCorrected',
        `${spec.id} (attempt ${attempt.number}) was graded ${attempt.grade} on ${attempt.gradedOn}; recording ${raw} instead is a correction`,
        step.ctx.plan.grading.source,
      );
    }
    const ec = event.exceptionalCircumstances === true;
    const { grade, capped } = capResitGrade(step.ctx.plan, attempt.number, raw, ec);
    Object.assign(attempt, { rawGrade: raw, grade, capped, exceptionalCircumstances: ec, gradedOn: event.on });
    attempt.moderatedOn = undefined; // a changed decision is moderated again (001 §8)
  },
  ResultPublished(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    // The latest graded attempt: a resit booked before the fail was published leaves the fail to publish.
    const attempt = gradedAttempt(component);
    if (!attempt) throw new EpaTransitionError(`${spec.id} has no grade to publish`);
    if (attempt.publishedOn) throw new EpaTransitionError(`${spec.id}'s result was already published on ${attempt.publishedOn}`);
    const moderation = step.ctx.plan.moderation;
    if (moderation && !attempt.moderatedOn) {
      violation(
        step,
        'resultNotModerated',
        `${spec.name}: the result is published before the EPAO moderated the decision ("must not be confirmed until after moderation")`,
        moderation.source,
      );
    }
    attempt.publishedOn = event.on;
    if (attempt.grade === 'Fail') step.state.firstFailPublishedOn ??= event.on;
  },
  CertificateClaimed(step, event) {
    if (!allComponentsPassedAndPublished(step.state, step.ctx.plan)) {
      throw new EpaTransitionError('the certificate is claimed once every component has a published pass');
    }
    if (step.state.certificate.claimedOn)
      throw new EpaTransitionError(`the certificate was already claimed on ${step.state.certificate.claimedOn}`);
    step.state.certificate.claimedOn = event.on;
    if (event.reference) step.state.certificate.reference = event.reference;
    step.state.certificate.refusal = undefined;
  },
  CertificateDetailsRecorded(step, event) {
    if (step.state.certificate.receivedOn) throw new EpaTransitionError('the certificate has been received');
    step.state.certificate.details = {
      ...(event.familyName !== undefined && { familyName: event.familyName }),
      postalContact: { ...event.postalContact },
    };
  },
  CertificateClaimRetried(step) {
    if (!step.state.certificate.refusal)
      throw new EpaTransitionError('no claim has been refused by the assessment service, so there is nothing to retry');
    step.state.certificate.refusal = undefined;
    step.state.certificate.retries = (step.state.certificate.retries ?? 0) + 1;
  },
  CertificateClaimRefused(step, event) {
    step.state.certificate.refusal = { on: event.on, messages: [...event.messages] };
  },
  CertificateStatusChanged(step, event) {
    if (!step.state.certificate.claimedOn) throw new EpaTransitionError('the certificate has not been claimed');
    step.state.certificate.reference = event.reference;
    (step.state.certificate.statuses ??= []).push({ status: event.status, on: event.on });
  },
  EpaOutcomeRecorded(step, event) {
    step.state.certificate.reference = event.reference;
    step.state.certificate.refusal = undefined;
    (step.state.certificate.failsRecorded ??= []).push({ on: event.failedOn, reference: event.reference });
  },
  CertificateReceived(step, event) {
    if (!step.state.certificate.claimedOn) throw new EpaTransitionError('the certificate has not been claimed');
    step.state.certificate.receivedOn = event.on;
  },
  ExtenuatingCircumstances(step, event) {
    requireEpaStarted(step);
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = currentAttempt(component, spec);
    if (attempt.grade !== undefined) throw new EpaTransitionError(`${spec.id} has been graded; appeals go to the EPAO`);
    if (attempt.takenOn) {
      // 001 §8: extenuating circumstances rearrange a date; an assessment that took place stands.
      throw new EpaTransitionError(
        `${spec.id} was taken on ${attempt.takenOn}: record its grade (extenuating circumstances rearrange an assessment not yet taken)`,
      );
    }
    if (attempt.booking) {
      attempt.inviteSequence += 1; // the booked date is cancelled, to be rearranged
      attempt.cancelledBooking = attempt.booking;
    }
    attempt.booking = undefined;
    attempt.takenOn = undefined;
    attempt.extenuating.push({ on: event.on, reason: event.reason });
    keepLast(attempt.extenuating, ATTEMPT_NOTES_KEPT);
    // No seed extends the EPA period (001 §5, §8): only an EPAO that sets it in its policy does.
    const ec = step.ctx.policy.extenuatingCircumstances;
    if (step.state.extensionsUsed < ec.maxExtensions && ec.extendEpaPeriodWeeks > 0) {
      step.state.extensionsUsed += 1;
      step.state.extensionWeeks += ec.extendEpaPeriodWeeks;
    } else if (ec.maxExtensions > 0) {
      warning(
        step,
        'noFurtherExtension',
        `the EPA period is not extended again (the EPAO's policy allows ${ec.maxExtensions})`,
        ec.source,
      );
    }
  },
  Withdrawn(step, event) {
    step.state.withdrawn = { on: event.on, reason: event.reason };
  },
  EventVoided() {
    throw new EpaTransitionError(
      'an EventVoided corrects the EPA’s record of events (corrections.ts); it is not itself applied to the rules',
    );
  },
  ContactDetailsChanged() {
    // Who to write to is the workflow's record (contacts.ts), not a rule: nothing in the rules changes.
  },
  GatewayEvidenceRecorded(step, event) {
    const { plan, policy } = step.ctx;
    const needed = new Set([...plan.gatewayEvidence, ...policy.gatewayEvidence].map((e) => e.item));
    const given = {
      englishMaths: event.englishMaths !== undefined,
      employerSignOff: event.employerSignOff !== undefined,
      declaration: event.declarationSigned !== undefined,
      projectSynopsis: event.projectSynopsisAgreed !== undefined,
      reasonableAdjustments: event.reasonableAdjustments !== undefined,
    };
    const field = { declaration: 'declarationSigned', projectSynopsis: 'projectSynopsisAgreed' } as Record<string, string>;
    for (const [item, present] of Object.entries(given)) {
      if (present && !needed.has(item as keyof typeof given)) {
        throw new EpaInputError(
          `${plan.standard} with ${policy.name} does not ask for ${gatewayEvidenceNames[item as keyof typeof given]} at gateway (it asks for: ${[...needed].map((i) => gatewayEvidenceNames[i]).join('; ')})`,
          field[item] ?? item,
        );
      }
    }
    const evidence = (step.state.gateway.evidence ??= {});
    if (event.englishMaths) evidence.englishMaths = { ...event.englishMaths, on: event.on };
    if (event.employerSignOff) evidence.employerSignOff = event.on;
    if (event.declarationSigned) evidence.declaration = event.on;
    if (event.projectSynopsisAgreed) evidence.projectSynopsis = event.on;
    if (event.reasonableAdjustments) evidence.reasonableAdjustments = { declared: event.reasonableAdjustments, on: event.on };
  },
  PlanningMeetingBooked(step, event) {
    const meeting = step.ctx.policy.planningMeeting;
    if (!meeting) throw new EpaTransitionError(`${step.ctx.policy.name} holds no planning meeting`);
    if (!step.state.epaStart)
      throw new EpaTransitionError(`the planning meeting is booked once the gateway has been passed (${meeting.source})`);
    if (step.state.planningMeeting?.heldOn)
      throw new EpaTransitionError(`the planning meeting was already held on ${step.state.planningMeeting.heldOn}`);
    if (event.at.slice(0, 10) < event.on)
      throw new EpaTransitionError(`planning meeting booked for ${event.at}, before the booking itself (${event.on})`);
    step.state.planningMeeting = { at: event.at, bookedOn: event.on };
  },
  PlanningMeetingHeld(step, event) {
    const meeting = step.state.planningMeeting;
    if (!meeting) throw new EpaTransitionError('no planning meeting has been booked');
    if (meeting.heldOn) throw new EpaTransitionError(`the planning meeting was already held on ${meeting.heldOn}`);
    if (event.on < meeting.at.slice(0, 10))
      throw new EpaTransitionError(`the planning meeting is booked for ${meeting.at}; it cannot be held on ${event.on}`);
    meeting.heldOn = event.on;
  },
  ResultModerated(step, event) {
    if (event.component === undefined) {
      // The overall decision: every component's graded decision not yet moderated.
      const pending = step.ctx.plan.components
        .map((c) => gradedAttempt(step.state.components[c.id]!))
        .filter((a): a is Attempt => a !== undefined && a.moderatedOn === undefined);
      if (pending.length === 0) throw new EpaTransitionError('no graded decision is waiting for moderation');
      for (const a of pending) a.moderatedOn = event.on;
      return;
    }
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = gradedAttempt(component);
    if (!attempt) throw new EpaTransitionError(`${spec.id} has no decision to moderate: record its grade first`);
    if (attempt.moderatedOn)
      throw new EpaTransitionError(`${spec.id}'s decision was already moderated on ${attempt.moderatedOn}`);
    attempt.moderatedOn = event.on;
  },
  AppealLodged(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = gradedAttempt(component);
    if (!attempt?.publishedOn) throw new EpaTransitionError(`${spec.id} has no published result to appeal`);
    if (attempt !== latestAttempt(component))
      throw new EpaTransitionError(`a new ${spec.id} attempt is already booked: cancel it before appealing the earlier result`);
    if (attempt.appeal)
      throw new EpaTransitionError(`an appeal against the ${spec.id} result was already lodged on ${attempt.appeal.lodgedOn}`);
    const appeals = step.ctx.policy.appeals;
    const closes = addWorkingDays(attempt.publishedOn, appeals.lodgeWithinWorkingDays);
    if (event.on > closes) {
      violation(
        step,
        'appealAfterWindow',
        `appeal against the ${spec.id} result lodged on ${event.on}, after the window closed on ${closes} (${appeals.lodgeWithinWorkingDays} working days after the result)`,
        appeals.source,
      );
    }
    attempt.appeal = { lodgedOn: event.on, reason: event.reason };
  },
  AppealDecided(step, event) {
    const { spec, state: component } = componentOf(step, event.component);
    const attempt = gradedAttempt(component);
    const appeal = attempt?.appeal;
    if (!attempt || !appeal || appeal.outcome)
      throw new EpaTransitionError(`no appeal against the ${spec.id} result is awaiting a decision`);
    if (event.on < appeal.lodgedOn) throw new EpaTransitionError(`the appeal was lodged on ${appeal.lodgedOn}`);
    appeal.decidedOn = event.on;
    appeal.outcome = event.outcome;
    if (event.outcome !== 'upheld' || event.grade === undefined) return;
    const { grade, capped } = capResitGrade(
      step.ctx.plan,
      attempt.number,
      event.grade,
      attempt.exceptionalCircumstances === true,
    );
    if (grade === attempt.grade) return;
    appeal.previousGrade = attempt.grade;
    Object.assign(attempt, { rawGrade: event.grade, grade, capped });
    const { certificate } = step.state;
    if (certificate.claimedOn) {
      // The claim was for the old grade: it is made again, due from this decision.
      (certificate.previousClaims ??= []).push(certificate.claimedOn);
      certificate.claimedOn = undefined;
    }
    step.state.firstFailPublishedOn = Object.values(step.state.components)
      .flatMap((c) => c.attempts.filter((a) => a.grade === 'Fail' && a.publishedOn).map((a) => a.publishedOn!))
      .sort()[0];
  },
};

/**
 * 004 Re-sit / Re-take: "All assessment methods must be taken within a 6-month period, otherwise the
 * entire EPA will need to be resat / retaken." The first resit booking (or gateway submission for a
 * retake) after the window closed with a component not passed opens a new attempt of every component;
 * the new 6 months run from that booking (a resit) or from the next gateway pass (a retake).
 */
function restartWholeEpaIfLapsed(step: Step, kind: 'resit' | 'retake'): void {
  const { plan, policy } = step.ctx;
  if (plan.resits.onLapse !== 'wholeEpa' || allComponentsPassedAndPublished(step.state, plan)) return;
  const closed = resitDeadlineOn(step.state, plan, policy);
  if (!closed || step.event.on <= closed || step.state.wholeEpaRetakePending) return;
  for (const spec of plan.components) {
    const component = step.state.components[spec.id]!;
    const latest = latestAttempt(component);
    if (latest && latest.grade === undefined && !latest.takenOn) latest.wholeEpaRound = true;
    else if (latest?.grade !== undefined) newAttempt(component, kind).wholeEpaRound = true;
  }
  if (kind === 'resit') step.state.resitPeriodStart = step.event.on;
  else step.state.wholeEpaRetakePending = true;
  const months = policy.resitWindowMonths ?? plan.resits.windowMonths;
  warning(
    step,
    'wholeEpaRetaken',
    `the ${months}-month window closed on ${closed} with a component not passed: the whole EPA is ${kind === 'resit' ? 'resat' : 'retaken'}, every component again, within ${months} months of ${kind === 'resit' ? step.event.on : 'the new gateway pass'}`,
    plan.resits.source,
  );
}

/** 002 Assessment Booking: the planning meeting (booked after gateway) is held before the first assessment. */
function checkPlanningMeeting(step: Step, spec: ComponentSpec): void {
  const meeting = step.ctx.policy.planningMeeting;
  if (!meeting || step.state.planningMeeting?.heldOn) return;
  violation(
    step,
    'planningMeetingNotHeld',
    `${spec.name} taken on ${step.event.on} before the planning meeting was held${step.state.planningMeeting ? ` (it is booked for ${step.state.planningMeeting.at})` : ' (none is booked)'}`,
    meeting.source,
  );
}

/** 001 §5: the report (portfolio) is handed in N weeks before its interview (discussion); later is a violation. */
function checkSubmissionOnTime(step: Step, spec: ComponentSpec, assessmentOn: LondonDate, when: 'booking' | 'submission'): void {
  const sub = spec.submission;
  if (!sub?.deadlineKey || !sub.weeksBeforeAssessment) return;
  if (step.ctx.policy.submittedAtGateway?.events.includes(sub.event)) return;
  const submitted = step.state.components[spec.id]!.submission;
  const due = submissionDueOn(assessmentOn, spec);
  if (!submitted || !due || submitted.on <= due) return;
  const what = sub.event.replace('Submitted', '').toLowerCase();
  violation(
    step,
    `${what}Late`,
    when === 'booking'
      ? `${spec.assessment} booked for ${assessmentOn}, less than ${sub.weeksBeforeAssessment} weeks after the ${what} was handed in (${submitted.on})`
      : `${what} handed in on ${submitted.on}, after it was due on ${due} (${sub.weeksBeforeAssessment} weeks before the ${spec.assessment} on ${assessmentOn})`,
    sub.source,
  );
}

/** 001 §5: the project is complete within 2 months of the EPA period start; later is a violation. */
function checkProjectComplete(step: Step, spec: ComponentSpec, on: LondonDate): void {
  const due = projectCompletionDueOn(step.state, spec);
  if (!due || on <= due) return;
  violation(
    step,
    'projectLate',
    `${spec.name} completed on ${on}, after the ${spec.completeWithinMonths} months that ended on ${due}`,
    spec.source,
  );
}

/** Trims a list to its last `n` entries in place; returns how many were dropped. */
function keepLast(list: unknown[], n: number): number {
  const over = list.length - n;
  if (over > 0) list.splice(0, over);
  return Math.max(0, over);
}

function newAttempt(component: ComponentState, kind: Attempt['kind']): Attempt {
  const attempt: Attempt = {
    number: component.attempts.length + 1,
    kind,
    inviteSequence: 0,
    invited: false,
    cancellations: [],
    extenuating: [],
  };
  component.attempts.push(attempt);
  return attempt;
}

function checkRange(step: Step, spec: ComponentSpec, field: 'words' | 'pieces', value: number): void {
  const range = spec.submission?.[field];
  if (!range || (value >= range.min && value <= range.max)) return;
  const what = field === 'words' ? 'report' : spec.submission?.event === 'ShowcaseSubmitted' ? 'showcase' : 'portfolio';
  const rule = field === 'words' ? 'reportWordCount' : what === 'showcase' ? 'showcaseSize' : 'portfolioSize';
  violation(step, rule, `${what} of ${value} ${field}: must be ${range.min}–${range.max}`, spec.submission!.source);
}

function submission(
  step: Step,
  type: 'ReportSubmitted' | 'PortfolioSubmitted' | 'ShowcaseSubmitted',
  value: { on: LondonDate; words?: number; pieces?: number },
): void {
  const spec = step.ctx.plan.components.find((c) => c.submission?.event === type);
  if (!spec)
    throw new EpaTransitionError(`${step.ctx.plan.standard} has no ${type.replace('Submitted', '').toLowerCase()} submission`);
  const atGateway = step.ctx.policy.submittedAtGateway;
  if (atGateway?.events.includes(type)) {
    if (step.state.gateway.submissions.length === 0)
      throw new EpaTransitionError(
        `the ${type.replace('Submitted', '').toLowerCase()} is submitted with the gateway evidence (${atGateway.source})`,
      );
  } else {
    requireEpaStarted(step);
  }
  const component = step.state.components[spec.id]!;
  if (isPassed(latestAttempt(component))) throw new EpaTransitionError(`${spec.id} was already passed`);
  component.submission = value;
  if (!atGateway?.events.includes(type)) {
    const booked = component.attempts[0]?.booking?.at.slice(0, 10);
    if (component.attempts.length <= 1 && booked) checkSubmissionOnTime(step, spec, booked, 'submission');
    checkProjectComplete(step, spec, value.on);
  }
  if (value.words !== undefined) checkRange(step, spec, 'words', value.words);
  if (value.pieces !== undefined) checkRange(step, spec, 'pieces', value.pieces);
}

/** A booking on a weekend, a bank holiday or outside the EPAO's booking hours: a warning (an EPAO setting). */
function checkBookingTime(step: Step, spec: ComponentSpec, at: string): void {
  const hours = step.ctx.policy.bookingHours;
  if (!hours) return;
  const day = at.slice(0, 10);
  const time = at.slice(11, 16);
  const holiday = bankHolidayName(day);
  if (isWeekendDay(day) || holiday) {
    warning(
      step,
      'bookingOnNonWorkingDay',
      `${spec.name} booked for ${day}, ${holiday ? `a bank holiday (${holiday})` : 'a weekend'}`,
      hours.source,
    );
  } else if (time < hours.from || time >= hours.to) {
    warning(step, 'bookingOutsideHours', `${spec.name} booked for ${time}, outside ${hours.from}–${hours.to}`, hours.source);
  }
}

/** Order rules between components: the plan's, and those the EPAO adds (its reading of a conflict). */
function checkOrder(step: Step, spec: ComponentSpec, at: string, attempt: Attempt): void {
  const { plan, policy } = step.ctx;
  const bookedAt = (id: string): string | undefined => {
    const a = step.state.components[id] ? latestAttempt(step.state.components[id]) : undefined;
    return a?.takenOn ?? a?.booking?.at;
  };
  const rules = [...plan.order, ...policy.order];
  for (const rule of rules) {
    const other = spec.id === rule.first ? rule.then : spec.id === rule.then ? rule.first : undefined;
    if (!other) continue;
    const otherAt = bookedAt(other);
    if (!otherAt) continue;
    // 004 (and 001 §8): a resit is of the failed component only; the order of the passed ones is history.
    const otherLatest = latestAttempt(step.state.components[other]!);
    if (attempt.number > 1 && !attempt.wholeEpaRound && isPassed(otherLatest)) continue;
    const [firstAt, thenAt] = spec.id === rule.first ? [at, otherAt] : [otherAt, at];
    if (firstAt <= thenAt) continue;
    const message = `${rule.first} is ${rule.strength === 'required' ? 'required' : 'recommended'} before ${rule.then}: ${rule.first} ${firstAt.slice(0, 16)}, ${rule.then} ${thenAt.slice(0, 16)}`;
    if (rule.strength === 'required') violation(step, 'componentOrder', message, rule.source);
    else warning(step, 'componentOrder', message, rule.source);
  }
}

export interface Applied {
  state: EpaState;
  violations: Finding[];
  warnings: Finding[];
}

/**
 * Applies one validated event. `index` is its position in the EPA's event list. The previous state
 * is left untouched unless `mutate` is set (folding a whole list from a private copy).
 */
export function applyEvent(previous: EpaState, event: EpaEvent, index: number, ctx: RuleContext, mutate = false): Applied {
  if (previous.withdrawn) throw new EpaTransitionError(`the EPA was withdrawn on ${previous.withdrawn.on}`);
  if (previous.certificate.receivedOn)
    throw new EpaTransitionError(`the EPA is complete (certificate received on ${previous.certificate.receivedOn})`);
  if (previous.lastEventOn && event.on < previous.lastEventOn) {
    throw new EpaTransitionError(
      `out of order: ${event.type} on ${event.on} is dated before the previous event (${previous.lastEventOn})`,
    );
  }
  const step: Step = { state: mutate ? previous : clone(previous), event, index, ctx, violations: [], warnings: [] };
  const handler = handlers[event.type] as (step: Step, event: EpaEvent) => void;
  handler(step, event);
  step.state.eventCount = index + 1;
  step.state.lastEventOn = event.on;
  step.state.violations.push(...step.violations);
  step.state.warnings.push(...step.warnings);
  const dropped = keepLast(step.state.violations, FINDINGS_KEPT) + keepLast(step.state.warnings, FINDINGS_KEPT);
  if (dropped > 0) step.state.findingsDropped = (step.state.findingsDropped ?? 0) + dropped;
  return { state: step.state, violations: step.violations, warnings: step.warnings };
}
