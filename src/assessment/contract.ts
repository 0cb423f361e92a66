/**
 * The Apprenticeship assessment service's External API, as its contract digest describes it
 * (../shared/docs/assessor-api.md, read from SkillsFundingAgency/das-assessor-service): the request
 * shapes epa-flow sends and zod schemas for every response it reads. Shared by the client
 * (src/assessment/client.ts) and the local fake (src/dev/assessment-service-fake.ts).
 *
 * Responses omit any property whose value is its type's default (null, 0, false), so almost every
 * response field is optional here; the client decides what it needs.
 */
import { z } from 'zod';

/** At most this many items in one batch call (more: 403 "Batch limited to 25 requests"). */
export const BATCH_LIMIT = 25;

/** The header that carries the subscription key on every call. */
export const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';

/** The pass grades a certificate takes (GET /api/v1/certificate/grades). */
export const CERTIFICATE_GRADES = [
  'Pass',
  'Credit',
  'Merit',
  'Distinction',
  'Pass with excellence',
  'Outstanding',
  'No grade awarded',
] as const;

export const EPA_OUTCOMES = ['Pass', 'Fail', 'Withdrawn'] as const;
export type EpaOutcome = (typeof EPA_OUTCOMES)[number];

/** Stored statuses the API shows (`Ready` is a Draft with all mandatory data, never stored). */
export const CERTIFICATE_STATUSES = [
  'Draft',
  'Ready',
  'Submitted',
  'SentToPrinter',
  'Printed',
  'Delivered',
  'NotDelivered',
  'Reprint',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
/** The print process's statuses, after Submitted. */
export const PRINT_STATUSES = ['SentToPrinter', 'Printed', 'Delivered', 'NotDelivered', 'Reprint'] as const;

// Requests (what epa-flow sends).
export interface StandardRef {
  standardCode?: number;
  standardReference?: string;
}
export interface LearnerRef {
  uln: number;
  familyName: string;
}
export interface EpaRecord {
  epaDate: string;
  epaOutcome: EpaOutcome;
  resit?: boolean;
  retake?: boolean;
}
export interface PostalContact {
  contactName: string;
  department?: string;
  organisation: string;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  city: string;
  postCode: string;
}
export interface LearningDetailsRequest {
  version?: string;
  courseOption?: string;
  overallGrade?: string;
  achievementDate?: string;
}
export interface CreateEpaRequest {
  requestId?: string;
  standard: StandardRef;
  learner: LearnerRef;
  learningDetails?: LearningDetailsRequest;
  epaDetails: { epas: EpaRecord[] };
}
export interface UpdateEpaRequest extends CreateEpaRequest {
  epaReference: string;
}
export interface CreateCertificateRequest {
  requestId?: string;
  standard: StandardRef;
  learner: LearnerRef;
  learningDetails: LearningDetailsRequest;
  postalContact: PostalContact;
}
export interface SubmitCertificateRequest {
  requestId?: string;
  uln: number;
  standardCode?: number;
  standardReference?: string;
  familyName: string;
  certificateReference: string;
}

// Responses (what epa-flow reads), each checked.
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'an ISO-8601 date');

export const CertificateSchema = z.object({
  certificateData: z.object({
    certificateReference: z
      .string()
      .regex(/^\d{8}$/)
      .optional(),
    standard: z
      .object({
        standardCode: z.number().int().optional(),
        standardReference: z.string().optional(),
        standardName: z.string().optional(),
        level: z.number().int().optional(),
      })
      .optional(),
    learner: z
      .object({ uln: z.number().int().optional(), givenNames: z.string().optional(), familyName: z.string().optional() })
      .optional(),
    learningDetails: z
      .object({
        version: z.string().optional(),
        courseOption: z.string().optional(),
        overallGrade: z.string().optional(),
        achievementDate: dateTime.optional(),
        learningStartDate: dateTime.optional(),
        providerName: z.string().optional(),
        providerUkPrn: z.number().int().optional(),
      })
      .optional(),
    postalContact: z.record(z.string(), z.string()).optional(),
    coronationEmblem: z.literal(true).optional(),
  }),
  status: z.object({ currentStatus: z.enum(CERTIFICATE_STATUSES) }),
  created: z.object({ createdAt: dateTime.optional(), createdBy: z.string().optional() }).optional(),
  submitted: z.object({ submittedAt: dateTime.optional(), submittedBy: z.string().optional() }).optional(),
  printed: z.object({ printedAt: dateTime.optional(), printedBatch: z.number().int().optional() }).optional(),
  delivered: z
    .object({ status: z.enum(['WaitingForDelivery', 'Delivered', 'NotDelivered']), deliveryDate: dateTime.optional() })
    .optional(),
});
export type Certificate = z.infer<typeof CertificateSchema>;

const validationErrors = z.array(z.string());

export const EpaResponseSchema = z.object({
  requestId: z.string().optional(),
  epaReference: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  validationErrors,
});
export type EpaResponse = z.infer<typeof EpaResponseSchema>;

export const CertificateResponseSchema = z.object({
  requestId: z.string().optional(),
  certificate: CertificateSchema.optional(),
  validationErrors,
});
export type CertificateResponse = z.infer<typeof CertificateResponseSchema>;

/** The common error body (`ApiResponse`); `message` omitted when null. */
export const ApiResponseSchema = z.object({ statusCode: z.number().int(), message: z.string().optional() });

export const GradesSchema = z.array(z.string());

export const LearnerSchema = z.object({
  learnerData: z.object({
    standard: z.record(z.string(), z.unknown()).optional(),
    learner: z.object({ uln: z.number().int().optional(), givenNames: z.string().optional(), familyName: z.string().optional() }),
    learningDetails: z.record(z.string(), z.unknown()).optional(),
  }),
  status: z.object({ completionStatus: z.number().int().optional() }).optional(),
  epaDetails: z
    .object({
      epaReference: z.string().optional(),
      latestEpaDate: dateTime.optional(),
      latestEpaOutcome: z.string().optional(),
      epas: z.array(
        z.object({ epaDate: dateTime, epaOutcome: z.string(), resit: z.boolean().optional(), retake: z.boolean().optional() }),
      ),
    })
    .optional(),
  certificate: CertificateSchema.optional(),
});
export type Learner = z.infer<typeof LearnerSchema>;

export const StandardOptionsSchema = z.object({
  standardCode: z.number().int(),
  standardReference: z.string(),
  version: z.string(),
  courseOption: z.array(z.string()).optional(),
});
