/**
 * The EPA event vocabulary: what admins record, as zod schemas. Every event has `on`, the London
 * calendar date it happened. An admin may attach `override: { reason }` to accept an event that
 * breaks a rule (a violation); the reason is kept in the state.
 */
import { z } from 'zod';
import { isAcceptedDate, isLondonDate, isLondonDateTime, outsideAcceptedDates } from '../calendar';
import { EVENT_ID, EVENT_ID_MESSAGE } from './event-check';

export const LondonDateSchema = z
  .string()
  .refine(isLondonDate, { message: 'must be a real calendar date written YYYY-MM-DD (London)', abort: true })
  .refine(isAcceptedDate, { message: outsideAcceptedDates });
export const LondonDateTimeSchema = z
  .string()
  .refine(isLondonDateTime, { message: 'must be a real London local date-time written YYYY-MM-DDTHH:mm', abort: true })
  .refine((v) => isAcceptedDate(v.slice(0, 10)), { message: outsideAcceptedDates });

export const Grade = z.enum(['Fail', 'Pass', 'Distinction']);
export type Grade = z.infer<typeof Grade>;

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
export const CertificateClaimed = z.object({ type: z.literal('CertificateClaimed'), ...base }).strict();
export const CertificateReceived = z.object({ type: z.literal('CertificateReceived'), ...base }).strict();
export const ExtenuatingCircumstances = z
  .object({ type: z.literal('ExtenuatingCircumstances'), ...base, component: ComponentId, reason: Reason.optional() })
  .strict();
export const Withdrawn = z.object({ type: z.literal('Withdrawn'), ...base, reason: Reason }).strict();
/** An event recorded in error, voided (corrections.ts): `eventId` names it; the EPA is worked out again without it. */
export const EventVoided = z
  .object({ type: z.literal('EventVoided'), ...base, eventId: z.string().regex(EVENT_ID, EVENT_ID_MESSAGE), reason: Reason })
  .strict();
/** A correction of someone's contact details (contacts.ts): later mail goes to the new ones. */
export const ContactDetailsChanged = z
  .object({
    type: z.literal('ContactDetailsChanged'),
    ...base,
    role: z.enum(['apprentice', 'employer', 'provider', 'epaoAdmin']),
    name: z.string().min(1).max(200).optional(),
    email: z.email().optional(),
    organisation: z.string().min(1).max(200).optional(),
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
]);
export type EpaEvent = z.infer<typeof EpaEvent>;
export type EpaEventType = EpaEvent['type'];
export type EventOf<T extends EpaEventType> = Extract<EpaEvent, { type: T }>;

export const eventTypes: readonly EpaEventType[] = EpaEvent.options.map((o) => o.shape.type.value);
