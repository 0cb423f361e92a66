/**
 * The EPA event vocabulary: what admins record, as zod schemas. Every event has `on`, the London
 * calendar date it happened. An admin may attach `override: { reason }` to accept an event that
 * breaks a rule (a violation); the reason is kept in the state.
 */
import { z } from 'zod';
import { isAcceptedDate, isLondonDate, londonDateTimeProblem, outsideAcceptedDates } from '../calendar';
import { EVENT_ID, EVENT_ID_MESSAGE } from './event-ids';
import { nameProblem } from './names';
import { NOTE_MAX } from './note';
import { CASE_OWNER_USERNAME, MESSAGE_KEY_MAX, TASK_KEY } from './task-keys';
import { SYSTEM_EVENT_TYPES } from './system-events';
export { NOTE_MAX };
import { EnglishMathsLevel, Grade } from '../plans/schema';

export const LondonDateSchema = z
  .string()
  .refine(isLondonDate, { message: 'must be a real calendar date written YYYY-MM-DD (London)', abort: true })
  .refine(isAcceptedDate, { message: outsideAcceptedDates });
export const LondonDateTimeSchema = z
  .string()
  .superRefine((v, ctx) => {
    const problem = londonDateTimeProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
  })
  .refine((v) => isAcceptedDate(v.slice(0, 10)), { message: outsideAcceptedDates });

export { Grade };

/** A UK postcode, as the assessment service checks it (GIR 0AA allowed, the space optional). */
export const UK_POSTCODE = /^([Gg][Ii][Rr] ?0[Aa]{2}|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})$/;

const ComponentId = z.string().regex(/^[a-z]+$/, 'a component id such as "observation"');
const Reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(2000);

const base = {
  on: LondonDateSchema,
  override: z.object({ reason: Reason }).strict().optional(),
  /** Who recorded it (free text: an admin's name or id). */
  by: z.string().max(200).optional(),
  /** The sender's id for this event (the API's Idempotency-Key): sent again, it is recorded once (event-ids.ts). */
  eventId: z.string().regex(EVENT_ID, EVENT_ID_MESSAGE).optional(),
};

export const GatewaySubmitted = z.object({ type: z.literal('GatewaySubmitted'), ...base }).strict();
export const GatewayRejected = z.object({ type: z.literal('GatewayRejected'), ...base, reason: Reason }).strict();
export const GatewayPassed = z.object({ type: z.literal('GatewayPassed'), ...base }).strict();
export const AssessmentBooked = z
  .object({
    type: z.literal('AssessmentBooked'),
    ...base,
    component: ComponentId,
    at: LondonDateTimeSchema,
    location: z.string().max(500).optional(),
    assessor: z
      .object({ name: z.string().min(1).max(200), email: z.email() })
      .strict()
      .optional(),
  })
  .strict();
export const AssessmentCancelled = z
  .object({ type: z.literal('AssessmentCancelled'), ...base, component: ComponentId, reason: Reason })
  .strict();
export const ReportSubmitted = z
  .object({ type: z.literal('ReportSubmitted'), ...base, words: z.number().int().positive() })
  .strict();
export const PortfolioSubmitted = z
  .object({ type: z.literal('PortfolioSubmitted'), ...base, pieces: z.number().int().positive() })
  .strict();
export const ShowcaseSubmitted = z
  .object({ type: z.literal('ShowcaseSubmitted'), ...base, pieces: z.number().int().positive() })
  .strict();
export const ReworkSubmitted = z
  .object({ type: z.literal('ReworkSubmitted'), ...base, words: z.number().int().positive().optional() })
  .strict();
export const AssessmentTaken = z.object({ type: z.literal('AssessmentTaken'), ...base, component: ComponentId }).strict();
export const GradeRecorded = z
  .object({
    type: z.literal('GradeRecorded'),
    ...base,
    component: ComponentId,
    grade: Grade.optional(),
    /** ST0072: all pass criteria met … */
    passCriteriaMet: z.boolean().optional(),
    /** … and how many distinction criteria were met. */
    distinctionCriteriaMet: z.number().int().nonnegative().optional(),
    /** The EPAO found exceptional circumstances for the original fail (lifts the resit cap where the plan allows). */
    exceptionalCircumstances: z.boolean().optional(),
  })
  .strict()
  .refine((e) => (e.grade !== undefined) !== (e.passCriteriaMet !== undefined), {
    message: 'give either grade, or passCriteriaMet with distinctionCriteriaMet',
    path: ['grade'],
  })
  .refine((e) => e.passCriteriaMet === undefined || e.distinctionCriteriaMet !== undefined, {
    message: 'distinctionCriteriaMet is required with passCriteriaMet',
    path: ['distinctionCriteriaMet'],
  });
export const ResultPublished = z.object({ type: z.literal('ResultPublished'), ...base, component: ComponentId }).strict();
/** The certificate claimed: by an admin (the EPAO claimed it elsewhere), or by epa-flow through the assessment service (with its reference). */
export const CertificateClaimed = z
  .object({
    type: z.literal('CertificateClaimed'),
    ...base,
    reference: z
      .string()
      .regex(/^\d{8}$/)
      .optional(),
  })
  .strict();
export const CertificateReceived = z.object({ type: z.literal('CertificateReceived'), ...base }).strict();
/** The 8-digit reference the assessment service gives an EPA record and its certificate. */
const ServiceReference = z.string().regex(/^\d{8}$/, 'an 8-digit reference');
const Text = (max: number) => z.string().trim().min(1).max(max);
/**
 * What the certificate claim needs beyond the EPA (the assessment service's contract): the
 * apprentice's family name as the ILR holds it (default: the last word of their name) and who the
 * printed certificate is posted to (contact, organisation, address, a UK postcode).
 */
export const CertificateDetailsRecorded = z
  .object({
    type: z.literal('CertificateDetailsRecorded'),
    ...base,
    familyName: Text(100).optional(),
    postalContact: z
      .object({
        contactName: Text(200),
        department: Text(200).optional(),
        organisation: Text(200),
        addressLine1: Text(200),
        addressLine2: Text(200).optional(),
        addressLine3: Text(200).optional(),
        city: Text(100),
        postCode: z.string().regex(UK_POSTCODE, 'a UK postcode such as BS1 4DJ'),
      })
      .strict(),
  })
  .strict();
/** After the service refused a claim and its data has been put right: claim again. */
export const CertificateClaimRetried = z.object({ type: z.literal('CertificateClaimRetried'), ...base }).strict();
/** Recorded by epa-flow, never by staff: the assessment service refused the claim, with its messages. */
export const CertificateClaimRefused = z
  .object({
    type: z.literal('CertificateClaimRefused'),
    ...base,
    messages: z.array(z.string().max(2000)).min(1).max(20),
  })
  .strict();
/** Recorded by epa-flow: the certificate's status at the assessment service changed (the print process). */
export const CertificateStatusChanged = z
  .object({
    type: z.literal('CertificateStatusChanged'),
    ...base,
    reference: ServiceReference,
    status: z.enum(['Submitted', 'SentToPrinter', 'Printed', 'Delivered', 'NotDelivered', 'Reprint']),
  })
  .strict();
/** Recorded by epa-flow: a failed EPA recorded with the assessment service (an EPA record, never a certificate). */
export const EpaOutcomeRecorded = z
  .object({
    type: z.literal('EpaOutcomeRecorded'),
    ...base,
    outcome: z.literal('Fail'),
    /** The day the failed result was published: the EPA date the service keeps. */
    failedOn: LondonDateSchema,
    reference: ServiceReference,
  })
  .strict();
export const ExtenuatingCircumstances = z
  .object({ type: z.literal('ExtenuatingCircumstances'), ...base, component: ComponentId, reason: Reason.optional() })
  .strict();
export const Withdrawn = z.object({ type: z.literal('Withdrawn'), ...base, reason: Reason }).strict();
/**
 * An event recorded in error, voided (corrections.ts): `voids` names it by its eventId; the EPA is
 * worked out again without it. The void's own `eventId` is its own, like any event's. (Before 1.1 a
 * void had no id of its own and its `eventId` named the target: that form is still read so.)
 */
export const EventVoided = z
  .object({
    type: z.literal('EventVoided'),
    ...base,
    voids: z
      .string()
      .regex(EVENT_ID, EVENT_ID_MESSAGE)
      .describe('The eventId of the event this void takes out (the void has an eventId of its own).')
      .optional(),
    reason: Reason,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.voids === undefined && v.eventId === undefined)
      ctx.addIssue({ code: 'custom', message: 'name the event to void: its eventId, in voids', path: ['voids'] });
    if (v.voids !== undefined && v.voids === v.eventId)
      ctx.addIssue({ code: 'custom', message: 'a void has an eventId of its own, not the one it voids', path: ['eventId'] });
  });
/** A corrected name or organisation: the one name check (names.ts). */
const ContactName = z
  .string()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** A correction of someone's contact details (contacts.ts): later mail goes to the new ones. */
export const ContactDetailsChanged = z
  .object({
    type: z.literal('ContactDetailsChanged'),
    ...base,
    role: z.enum(['apprentice', 'employer', 'provider', 'epaoAdmin']),
    name: ContactName.optional(),
    email: z.email().optional(),
    organisation: ContactName.optional(),
    reason: Reason.optional(),
  })
  .strict()
  .refine((e) => e.name !== undefined || e.email !== undefined || e.organisation !== undefined, {
    message: 'give at least one of name, email, organisation',
    path: ['name'],
  })
  .refine((e) => e.organisation === undefined || e.role === 'employer' || e.role === 'provider', {
    message: 'only the employer and the provider have an organisation',
    path: ['organisation'],
  });

/**
 * Gateway evidence checked (001 §4, 002 Gateway, 003, 004 Gateway): any of the items, each recorded
 * once seen. Reasonable adjustments: only whether any were requested, never what they are.
 */
export const GatewayEvidenceRecorded = z
  .object({
    type: z.literal('GatewayEvidenceRecorded'),
    ...base,
    englishMaths: z
      .object({
        english: z.union([EnglishMathsLevel, z.literal('BSL')]),
        maths: EnglishMathsLevel,
        /** An education, health and care plan or a legacy statement: Entry Level 3 is the minimum (001 §4, 004). */
        ehcPlanOrLegacyStatement: z.boolean().optional(),
      })
      .strict()
      .optional(),
    employerSignOff: z.literal(true).optional(),
    declarationSigned: z.literal(true).optional(),
    projectSynopsisAgreed: z.literal(true).optional(),
    reasonableAdjustments: z.enum(['none', 'requested']).optional(),
  })
  .strict()
  .refine(
    (e) =>
      e.englishMaths !== undefined ||
      e.employerSignOff !== undefined ||
      e.declarationSigned !== undefined ||
      e.projectSynopsisAgreed !== undefined ||
      e.reasonableAdjustments !== undefined,
    {
      message:
        'give at least one of englishMaths, employerSignOff, declarationSigned, projectSynopsisAgreed, reasonableAdjustments',
      path: ['englishMaths'],
    },
  );
/** 002 Assessment Booking: the planning meeting, booked once the gateway is passed … */
export const PlanningMeetingBooked = z
  .object({ type: z.literal('PlanningMeetingBooked'), ...base, at: LondonDateTimeSchema })
  .strict();
/** … and held (the assessments it books follow it). */
export const PlanningMeetingHeld = z.object({ type: z.literal('PlanningMeetingHeld'), ...base }).strict();
/**
 * 001 §8: the EPAO moderated the assessor's decision on a component (before its result is published);
 * without `component`, the overall decision: every graded component not yet moderated.
 */
export const ResultModerated = z
  .object({ type: z.literal('ResultModerated'), ...base, component: ComponentId.optional() })
  .strict();
/** An appeal against a component's published result (001 §8: "managed by the EPAO whose decision is final"). */
export const AppealLodged = z
  .object({ type: z.literal('AppealLodged'), ...base, component: ComponentId, reason: Reason })
  .strict();
export const AppealDecided = z
  .object({
    type: z.literal('AppealDecided'),
    ...base,
    component: ComponentId,
    outcome: z.enum(['upheld', 'dismissed']),
    /** Upheld: the grade the component now has. */
    grade: Grade.optional(),
    reason: Reason.optional(),
  })
  .strict()
  .refine((e) => (e.outcome === 'upheld') === (e.grade !== undefined), {
    message: 'an upheld appeal gives the new grade; a dismissed one gives none',
    path: ['grade'],
  });

/**
 * A note staff add to an EPA (who: `by`; when: `on` and the time recorded): kept on the timeline,
 * changing no deadline or stage, and never put into any message.
 */
export const NoteAdded = z
  .object({ type: z.literal('NoteAdded'), ...base, text: z.string().trim().min(1).max(NOTE_MAX) })
  .strict();

/**
 * A message that failed for good (the mail server refused it) sent again by an admin (resend.ts):
 * `message` is its notification key as the EPA's messages list names it, `role` whom it failed to.
 * It goes to the role's current address (staff may have corrected it since) under a new message
 * key; it changes no deadline or stage and is kept on the timeline.
 */
export const MessageSentAgain = z
  .object({
    type: z.literal('MessageSentAgain'),
    ...base,
    message: z.string().min(1).max(MESSAGE_KEY_MAX),
    role: z.enum(['apprentice', 'employer', 'provider', 'epaoAdmin', 'assessor']),
    reason: Reason.optional(),
  })
  .strict();
/** The staff account that owns an EPA's tasks (tasks.ts): its username, and its name as shown then. */
export const CaseOwnerAssigned = z
  .object({
    type: z.literal('CaseOwnerAssigned'),
    ...base,
    owner: z.string().regex(CASE_OWNER_USERNAME, "a staff account's username"),
    name: z.string().trim().min(1).max(200),
  })
  .strict();
/** A task with no natural end (a failed message, a late-entry summary) marked done by staff, by its key (tasks.ts). */
export const TaskDone = z
  .object({ type: z.literal('TaskDone'), ...base, task: z.string().regex(TASK_KEY, 'a task key') })
  .strict();

export const EpaEvent = z.discriminatedUnion('type', [
  GatewaySubmitted,
  GatewayRejected,
  GatewayPassed,
  AssessmentBooked,
  AssessmentCancelled,
  ReportSubmitted,
  PortfolioSubmitted,
  ShowcaseSubmitted,
  ReworkSubmitted,
  AssessmentTaken,
  GradeRecorded,
  ResultPublished,
  CertificateClaimed,
  CertificateReceived,
  ExtenuatingCircumstances,
  Withdrawn,
  ContactDetailsChanged,
  EventVoided,
  GatewayEvidenceRecorded,
  PlanningMeetingBooked,
  PlanningMeetingHeld,
  ResultModerated,
  AppealLodged,
  AppealDecided,
  CertificateDetailsRecorded,
  CertificateClaimRetried,
  CertificateClaimRefused,
  CertificateStatusChanged,
  EpaOutcomeRecorded,
  NoteAdded,
  MessageSentAgain,
  CaseOwnerAssigned,
  TaskDone,
]);
export type EpaEvent = z.infer<typeof EpaEvent>;
export type EpaEventType = EpaEvent['type'];
export type EventOf<T extends EpaEventType> = Extract<EpaEvent, { type: T }>;

export const eventTypes: readonly EpaEventType[] = EpaEvent.options.map((o) => o.shape.type.value);

/** Events epa-flow records itself from the assessment service's answers: no person records them (no Update, no form). */
export const systemEventTypes: readonly EpaEventType[] = eventTypes.filter((t) => SYSTEM_EVENT_TYPES.has(t));
/** The events staff record. */
export const adminEventTypes: readonly EpaEventType[] = eventTypes.filter((t) => !systemEventTypes.includes(t));
/** The events staff record, as one schema (the API's OpenAPI document). */
export const AdminEpaEvent = z.discriminatedUnion(
  'type',
  EpaEvent.options.filter((o) => adminEventTypes.includes(o.shape.type.value)) as unknown as [
    (typeof EpaEvent.options)[number],
    ...(typeof EpaEvent.options)[number][],
  ],
);
