/** Where an EPA stands, derived from its state (never stored, so it can't drift). */
import type { Plan } from '../plans';
import { allComponentsPassedAndPublished } from './rules';
import { latestAttempt, type EpaState, type Stage } from './state';

export function deriveStage(state: EpaState, plan: Plan): Stage {
  if (state.withdrawn) return 'Withdrawn';
  if (state.certificate.receivedOn) return 'Completed';
  if (state.certificate.claimedOn) return 'CertificateClaimed';
  const { submissions, rejections, passes } = state.gateway;
  if (submissions.length === 0) return 'PreGateway';
  if (submissions.length > rejections.length + passes.length) return 'GatewayReview';
  const lastDecision = [...rejections.map((r) => r.on), ...passes].sort().pop();
  const lastRejected =
    rejections.length > 0 && rejections[rejections.length - 1]!.on === lastDecision && !passes.includes(lastDecision!);
  if (passes.length === 0 || lastRejected) return 'GatewayRejected';
  if (allComponentsPassedAndPublished(state, plan)) return 'AwaitingCertificate';
  const latest = plan.components.map((c) => ({ spec: c, attempt: latestAttempt(state.components[c.id]!) }));
  const failed = latest.filter((l) => l.attempt?.grade === 'Fail');
  if (failed.length > 0) return failed.some((l) => l.spec.reworkWithinMonths) ? 'Rework' : 'Resit';
  if (latest.every((l) => l.attempt?.takenOn)) return 'AwaitingResults';
  return 'InAssessment';
}
