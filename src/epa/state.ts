/** The state one EPA's events fold into. Plain JSON: it travels through Temporal payloads unchanged. */
import type { LondonDate, LondonDateTime } from '../calendar';
import type { Grade } from './events';
import type { PostalContact } from '../assessment/contract';

export type Stage =
  | 'PreGateway'
  | 'GatewayReview'
  | 'GatewayRejected'
  | 'InAssessment'
  | 'AwaitingResults'
  | 'Resit'
  | 'Rework'
  | 'AwaitingCertificate'
  | 'CertificateClaimed'
  | 'Completed'
  | 'Withdrawn';

export const stages: readonly Stage[] = [
  'PreGateway',
  'GatewayReview',
  'GatewayRejected',
  'InAssessment',
  'AwaitingResults',
  'Resit',
  'Rework',
  'AwaitingCertificate',
  'CertificateClaimed',
  'Completed',
  'Withdrawn',
];

/** Who the printed certificate is posted to: the assessment service's `postalContact`. */
export type { PostalContact };

export interface CertificateState {
  claimedOn?: LondonDate;
  receivedOn?: LondonDate;
  previousClaims?: LondonDate[];
  /** The assessment service's reference for this EPA's record and certificate (one reference for both). */
  reference?: string;
  /** What the claim needs beyond the EPA: the family name as the ILR holds it, and the postal contact. */
  details?: { familyName?: string; postalContact: PostalContact };
  /** The service refused the last claim, with its messages: an admin task until put right and retried. */
  refusal?: { on: LondonDate; messages: string[] };
  /** Refused claims retried so far: each retry is a new claim. */
  retries?: number;
  /** The certificate's statuses at the service, oldest first (the print process). */
  statuses?: { status: string; on: LondonDate }[];
  /** Failed EPAs recorded with the service (EPA records, never certificates), by the date the fail was published. */
  failsRecorded?: { on: LondonDate; reference: string }[];
}

export interface Booking {
  at: LondonDateTime;
  bookedOn: LondonDate;
  location?: string;
  assessor?: { name: string; email: string };
  /** The booking this one moved (a reschedule): where it was, and with whom. */
  previous?: { at: LondonDateTime; location?: string; assessor?: { name: string; email: string } };
}

export type AttemptKind = 'first' | 'resit' | 'rework' | 'retake';

export interface Attempt {
  number: number;
  kind: AttemptKind;
  booking?: Booking;
  /** The booking a cancellation (or extenuating circumstances) removed: what the CANCEL invite refers to. */
  cancelledBooking?: Booking;
  /** Calendar-invite version: 0 for the first REQUEST, +1 for every reschedule or cancellation. */
  inviteSequence: number;
  /** Whether an invite was ever sent for this attempt (so a cancellation has something to cancel). */
  invited: boolean;
  cancellations: { on: LondonDate; reason: string }[];
  extenuating: { on: LondonDate; reason?: string }[];
  takenOn?: LondonDate;
  rawGrade?: Grade;
  grade?: Grade;
  capped?: boolean;
  exceptionalCircumstances?: boolean;
  criteria?: { passCriteriaMet: boolean; distinctionCriteriaMet: number; of: number };
  gradedOn?: LondonDate;
  /** 001 §8: when the EPAO moderated this decision (a re-recorded grade needs moderating again). */
  moderatedOn?: LondonDate;
  publishedOn?: LondonDate;
  /** An appeal against the published result, and its outcome (an upheld one replaced `previousGrade`). */
  appeal?: Appeal;
  /** Added when the whole EPA is taken again (004 Re-sit / Re-take): the attempt is to be booked. */
  wholeEpaRound?: boolean;
}

export interface Appeal {
  lodgedOn: LondonDate;
  reason: string;
  decidedOn?: LondonDate;
  outcome?: 'upheld' | 'dismissed';
  previousGrade?: Grade;
}

/** Gateway evidence as recorded (gateway-evidence.ts says what each EPA needs). */
export interface GatewayEvidence {
  englishMaths?: { english: string; maths: string; ehcPlanOrLegacyStatement?: boolean; on: LondonDate };
  employerSignOff?: LondonDate;
  declaration?: LondonDate;
  projectSynopsis?: LondonDate;
  reasonableAdjustments?: { declared: 'none' | 'requested'; on: LondonDate };
}

export interface PlanningMeeting {
  at: LondonDateTime;
  bookedOn: LondonDate;
  heldOn?: LondonDate;
}

export interface Submission {
  on: LondonDate;
  words?: number;
  pieces?: number;
}

export interface ComponentState {
  id: string;
  attempts: Attempt[];
  submission?: Submission;
  reworks: LondonDate[];
}

export interface Finding {
  rule: string;
  message: string;
  source: string;
  /** Index of the event that raised it; -1 for one derived from a deadline met late (`deadline`). */
  event: number;
  on: LondonDate;
  /** A deadline the EPAO owes, met late: the deadline's key (deadlines.ts metLateFinding). */
  deadline?: string;
  /** An admin accepted the event anyway, with this reason. */
  overridden?: string;
}

export interface EpaState {
  standard: string;
  epao: string;
  eventCount: number;
  lastEventOn?: LondonDate;
  gateway: {
    submissions: LondonDate[];
    rejections: { on: LondonDate; reason: string }[];
    passes: LondonDate[];
    /** Absent in EPAs started before the checklist existed. */
    evidence?: GatewayEvidence;
  };
  /** 002 Assessment Booking (EPAOs with a planning meeting). */
  planningMeeting?: PlanningMeeting;
  /** 004: the whole EPA taken again after the 6-month window lapsed: the new period starts here. */
  resitPeriodStart?: LondonDate;
  /** A whole-EPA retake through the gateway again: the new period starts at the next gateway pass. */
  wholeEpaRetakePending?: boolean;
  /** EPA period start: the first gateway pass. */
  epaStart?: LondonDate;
  extensionsUsed: number;
  extensionWeeks: number;
  components: Record<string, ComponentState>;
  firstFailPublishedOn?: LondonDate;
  /** `previousClaims`: claims made before an upheld appeal changed a grade (the claim is made again). */
  certificate: CertificateState;
  withdrawn?: { on: LondonDate; reason: string };
  /** The staff member whose tasks this EPA's are (CaseOwnerAssigned, tasks.ts): their username, their name then, since when. */
  caseOwner?: { username: string; name: string; on: LondonDate };
  /** Keys of the tasks staff marked done (TaskDone), the newest TASKS_DONE_KEPT. */
  tasksDone?: string[];
  /** The most recent findings (at most FINDINGS_KEPT of each); every one is also in the workflow history. */
  violations: Finding[];
  warnings: Finding[];
  /** How many older findings were dropped from the lists above to keep the state bounded. */
  findingsDropped?: number;
}

/**
 * Bounds on what the state carries, so an EPA with thousands of events (each override reason up to
 * 2,000 characters) still fits Temporal's payload limits across continue-as-new. Every event stays
 * in the workflow history; only these working copies are trimmed.
 */
export const FINDINGS_KEPT = 100;
/** Cancellations and extenuating circumstances kept per attempt (only the latest is used by the rules). */
export const ATTEMPT_NOTES_KEPT = 20;
/** Tasks marked done that the state remembers (a task older than these is long gone from the log). */
export const TASKS_DONE_KEPT = 200;

export function initialState(standard: string, epao: string, componentIds: readonly string[]): EpaState {
  return {
    standard,
    epao,
    eventCount: 0,
    gateway: { submissions: [], rejections: [], passes: [] },
    extensionsUsed: 0,
    extensionWeeks: 0,
    components: Object.fromEntries(componentIds.map((id) => [id, { id, attempts: [], reworks: [] }])),
    certificate: {},
    violations: [],
    warnings: [],
  };
}

export function latestAttempt(component: ComponentState): Attempt | undefined {
  return component.attempts[component.attempts.length - 1];
}

/** The attempt whose result a component is waiting for or last had: the oldest taken one not yet published, else the latest taken. */
export function resultAttempt(component: ComponentState): Attempt | undefined {
  const taken = component.attempts.filter((a) => a.takenOn);
  return taken.find((a) => !a.publishedOn) ?? taken[taken.length - 1];
}

/** The attempt a result is published for (or a decision moderated): the latest graded one. */
export function gradedAttempt(component: ComponentState): Attempt | undefined {
  return [...component.attempts].reverse().find((a) => a.grade !== undefined);
}

/** When an attempt's result was final: its publication, or an upheld appeal's decision after it. */
export function resultFinalOn(attempt: Attempt): LondonDate | undefined {
  if (attempt.appeal?.outcome === 'upheld' && attempt.appeal.decidedOn) return attempt.appeal.decidedOn;
  return attempt.publishedOn;
}

export function isPassed(attempt: Attempt | undefined): boolean {
  return attempt?.grade !== undefined && attempt.grade !== 'Fail';
}
