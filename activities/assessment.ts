/**
 * The assessment service activities (src/assessment/client.ts): make the claim the EPA's state says
 * is due (src/epa/certificate-claims.ts), and read a claimed certificate's status.
 *
 * Idempotent, whatever is retried: a claim first reads what the service already holds for the
 * learner and standard (one record each, one reference for the EPA record and the certificate), and
 * only creates, or submits, what is not there yet. A worker killed between create and submit, a
 * retry after a timeout, or a restarted EPA therefore never makes a second certificate: the next
 * attempt finds the first one Ready and submits it, or finds it submitted.
 *
 * Outcomes: `claimed` (the certificate is submitted: the claim deadline is met), `recorded` (a fail
 * recorded as an EPA record), `refused` (the service's validation messages: an admin task, never a
 * failed workflow). The service unreachable, down or rate-limiting: a retryable failure, which
 * Temporal retries with backoff for as long as it takes.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AssessmentServiceClient, AssessmentServiceError } from '../src/assessment/client';
import type { Certificate } from '../src/assessment/contract';
import type { CertificateStatusRequest, CertificateStatusResult, ClaimRequest, ClaimResult, EpaActivities } from './types';

export interface AssessmentSettings {
  /** Unset: this worker has no assessment service configured, and says so (an admin task). */
  client?: AssessmentServiceClient;
  /** Test hook: runs after a certificate is created, before it is submitted. */
  afterCreate?: (reference: string) => Promise<void> | void;
}

const SUBMITTED = new Set(['Submitted', 'SentToPrinter', 'Printed', 'Delivered', 'NotDelivered', 'Reprint']);
const NOT_CONFIGURED =
  'this epa-flow worker has no assessment service configured (EPA_ASSESSMENT_SERVICE_URL and EPA_ASSESSMENT_SERVICE_KEY): set them, then retry the claim';

/** A service error as the activity's answer: refusals become the admin's task, the rest is retried. */
function refusedOrRetry(err: unknown): ClaimResult {
  if (err instanceof AssessmentServiceError && err.kind === 'refused') {
    const message = err.message.replace(/^[A-Z]+ \S+: /, '');
    return { outcome: 'refused', messages: message.split('; ') };
  }
  const message = err instanceof Error ? err.message : String(err);
  throw ApplicationFailure.retryable(
    message,
    err instanceof AssessmentServiceError ? `assessment_service_${err.kind}` : 'assessment_service',
  );
}

export function createAssessmentActivities(
  settings: AssessmentSettings,
): Pick<EpaActivities, 'claimWithAssessmentService' | 'certificateStatus'> {
  return {
    async claimWithAssessmentService(request: ClaimRequest): Promise<ClaimResult> {
      const client = settings.client;
      if (!client) return { outcome: 'refused', messages: [NOT_CONFIGURED] };
      try {
        return request.claim.kind === 'certificate'
          ? await claimCertificate(client, request, settings)
          : await recordFail(client, request);
      } catch (err) {
        return refusedOrRetry(err);
      }
    },

    async certificateStatus(request: CertificateStatusRequest): Promise<CertificateStatusResult> {
      if (!settings.client) throw ApplicationFailure.nonRetryable(NOT_CONFIGURED, 'assessment_service_not_configured');
      try {
        const certificate = await settings.client.getCertificate(Number(request.uln), request.familyName, request.standard);
        if (!certificate) return { status: 'none' };
        return {
          status: certificate.status.currentStatus,
          ...(certificate.certificateData.certificateReference && {
            reference: certificate.certificateData.certificateReference,
          }),
          ...(certificate.delivered?.deliveryDate && { deliveryDate: certificate.delivered.deliveryDate }),
        };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw ApplicationFailure.retryable(message, 'assessment_service');
      }
    },
  };
}

async function claimCertificate(
  client: AssessmentServiceClient,
  request: ClaimRequest,
  settings: AssessmentSettings,
): Promise<ClaimResult> {
  const claim = request.claim;
  if (claim.kind !== 'certificate') throw new Error('not a certificate claim');
  const uln = Number(request.uln);
  const done = (c: Certificate): ClaimResult => ({
    outcome: 'claimed',
    reference: c.certificateData.certificateReference!,
    status: c.status.currentStatus,
  });
  let held = await client.getCertificate(uln, claim.familyName, claim.standard);
  if (held && SUBMITTED.has(held.status.currentStatus)) return done(held);
  if (!held) {
    const [created] = await client.createCertificates([
      {
        standard: { standardReference: claim.standard },
        learner: { uln, familyName: claim.familyName },
        learningDetails: { version: claim.version, overallGrade: claim.grade, achievementDate: claim.achievedOn },
        postalContact: claim.postalContact,
      },
    ]);
    const exists = created!.validationErrors.some((m) => /^Certificate already exists: \d{8}$/.test(m));
    if (created!.validationErrors.length > 0 && !exists) return { outcome: 'refused', messages: created!.validationErrors };
    held = exists ? await client.getCertificate(uln, claim.familyName, claim.standard) : created!.certificate;
    if (!held) return { outcome: 'refused', messages: created!.validationErrors };
    if (SUBMITTED.has(held.status.currentStatus)) return done(held);
    await settings.afterCreate?.(held.certificateData.certificateReference!);
  }
  const reference = held.certificateData.certificateReference!;
  const [submitted] = await client.submitCertificates([
    { uln, familyName: claim.familyName, standardReference: claim.standard, certificateReference: reference },
  ]);
  if (submitted!.validationErrors.includes('Certificate has already been submitted')) {
    const now = await client.getCertificate(uln, claim.familyName, claim.standard);
    return now ? done(now) : { outcome: 'claimed', reference, status: 'Submitted' };
  }
  if (submitted!.validationErrors.length > 0) return { outcome: 'refused', reference, messages: submitted!.validationErrors };
  return done(submitted!.certificate!);
}

async function recordFail(client: AssessmentServiceClient, request: ClaimRequest): Promise<ClaimResult> {
  const claim = request.claim;
  if (claim.kind !== 'epaRecord') throw new Error('not a fail record');
  const uln = Number(request.uln);
  const epas = claim.fails.map((on, i) => ({ epaDate: on, epaOutcome: 'Fail' as const, ...(i > 0 && { resit: true }) }));
  const item = {
    standard: { standardReference: claim.standard },
    learner: { uln, familyName: claim.familyName },
    learningDetails: { version: claim.version },
    epaDetails: { epas },
  };
  const [created] = await client.createEpaRecords([item]);
  if (created!.validationErrors.length === 0) return { outcome: 'recorded', reference: created!.epaReference! };
  if (!created!.validationErrors.includes('EPA already provided for the learner'))
    return { outcome: 'refused', messages: created!.validationErrors };
  // A record is there already: this fail (an earlier attempt of this activity), or an earlier one.
  const learner = await client.getLearner(uln, claim.familyName, claim.standard);
  const details = learner.epaDetails;
  if (details?.epaReference && details.latestEpaOutcome === 'Fail' && details.latestEpaDate?.slice(0, 10) === claim.failedOn)
    return { outcome: 'recorded', reference: details.epaReference };
  if (!details?.epaReference) return { outcome: 'refused', messages: created!.validationErrors };
  const [updated] = await client.updateEpaRecords([{ ...item, epaReference: details.epaReference }]);
  if (updated!.validationErrors.length > 0) return { outcome: 'refused', messages: updated!.validationErrors };
  return { outcome: 'recorded', reference: updated!.epaReference ?? details.epaReference };
}
