/**
 * Claims through the Department for Education's assessment service (an EPAO policy setting,
 * `certificate.claimThrough: assessmentService`): what the EPA needs to send now, decided from its
 * state alone. The workflow makes the claim through an activity and records what the service
 * answered as events (CertificateClaimed with its reference, CertificateClaimRefused,
 * EpaOutcomeRecorded, CertificateStatusChanged); those events are what this reads next time.
 *
 * - A **certificate** is claimed once every component has a published pass (the overall grade is
 *   final: moderated where the plan requires it, 001 §8), for that grade, achieved on the day the
 *   last result was published. The claim period is 002 Annex 2's 15 working days (the
 *   `certificateClaimDue` deadline), met when the service accepts the submission.
 * - A **fail** is recorded as an EPA record, never a certificate: once every component is graded,
 *   one or more failed, and the failed results are published.
 * - What the service needs beyond the EPA: the apprentice's family name as the ILR holds it (the
 *   last word of their name unless CertificateDetailsRecorded gives it) and, for a certificate, who
 *   it is posted to. Missing details, or a refusal, are an admin task instead of a claim.
 */
import type { LondonDate } from '../calendar';
import type { Plan, Policy } from '../plans';
import type { Grade } from './events';
import { overallGrade } from './grading';
import { allComponentsPassedAndPublished } from './rules';
import { latestAttempt, type EpaState, type PostalContact } from './state';

interface ClaimBase {
  /** Stable while this claim stands: a retry after a refusal is a new key. */
  key: string;
  familyName: string;
  standard: string;
  version: string;
}
export interface CertificateClaim extends ClaimBase {
  kind: 'certificate';
  grade: Exclude<Grade, 'Fail'>;
  achievedOn: LondonDate;
  postalContact: PostalContact;
  /** Fails recorded earlier with the service, oldest first (the certificate comes after a resit). */
  failsRecorded: LondonDate[];
}
export interface FailRecord extends ClaimBase {
  kind: 'epaRecord';
  /** The day the fail was published, and every fail recorded before it: the EPA history the service keeps. */
  failedOn: LondonDate;
  fails: LondonDate[];
}
export type ServiceClaim = CertificateClaim | FailRecord;

/** Something staff must do before the claim can be made. */
export interface CertificateTask {
  kind: 'certificateDetailsMissing' | 'certificateClaimRefused';
  /** What to do, in words. */
  action: string;
  /** The service's messages, for a refusal. */
  messages: string[];
  since?: LondonDate;
}

/** Whether this EPA's policy claims through the assessment service (otherwise staff record the claim). */
export const claimsThroughService = (policy: Policy): boolean => policy.certificate.claimThrough === 'assessmentService';

/** The apprentice's family name for the service: as recorded, or the last word of their name. */
export function familyNameOf(state: EpaState, apprenticeName: string): string {
  const recorded = state.certificate.details?.familyName;
  if (recorded) return recorded;
  const words = apprenticeName.trim().split(/\s+/);
  return words[words.length - 1] ?? apprenticeName;
}

const latestPublished = (dates: (LondonDate | undefined)[]): LondonDate | undefined =>
  dates
    .filter((d): d is LondonDate => d !== undefined)
    .sort()
    .pop();

/** The claim the EPA needs to make now, or the task that stands in its way; neither when nothing is due. */
export function serviceClaim(
  state: EpaState,
  plan: Plan,
  policy: Policy,
  apprenticeName: string,
): { claim?: ServiceClaim; task?: CertificateTask } {
  if (!claimsThroughService(policy) || state.withdrawn) return {};
  const c = state.certificate;
  if (c.refusal)
    return {
      task: {
        kind: 'certificateClaimRefused',
        action: 'Put right what the assessment service says (certificate details, or the EPA), then retry the claim',
        messages: c.refusal.messages,
        since: c.refusal.on,
      },
    };
  const base = { familyName: familyNameOf(state, apprenticeName), standard: plan.standard, version: plan.version };
  const failsRecorded = (c.failsRecorded ?? []).map((f) => f.on);
  const attempts = plan.components.map((spec) => latestAttempt(state.components[spec.id]!));
  if (allComponentsPassedAndPublished(state, plan)) {
    if (c.claimedOn) return {};
    const grade = overallGrade(state, plan, policy);
    if (!grade || grade === 'Fail') return {};
    if (!c.details)
      return {
        task: {
          kind: 'certificateDetailsMissing',
          action:
            'Record the certificate details: who the certificate is posted to (and the family name, if not the last word of the name)',
          messages: [],
        },
      };
    return {
      claim: {
        kind: 'certificate',
        key: `certificate.${c.retries ?? 0}`,
        ...base,
        grade,
        achievedOn: latestPublished(attempts.map((a) => a?.publishedOn))!,
        postalContact: c.details.postalContact,
        failsRecorded,
      },
    };
  }
  // A fail: every component graded, a failed one among them, and the failed results published.
  if (attempts.some((a) => a?.grade === undefined)) return {};
  const failed = attempts.filter((a) => a?.grade === 'Fail');
  if (failed.length === 0 || failed.some((a) => !a!.publishedOn)) return {};
  const failedOn = latestPublished(failed.map((a) => a!.publishedOn))!;
  if (failsRecorded.includes(failedOn)) return {};
  return {
    claim: {
      kind: 'epaRecord',
      key: `epaFail.${failedOn}.${c.retries ?? 0}`,
      ...base,
      failedOn,
      fails: [...failsRecorded, failedOn],
    },
  };
}
