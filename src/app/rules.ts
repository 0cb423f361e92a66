/**
 * The rules as people read them: which standards and EPAOs there are (`epa rules list`,
 * `GET /api/rules`) and one standard's plan with each EPAO's handling of it, every value with its
 * citation, a value no seed gives marked as an EPAO setting (`epa rules show`, `GET /api/rules/{standard}`).
 */
import { EpaInputError } from '../epa/errors';
import { gatewayEvidenceNames } from '../epa/gateway-evidence';
import { describeSource } from '../epa/sources';
import { plans, policies, standardIds, type Plan, type Policy } from '../plans';

export interface RulesCatalogue {
  standards: { standard: string; title: string; level: number; version: string; source: string; epaos: string[] }[];
  epaos: { id: string; name: string; source: string; standards: string[] }[];
}

export function rulesCatalogue(): RulesCatalogue {
  return {
    standards: Object.values(plans).map((p) => ({
      standard: p.standard,
      title: p.title,
      level: p.level,
      version: p.version,
      source: p.source,
      epaos: Object.values(policies)
        .filter((e) => e.standards.includes(p.standard))
        .map((e) => e.id),
    })),
    epaos: Object.values(policies).map((e) => ({ id: e.id, name: e.name, source: e.source, standards: [...e.standards] })),
  };
}

/** One rule in words, and where it comes from (a seed, or "EPAO setting"). */
export interface RuleLine {
  rule: string;
  source: string;
}

export interface PlanDescription {
  standard: string;
  title: string;
  level: number;
  version: string;
  source: string;
  plan: { section: string; rules: RuleLine[] }[];
  epaos: { id: string; name: string; rules: RuleLine[] }[];
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function planSections(plan: Plan): PlanDescription['plan'] {
  const gateway: RuleLine[] = plan.gatewayEvidence.map((e) => ({
    rule: `gateway evidence: ${gatewayEvidenceNames[e.item]}${e.level ? ` at ${e.level} (Entry Level 3 with an EHC plan or legacy statement; BSL may replace English)` : ''}`,
    source: e.source,
  }));
  const period: RuleLine[] = [
    { rule: `at least ${plural(plan.onProgrammeMinimumMonths, 'month')} on programme`, source: plan.source },
    {
      rule: `every assessment method within ${plural(plan.epaPeriodMonths, 'month')} of the gateway pass`,
      source: plan.epaPeriodSource,
    },
  ];
  const components: RuleLine[] = plan.components.flatMap((c) => {
    const lines: RuleLine[] = [
      {
        rule: `${c.name}: ${c.assessment}, ${c.durationMinutes} minutes${c.weight !== undefined ? `, weight ${Math.round(c.weight * 100)}%` : ''}`,
        source: c.source,
      },
    ];
    if (c.noticeWeeks) lines.push({ rule: `${c.name}: ${plural(c.noticeWeeks, 'week')}' notice of the date`, source: c.source });
    if (c.completeWithinMonths)
      lines.push({
        rule: `${c.name}: complete within ${plural(c.completeWithinMonths, 'month')} of the EPA period start`,
        source: c.source,
      });
    const s = c.submission;
    if (s) {
      const what = s.event.replace('Submitted', '').toLowerCase();
      const size = s.words ? `${s.words.min}–${s.words.max} words` : s.pieces ? `${s.pieces.min}–${s.pieces.max} pieces` : '';
      const when = s.weeksBeforeAssessment ? `, ${plural(s.weeksBeforeAssessment, 'week')} before the ${c.assessment}` : '';
      lines.push({ rule: `${c.name}: the ${what}${size ? ` of ${size}` : ''}${when}`, source: s.source });
    }
    if (c.distinctionCriteria) {
      const d = c.distinctionCriteria;
      lines.push({
        rule: `${c.name}: Pass with every pass criterion; Distinction with ${d.required} of ${d.of} distinction criteria as well (${d.percent}%)`,
        source: c.source,
      });
    }
    if (c.reworkWithinMonths)
      lines.push({
        rule: `${c.name}: a fail is reworked within ${plural(c.reworkWithinMonths, 'month')} of its result`,
        source: plan.resits.source,
      });
    return lines;
  });
  const order: RuleLine[] = plan.order.map((o) => ({ rule: `${o.first} before ${o.then} (${o.strength})`, source: o.source }));
  const g = plan.grading;
  const grading: RuleLine[] = [
    {
      rule:
        g.overall === 'distinctionInEveryComponent'
          ? 'overall: any Fail is a Fail; Distinction only with a Distinction in every component; otherwise Pass'
          : `overall: Distinction when components graded Distinction carry at least ${Math.round((g.weightedDistinctionShare ?? 1) * 100)}% of the weight`,
      source: g.source,
    },
    {
      rule: `a resat or retaken component is graded at most ${g.capResitAt}${g.exceptionalCircumstancesLiftCap ? ', unless the EPAO finds exceptional circumstances for the original fail' : ''}${g.capOverallAfterResit ? '; after any resit the overall grade is at most Pass' : ''}`,
      source: g.source,
    },
    ...(plan.moderation
      ? [{ rule: 'each decision is moderated by the EPAO before its result is published', source: plan.moderation.source }]
      : []),
  ];
  const r = plan.resits;
  const resits: RuleLine[] = [
    {
      rule: `resits and retakes within ${plural(r.windowMonths, 'month')} of ${r.windowFrom === 'firstFailPublished' ? 'the first failing result' : 'the gateway pass'}${r.onLapse === 'wholeEpa' ? '; after that the whole EPA is taken again' : ''}`,
      source: r.source,
    },
  ];
  return [
    { section: 'gateway', rules: gateway },
    { section: 'EPA period', rules: period },
    { section: 'assessment methods', rules: components },
    { section: 'order', rules: order },
    { section: 'grading', rules: grading },
    { section: 'resits and retakes', rules: resits },
  ];
}

function policyLines(policy: Policy): RuleLine[] {
  const lines: RuleLine[] = policy.gatewayEvidence.map((e) => ({
    rule: `gateway evidence: ${gatewayEvidenceNames[e.item]}`,
    source: e.source,
  }));
  if (policy.gatewayReviewWeeks)
    lines.push({
      rule: `the gateway reviewed within ${plural(policy.gatewayReviewWeeks, 'week')}`,
      source: policy.gatewaySource,
    });
  if (policy.gatewayFormWorkingDaysBeforeFirstAssessment)
    lines.push({
      rule: `the gateway form at least ${policy.gatewayFormWorkingDaysBeforeFirstAssessment} working days before the first assessment`,
      source: policy.gatewaySource,
    });
  if (policy.planningMeeting)
    lines.push({
      rule: `a ${policy.planningMeeting.minutes}-minute planning meeting after the gateway, before the first assessment`,
      source: policy.planningMeeting.source,
    });
  lines.push({
    rule: `results within ${policy.results.workingDays} working days of ${policy.results.from === 'eachAssessment' ? 'each assessment' : 'the final component'}`,
    source: policy.results.source,
  });
  lines.push({
    rule: `the certificate claimed within ${policy.certificate.claimWorkingDays} working days after the final result`,
    source: policy.certificate.source,
  });
  lines.push({
    rule: `the certificate chased if not received ${policy.certificate.receiptExpectedWorkingDays} working days after the claim`,
    source: policy.certificate.receiptSource,
  });
  lines.push({
    rule: `appeals lodged within ${policy.appeals.lodgeWithinWorkingDays} working days of a result${policy.appeals.basis ? ` (appeals themselves: ${describeSource(policy.appeals.basis)})` : ''}`,
    source: policy.appeals.source,
  });
  const ec = policy.extenuatingCircumstances;
  lines.push({
    rule:
      ec.extendEpaPeriodWeeks > 0
        ? `extenuating circumstances extend the EPA period by ${plural(ec.extendEpaPeriodWeeks, 'week')}, at most ${ec.maxExtensions} time(s)`
        : 'extenuating circumstances rearrange a date; they never extend the EPA period',
    source: ec.source,
  });
  if (policy.bookingHours)
    lines.push({
      rule: `assessments booked on working days, ${policy.bookingHours.from}–${policy.bookingHours.to} (otherwise a warning)`,
      source: policy.bookingHours.source,
    });
  return lines;
}

/** One standard's plan and each EPAO's handling of it; EpaInputError for an unknown standard. */
export function describeStandard(standard: string): PlanDescription {
  const plan = plans[standard.toUpperCase()];
  if (!plan) throw new EpaInputError(`unknown standard "${standard}" (one of: ${standardIds.join(', ')})`, 'standard');
  return {
    standard: plan.standard,
    title: plan.title,
    level: plan.level,
    version: plan.version,
    source: plan.source,
    plan: planSections(plan),
    epaos: Object.values(policies)
      .filter((e) => e.standards.includes(plan.standard))
      .map((e) => ({ id: e.id, name: e.name, rules: policyLines(e) })),
  };
}

/** The description as text: one line per rule, its citation in brackets. */
export function describeStandardText(d: PlanDescription): string {
  const cite = (source: string) => (source === 'EPAO setting' ? '[EPAO setting, not from the seeds]' : `[${source}]`);
  const out = [`${d.standard} ${d.title}, level ${d.level}, version ${d.version} [${d.source}]`];
  for (const s of d.plan) {
    out.push('', `${s.section}:`);
    for (const r of s.rules) out.push(`  - ${r.rule} ${cite(r.source)}`);
  }
  for (const e of d.epaos) {
    out.push('', `${e.name} (${e.id}):`);
    for (const r of e.rules) out.push(`  - ${r.rule} ${cite(r.source)}`);
  }
  return out.join('\n') + '\n';
}
