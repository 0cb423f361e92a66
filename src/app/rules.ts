/**
 * The rules as people read them: which standards and EPAOs there are (`epa rules list`,
 * `GET /api/rules`) and one standard's plan with each EPAO's handling of it, every value with its
 * citation, a value no seed gives marked as an EPAO setting (`epa rules show`, `GET /api/rules/{standard}`).
 */
import { EpaInputError } from '../epa/errors';
import { gatewayEvidenceNames } from '../epa/gateway-evidence';

import { defaultGrades } from '../plans/grades';
import { describeSource, rules, shortHash, type Plan, type Policy, type RuleRegistry } from '../plans';

export interface RulesCatalogue {
  /** Where these rules were loaded from. */
  dir: string;
  /** Every plan version (newest of a standard last); `newest` marks the one new EPAs take. */
  standards: {
    standard: string;
    title: string;
    level: number;
    version: string;
    newest: boolean;
    file: string;
    hash: string;
    source: string;
    epaos: string[];
  }[];
  /** Each EPAO and the standard versions it assesses ("ST0071 v1.1"). */
  epaos: { id: string; name: string; file: string; hash: string; source: string; standards: string[] }[];
}

export function rulesCatalogue(registry: RuleRegistry = rules()): RulesCatalogue {
  const { plans, policies } = registry.loaded;
  return {
    dir: registry.dir,
    standards: plans.map((p) => ({
      standard: p.data.standard,
      title: p.data.title,
      level: p.data.level,
      version: p.data.version,
      newest: registry.plan(p.data.standard) === p,
      file: p.file,
      hash: shortHash(p.hash),
      source: p.data.source,
      epaos: policies.filter((e) => registry.assesses(e.data, p.data)).map((e) => e.data.id),
    })),
    epaos: policies.map((e) => ({
      id: e.data.id,
      name: e.data.name,
      file: e.file,
      hash: shortHash(e.hash),
      source: e.data.source,
      standards: e.data.standards.flatMap((s) => registry.versionsAssessed(e.data, s.standard).map((v) => `${s.standard} v${v}`)),
    })),
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
  /** Every version of the standard on file, oldest first. */
  versions: string[];
  /** The content hash an EPA started on this version records. */
  hash: string;
  file: string;
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
    if (c.grades || plan.grading.overall === 'points')
      lines.push({ rule: `${c.name}: graded ${(c.grades ?? defaultGrades).join(', ')}`, source: c.source });
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
      rule: overallRuleText(plan, g.overall),
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

/** How a plan (with its EPAO's choice, where the plan conflicts) reaches the overall grade, and its caps, in words. */
export function overallGradeExplanation(plan: Plan, policy: Policy): string {
  const g = plan.grading;
  const caps = [
    `a resat or retaken component is graded at most ${g.capResitAt}${g.exceptionalCircumstancesLiftCap ? ', unless the EPAO finds exceptional circumstances for the original fail' : ''}`,
    ...(g.capOverallAfterResit ? ['after any resit the overall grade is at most Pass'] : []),
  ];
  const rule = overallRuleText(plan, policy.overallGradeRule ?? g.overall).replace(/^overall: /, '');
  return `${rule[0]!.toUpperCase()}${rule.slice(1)}; ${caps.join('; ')} (${g.source}).`;
}

function overallRuleText(plan: Plan, rule: Plan['grading']['overall']): string {
  const g = plan.grading;
  if (rule === 'distinctionInEveryComponent')
    return 'overall: any Fail is a Fail; Distinction only with a Distinction in every component; otherwise Pass';
  if (rule === 'weightedDistinctionShare')
    return `overall: any Fail is a Fail; Distinction when components graded Distinction carry at least ${Math.round((g.weightedDistinctionShare ?? 1) * 100)}% of the weight; otherwise Pass`;
  const p = g.points;
  const per = Object.entries(p?.perGrade ?? {})
    .map(([grade, n]) => `${grade} ${n}`)
    .join(', ');
  const bands = [...(p?.bands ?? [])]
    .sort((a, b) => b.atLeast - a.atLeast)
    .map((b) => `${b.grade} with at least ${b.atLeast}`)
    .join('; ');
  return `overall: any Fail is a Fail; otherwise points per component grade (${per}), totalled: ${bands}; otherwise Pass`;
}

function policyLines(policy: Policy, plan: Plan): RuleLine[] {
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
  for (const o of policy.order.filter((o) => plan.components.some((c) => c.id === o.first)))
    lines.push({ rule: `${o.first} before ${o.then} (${o.strength})`, source: o.source });
  if (policy.overallGradeRule) lines.push({ rule: overallRuleText(plan, policy.overallGradeRule), source: plan.grading.source });
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

/**
 * One standard's plan (the newest version, or the one named) and each EPAO's handling of it;
 * EpaInputError for an unknown standard or version.
 */
export function describeStandard(standard: string, version?: string, registry: RuleRegistry = rules()): PlanDescription {
  const id = standard.toUpperCase();
  const versions = registry.versions(id);
  if (versions.length === 0)
    throw new EpaInputError(`unknown standard "${standard}" (one of: ${registry.standardIds.join(', ')})`, 'standard');
  const loaded = registry.plan(id, version);
  if (!loaded)
    throw new EpaInputError(
      `${id} has no version ${version} (there is ${versions.map((v) => v.data.version).join(', ')})`,
      'version',
    );
  const plan = loaded.data;
  return {
    standard: plan.standard,
    title: plan.title,
    level: plan.level,
    version: plan.version,
    versions: versions.map((v) => v.data.version),
    hash: loaded.hash,
    file: loaded.file,
    source: plan.source,
    plan: planSections(plan),
    epaos: registry.policies
      .filter((e) => registry.assesses(e, plan))
      .map((e) => ({ id: e.id, name: e.name, rules: policyLines(e, plan) })),
  };
}

/** The description as text: one line per rule, its citation in brackets. */
export function describeStandardText(d: PlanDescription): string {
  const cite = (source: string) => (source === 'EPAO setting' ? '[EPAO setting, not from the seeds]' : `[${source}]`);
  const out = [
    `${d.standard} ${d.title}, level ${d.level}, version ${d.version} [${d.source}]`,
    `  ${d.file}, ${shortHash(d.hash)}${d.versions.length > 1 ? `; versions on file: ${d.versions.join(', ')}` : ''}`,
  ];
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

/** A citation in the words of docs/rules.md: the source reference, or "EPAO setting" for a value no seed gives. */
const citeMarkdown = (source: string): string => (source === 'EPAO setting' ? 'EPAO setting, not from the seeds' : source);

/**
 * Every plan version and EPAO policy on file as Markdown: the "Standards on file" of docs/rules.md
 * section is this text (`npm run rules:docs` writes it; tests/unit/readme-rules.test.ts checks it).
 */
export function rulesMarkdown(registry: RuleRegistry = rules()): string {
  const out: string[] = [];
  for (const loaded of registry.loaded.plans) {
    const d = describeStandard(loaded.data.standard, loaded.data.version, registry);
    out.push(
      `#### ${d.standard} ${d.title}, level ${d.level}, version ${d.version}`,
      '',
      `From \`rules/${d.file}\` (${shortHash(d.hash)}), citing ${describeSource(d.source)}.`,
      '',
    );
    for (const s of d.plan) {
      out.push(`- ${s.section[0]!.toUpperCase()}${s.section.slice(1)}:`);
      for (const r of s.rules) out.push(`  - ${r.rule} (${citeMarkdown(r.source)})`);
    }
    for (const e of d.epaos) {
      out.push(`- ${e.name} (\`${e.id}\`):`);
      for (const r of e.rules) out.push(`  - ${r.rule} (${citeMarkdown(r.source)})`);
    }
    out.push('');
  }
  return out.join('\n');
}
