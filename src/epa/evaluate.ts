/**
 * The one entry point to the rules, for `epa plan`, the workflow and the API alike:
 * a case (standard, EPAO, events) → the derived view (stage, deadlines, grades, findings, what to send).
 */
import { endOfLondonDay, isLondonDate } from '../calendar';
import { deriveDeadlines, isEpaoOwed, type Deadline } from './deadlines';
import { EpaInputError, EpaRuleViolationError, EpaTransitionError, type HistoryProblem } from './errors';
import { SYSTEM_EVENT_TYPES, parseEvent } from './event-check';
import type { EpaEvent, Grade } from './events';
import { componentGrades, overallGrade } from './grading';
import { scheduledNotifications, type Notification } from './notifications';
import { applyEvent, type Applied, type RuleContext } from './reducer';
import { epaPeriodEndsOn } from './rules';
import { deriveStage } from './stage';
import { gatewayEvidenceStatus, type GatewayEvidenceCheck } from './gateway-evidence';
import {
  gradedAttempt,
  initialState,
  type CertificateState,
  type ComponentState,
  type EpaState,
  type Finding,
  type PlanningMeeting,
  type Stage,
} from './state';

export interface EpaView {
  standard: string;
  epao: string;
  stage: Stage;
  epaStart: string | null;
  epaPeriodEnds: string | null;
  deadlines: Deadline[];
  nextDeadline: Deadline | null;
  overdue: boolean;
  grades: Record<string, Grade>;
  /** The overall grade once final: every component graded and, where the plan says so, moderated (001 §8). */
  overall: Grade | null;
  /** The overall grade the assessors' decisions make, before moderation confirms it (null when not all graded). */
  provisionalOverall: Grade | null;
  /** The gateway evidence checklist: each item the plan and the EPAO require, and whether it is recorded. */
  gatewayEvidence: GatewayEvidenceCheck[];
  /** The items still missing before the gateway can be passed without an override. */
  gatewayEvidenceMissing: string[];
  warnings: Finding[];
  /** The events' violations, then one for each deadline the EPAO owes that was met late (deadlines.ts metLateFinding). */
  violations: Finding[];
  /** Deadlines met late, and of them those the EPAO owes (SLA breaches): counted for reports. */
  metLate: { deadlines: number; epaoOwed: number };
  /** Older findings no longer in the two lists above (each is in the EPA's history). */
  findingsDropped: number;
  components: Record<string, ComponentState>;
  /** The certificate: claimed, received, and (claimed through the assessment service) its reference and print statuses. */
  certificate: CertificateState & { claimThrough: 'admin' | 'assessmentService' };
  notifications: Notification[];
  /** The planning meeting, once booked (EPAOs whose policy has one): when, and when it was held. */
  planningMeeting?: PlanningMeeting;
  asOf: string;
}

export function newEpa(ctx: RuleContext): EpaState {
  return initialState(
    ctx.plan.standard,
    ctx.policy.id,
    ctx.plan.components.map((c) => c.id),
  );
}

/** Validates one raw event and applies it. `index` is its position, `path` prefixes error fields. */
export function recordEvent(
  state: EpaState,
  raw: unknown,
  ctx: RuleContext,
  path = 'event',
  mutate = false,
): Applied & { event: EpaEvent } {
  const event = parseEvent(raw, path);
  try {
    return { event, ...applyEvent(state, event, state.eventCount, ctx, mutate) };
  } catch (err) {
    if (err instanceof EpaInputError) throw new EpaInputError(err.detail, `${path}.${err.path}`);
    if (err instanceof EpaTransitionError) throw new EpaTransitionError(`${path} (${event.type}): ${err.message}`);
    throw err;
  }
}

export function view(state: EpaState, ctx: RuleContext, now: number): EpaView {
  const metLate: Finding[] = [];
  const deadlines = deriveDeadlines(state, ctx.plan, ctx.policy, now, metLate);
  const late = deadlines.filter((d) => d.status === 'metLate');
  const open = deadlines.filter((d) => d.status === 'open');
  const provisional = overallGrade(state, ctx.plan, ctx.policy);
  const evidence = gatewayEvidenceStatus(state, ctx.plan, ctx.policy);
  return {
    standard: state.standard,
    epao: state.epao,
    stage: deriveStage(state, ctx.plan),
    epaStart: state.epaStart ?? null,
    epaPeriodEnds: epaPeriodEndsOn(state, ctx.plan) ?? null,
    deadlines,
    nextDeadline: open[0] ?? null,
    overdue: deadlines.some((d) => d.status === 'missed'),
    grades: componentGrades(state),
    overall: moderationPending(state, ctx) ? null : provisional,
    provisionalOverall: provisional,
    gatewayEvidence: evidence,
    gatewayEvidenceMissing: evidence.filter((e) => !e.met).map((e) => e.item),
    warnings: state.warnings,
    violations: metLate.length > 0 ? [...state.violations, ...metLate] : state.violations,
    metLate: { deadlines: late.length, epaoOwed: late.filter(isEpaoOwed).length },
    findingsDropped: state.findingsDropped ?? 0,
    components: state.components,
    certificate: { ...state.certificate, claimThrough: ctx.policy.certificate.claimThrough ?? 'admin' },
    notifications: scheduledNotifications(state, ctx.plan, ctx.policy, deadlines),
    ...(state.planningMeeting && { planningMeeting: state.planningMeeting }),
    asOf: new Date(now).toISOString(),
  };
}

/** 001 §8: "Decisions must not be confirmed until after moderation": a component's deciding grade not yet moderated. */
function moderationPending(state: EpaState, ctx: RuleContext): boolean {
  if (!ctx.plan.moderation) return false;
  return ctx.plan.components.some((c) => {
    const graded = gradedAttempt(state.components[c.id]!);
    return graded !== undefined && graded.appeal?.outcome !== 'upheld' && graded.moderatedOn === undefined;
  });
}

/**
 * Admits one admin event into a live EPA: as recordEvent, and also refuses an event dated after
 * `today` (London) and an event that breaks a rule unless it carries `override.reason`.
 */
export function admitEvent(state: EpaState, raw: unknown, ctx: RuleContext, today: string): Applied & { event: EpaEvent } {
  const applied = recordEvent(state, raw, ctx);
  if (applied.event.on > today) {
    throw new EpaTransitionError(`${applied.event.type} is dated ${applied.event.on}, after today (${today})`);
  }
  const unaccepted = applied.violations.filter((v) => v.overridden === undefined);
  if (unaccepted.length > 0) {
    const what = unaccepted.map((v) => `${v.message} (${v.rule}, seed ${v.source})`).join('; ');
    throw new EpaRuleViolationError(
      `${applied.event.type} breaks a rule: ${what}. An admin may accept it with override.reason.`,
      unaccepted.map((v) => ({ rule: v.rule, message: v.message, citation: v.source, overridable: true })),
    );
  }
  return applied;
}

/**
 * An EPA's recorded history, entered at once when it starts (oldest first, after the gateway
 * submission on `gatewaySubmittedOn`): each event is admitted as a live one would be (valid, possible
 * in order, not after `today`, a broken rule only with an override reason). A refused event is
 * reported and left out, and the rest are still checked, so every problem is found in one pass.
 */
export function enterHistory(
  ctx: RuleContext,
  gatewaySubmittedOn: string,
  events: readonly unknown[],
  today: string,
): { state: EpaState; problems: HistoryProblem[] } {
  let state = recordEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: gatewaySubmittedOn }, ctx, 'gatewaySubmittedOn').state;
  const problems: HistoryProblem[] = [];
  events.forEach((raw, index) => {
    try {
      const type = (raw as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && SYSTEM_EVENT_TYPES.has(type))
        throw new EpaInputError("epa-flow records it from the assessment service's answers; it is never entered", 'event.type');
      state = admitEvent(state, raw, ctx, today).state;
    } catch (err) {
      if (err instanceof EpaInputError)
        problems.push({ index, field: err.path.replace(/^event\.?/, '') || 'event', message: err.detail });
      else if (err instanceof EpaRuleViolationError) problems.push({ index, field: 'override.reason', message: err.message });
      else if (err instanceof EpaTransitionError) problems.push({ index, field: 'type', message: err.message });
      else throw err;
    }
  });
  return { state, problems };
}

/** The state an EPA's workflow starts from: the gateway submission and the history entered with it. */
export function startingState(ctx: RuleContext, gatewaySubmittedOn: string, events: readonly unknown[] = []): EpaState {
  const state = newEpa(ctx); // a private copy: fold in place
  recordEvent(state, { type: 'GatewaySubmitted', on: gatewaySubmittedOn }, ctx, 'gatewaySubmittedOn', true);
  events.forEach((raw, i) => recordEvent(state, raw, ctx, `events[${i}]`, true));
  return state;
}

/** `asOf` → the instant to evaluate at: a London date means the last moment of that day. */
export function asOfInstant(asOf: string | undefined, fallbackNow: number): number {
  if (asOf === undefined) return fallbackNow;
  if (isLondonDate(asOf)) return endOfLondonDay(asOf) - 1;
  const t = Date.parse(asOf);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(asOf) || Number.isNaN(t)) {
    throw new EpaInputError('must be a London date YYYY-MM-DD or an ISO 8601 instant', 'asOf');
  }
  return t;
}

/**
 * An Update validator's check (issue 27): admits one admin event as admitEvent does, then makes
 * sure every date the rules derive from the new state can be computed (the deadlines, the EPA
 * period's end and what to send when), without the rest of the view. The handler then derives the
 * view once, from the state returned here.
 */
export function checkAdmission(
  state: EpaState,
  raw: unknown,
  ctx: RuleContext,
  today: string,
  now: number,
): Applied & { event: EpaEvent } {
  const applied = admitEvent(state, raw, ctx, today);
  epaPeriodEndsOn(applied.state, ctx.plan);
  scheduledNotifications(applied.state, ctx.plan, ctx.policy, deriveDeadlines(applied.state, ctx.plan, ctx.policy, now));
  return applied;
}
