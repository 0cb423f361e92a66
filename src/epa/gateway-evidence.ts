/**
 * The gateway evidence checklist (001 §4, 002 Gateway, 003, 004 Gateway): what an EPA needs before
 * its gateway is passed, from the plan and the EPAO's policy, and what has been recorded.
 */
import type { GatewayEvidenceItem, GatewayEvidenceItemId, Plan, Policy } from '../plans';
import type { EnglishMathsLevel } from '../plans/schema';
import type { EpaState } from './state';

export const gatewayEvidenceNames: Record<GatewayEvidenceItemId, string> = {
  englishMaths: 'English and maths',
  employerSignOff: "the employer's sign-off",
  declaration: 'the signed declaration',
  projectSynopsis: 'the agreed project synopsis',
  reasonableAdjustments: 'the reasonable adjustments declaration (even "none")',
  portfolio: 'the portfolio of evidence',
  showcase: 'the apprentice showcase',
};

const LEVELS: readonly EnglishMathsLevel[] = ['Entry Level 3', 'Level 1', 'Level 2', 'Level 3 or above'];

export interface GatewayEvidenceCheck {
  item: GatewayEvidenceItemId;
  name: string;
  source: string;
  met: boolean;
  /** When it was recorded (a submission: the day it was handed in). */
  on?: string;
  /** Why a recorded item does not count (English and maths below the level). */
  detail?: string;
}

/** Every item the EPA's plan and EPAO require, the plan's first. */
export function requiredGatewayEvidence(plan: Plan, policy: Policy): GatewayEvidenceItem[] {
  return [...plan.gatewayEvidence, ...policy.gatewayEvidence];
}

/** English and maths against the level required; Entry Level 3 with an EHC plan or legacy statement; BSL may replace English. */
function englishMathsCheck(
  recorded: NonNullable<NonNullable<EpaState['gateway']['evidence']>['englishMaths']>,
  required: EnglishMathsLevel,
): string | undefined {
  const needed = recorded.ehcPlanOrLegacyStatement ? 'Entry Level 3' : required;
  const atLeast = (level: string) => LEVELS.indexOf(level as EnglishMathsLevel) >= LEVELS.indexOf(needed);
  const short = [
    ...(recorded.english === 'BSL' || atLeast(recorded.english) ? [] : [`English at ${recorded.english}`]),
    ...(atLeast(recorded.maths) ? [] : [`maths at ${recorded.maths}`]),
  ];
  return short.length ? `${short.join(' and ')}: ${needed} is required` : undefined;
}

export function gatewayEvidenceStatus(state: EpaState, plan: Plan, policy: Policy): GatewayEvidenceCheck[] {
  const evidence = state.gateway.evidence ?? {};
  return requiredGatewayEvidence(plan, policy).map((req) => {
    const base = { item: req.item, name: gatewayEvidenceNames[req.item], source: req.source };
    switch (req.item) {
      case 'englishMaths': {
        const em = evidence.englishMaths;
        if (!em) return { ...base, met: false };
        const detail = englishMathsCheck(em, req.level ?? 'Level 2');
        return { ...base, met: detail === undefined, on: em.on, ...(detail && { detail }) };
      }
      case 'employerSignOff':
      case 'declaration':
      case 'projectSynopsis': {
        const on = evidence[req.item];
        return { ...base, met: on !== undefined, ...(on && { on }) };
      }
      case 'reasonableAdjustments': {
        const ra = evidence.reasonableAdjustments;
        return { ...base, met: ra !== undefined, ...(ra && { on: ra.on }) };
      }
      case 'portfolio':
      case 'showcase': {
        const event = req.item === 'portfolio' ? 'PortfolioSubmitted' : 'ShowcaseSubmitted';
        const spec = plan.components.find((c) => c.submission?.event === event);
        const on = spec ? state.components[spec.id]?.submission?.on : undefined;
        return { ...base, met: on !== undefined, ...(on && { on }) };
      }
    }
  });
}
