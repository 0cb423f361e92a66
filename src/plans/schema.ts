/**
 * The shape of the rule files (rules/standards/*.yaml, rules/epaos/*.yaml, rules/sources.yaml):
 * assessment plans per standard version and EPAO policies, validated by zod when a process loads
 * them (load.ts). Objects are strict, so a misspelt field is refused rather than ignored. A new
 * standard or EPAO is a new data file, not a new code path.
 */
import { z } from 'zod';
import { defaultGrades, gradeNames } from './grades';

/** A source document's id (rules/sources.yaml: "001" is the ST0071 assessment plan), then optionally a section. */
export const SeedRef = z
  .string()
  .regex(/^[0-9A-Z]{3}( \S.*)?$/, 'a source document id from sources.yaml such as "001", then optionally a section: "001 §5"');
/** Where a value comes from: a seed, or the EPAO's own setting (never shown as a seed rule). */
export const SourceRef = z.union([SeedRef, z.literal('EPAO setting')]);

export const Range = z
  .object({ min: z.number().int().nonnegative(), max: z.number().int().positive() })
  .refine((r) => r.min <= r.max, {
    message: 'min must not exceed max',
  });

/** Grades, lowest first. A component is graded Fail, Pass, Distinction unless its plan lists its own (Merit too). */
export const Grade = z.enum(gradeNames);
export type Grade = z.infer<typeof Grade>;

export const SubmissionSpec = z.strictObject({
  /** Which event delivers it. */
  event: z.enum(['ReportSubmitted', 'PortfolioSubmitted', 'ShowcaseSubmitted']),
  /** Deadline key in the derived state, e.g. `reportDue`. */
  deadlineKey: z.enum(['reportDue', 'portfolioDue']).optional(),
  /** Due this many weeks before the component's assessment (none: no timing rule). */
  weeksBeforeAssessment: z.number().int().positive().optional(),
  words: Range.optional(),
  pieces: Range.optional(),
  source: SeedRef,
});

export const ComponentSpec = z.strictObject({
  id: z.string().regex(/^[a-z]+$/),
  name: z.string(),
  /** The booked event for this component (e.g. the project's interview). */
  assessment: z.string(),
  durationMinutes: z.number().int().positive(),
  /** Reporting weight (ST0072: 65/20/15); not used for grading unless the policy says so. */
  weight: z.number().min(0).max(1).optional(),
  /** Minimum notice of the booked date, in weeks (ST0071 observation: 2). */
  noticeWeeks: z.number().int().positive().optional(),
  /** The work must be complete within this many months of the EPA period start (ST0071 project: 2). */
  completeWithinMonths: z.number().int().positive().optional(),
  submission: SubmissionSpec.optional(),
  /** Component grade from criteria counts: all pass criteria, and `required` of `of` distinction criteria. */
  distinctionCriteria: z
    .object({ of: z.number().int().positive(), required: z.number().int().positive(), percent: z.number() })
    .optional(),
  /** The grades this component is given (default Fail, Pass, Distinction); Fail and Pass are always among them. */
  grades: z
    .array(Grade)
    .refine((g) => g.includes('Fail') && g.includes('Pass'), { message: 'must include Fail and Pass' })
    .refine((g) => new Set(g).size === g.length, { message: 'must not repeat a grade' })
    .optional(),
  /** A failed component of this kind is reworked (not resat) within this many months of its failing result. */
  reworkWithinMonths: z.number().int().positive().optional(),
  source: SeedRef,
});

export const OrderRule = z.strictObject({
  /** `first` should come before `then`. */
  first: z.string(),
  then: z.string(),
  /** A recommendation gives a warning; a requirement gives a violation an admin must override. */
  strength: z.enum(['recommended', 'required']),
  source: SeedRef,
});

/** What the gateway needs before it is passed (001 §4, 002 Gateway, 003, 004 Gateway). */
export const GatewayEvidenceItemId = z.enum([
  'englishMaths',
  'employerSignOff',
  'declaration',
  'projectSynopsis',
  'reasonableAdjustments',
  'portfolio',
  'showcase',
]);
export type GatewayEvidenceItemId = z.infer<typeof GatewayEvidenceItemId>;
/** English and maths levels, lowest first. */
export const EnglishMathsLevel = z.enum(['Entry Level 3', 'Level 1', 'Level 2', 'Level 3 or above']);
export type EnglishMathsLevel = z.infer<typeof EnglishMathsLevel>;
export const GatewayEvidenceItem = z.strictObject({
  item: GatewayEvidenceItemId,
  /** englishMaths: the level required (with an EHC plan or legacy statement, Entry Level 3; BSL may replace English). */
  level: EnglishMathsLevel.optional(),
  source: SeedRef,
});
export type GatewayEvidenceItem = z.infer<typeof GatewayEvidenceItem>;

export const GradeRule = z.enum(['distinctionInEveryComponent', 'weightedDistinctionShare', 'points']);

/** `points`: each component's grade scores points; the total decides the overall grade by the highest band reached. */
export const PointsRule = z.strictObject({
  perGrade: z.strictObject({
    Pass: z.number().int().nonnegative(),
    Merit: z.number().int().nonnegative().optional(),
    Distinction: z.number().int().nonnegative().optional(),
  }),
  /** Overall grades above Pass and the total each needs; below every band the EPA is a Pass. */
  bands: z.array(z.strictObject({ grade: z.enum(['Merit', 'Distinction']), atLeast: z.number().int().positive() })).min(1),
});

export const PlanSchema = z
  .strictObject({
    standard: z.string().regex(/^ST\d{4}$/, 'a standard reference such as "ST0071"'),
    title: z.string(),
    level: z.number().int().min(2).max(7),
    /** The assessment plan version (the Institute's numbering): an EPA keeps the version it started on. */
    version: z.string().regex(/^\d+\.\d+$/, 'a version such as "1.1"'),
    source: SeedRef,
    onProgrammeMinimumMonths: z.number().int().positive(),
    epaPeriodMonths: z.number().int().positive(),
    /** Where the EPA-period rule is stated. */
    epaPeriodSource: SeedRef,
    components: z.array(ComponentSpec).min(1),
    /** Gateway evidence the plan requires (the EPAO's policy may add its own). */
    gatewayEvidence: z.array(GatewayEvidenceItem),
    order: z.array(OrderRule),
    /** 001 §8: decisions "must not be confirmed until after moderation": each result moderated before it is published. */
    moderation: z.strictObject({ beforeResult: z.literal(true), source: SeedRef }).optional(),
    grading: z.strictObject({
      overall: GradeRule,
      /** For `weightedDistinctionShare`: Distinction when components graded Distinction carry at least this share of the weight. */
      weightedDistinctionShare: z.number().min(0).max(1).optional(),
      /** For `points`: the points per component grade and the bands of the total. */
      points: PointsRule.optional(),
      /** A resat or retaken component is graded at most Pass. */
      capResitAt: z.literal('Pass'),
      /** Whether exceptional circumstances for the original fail lift that cap (ST0071: yes; ST0072: no). */
      exceptionalCircumstancesLiftCap: z.boolean(),
      /** Whether any resit caps the overall EPA grade at Pass (ST0072: "maximum EPA grade of Pass"). */
      capOverallAfterResit: z.boolean(),
      source: SeedRef,
    }),
    resits: z.strictObject({
      windowMonths: z.number().int().positive(),
      /** When the window starts. */
      windowFrom: z.enum(['firstFailPublished', 'gatewayPassed']),
      /** 004: when the window lapses with a component not passed, the whole EPA is resat or retaken. */
      onLapse: z.literal('wholeEpa').optional(),
      source: SeedRef,
    }),
  })
  .superRefine((plan, ctx) => {
    const ids = plan.components.map((c) => c.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `component "${id}" is listed twice` });
    });
    const events = plan.components.map((c) => c.submission?.event);
    events.forEach((event, i) => {
      if (event && events.indexOf(event) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'submission', 'event'],
          message: `${event} already delivers another component's work`,
        });
    });
    plan.order.forEach((rule, i) => {
      for (const end of ['first', 'then'] as const)
        if (!ids.includes(rule[end]))
          ctx.addIssue({
            code: 'custom',
            path: ['order', i, end],
            message: `"${rule[end]}" is not a component (${ids.join(', ')})`,
          });
    });
    const { overall, points, weightedDistinctionShare } = plan.grading;
    if (overall === 'points') {
      if (!points) ctx.addIssue({ code: 'custom', path: ['grading', 'points'], message: 'required when overall is "points"' });
      else
        plan.components.forEach((c, i) => {
          for (const grade of c.grades ?? defaultGrades)
            if (grade !== 'Fail' && points.perGrade[grade] === undefined)
              ctx.addIssue({
                code: 'custom',
                path: ['components', i, 'grades'],
                message: `${c.id} may be graded ${grade}, which grading.points.perGrade does not score`,
              });
        });
    }
    if (overall === 'weightedDistinctionShare' && weightedDistinctionShare === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['grading', 'weightedDistinctionShare'],
        message: 'required when overall is "weightedDistinctionShare"',
      });
  });
export type Plan = z.infer<typeof PlanSchema>;
export type ComponentSpec = z.infer<typeof ComponentSpec>;

export const PolicySchema = z.strictObject({
  id: z.string().regex(/^[a-z]+$/),
  name: z.string(),
  source: SeedRef,
  /** The standards this EPAO assesses; without `versions`, every version of the standard. */
  standards: z
    .array(
      z.strictObject({
        standard: z.string().regex(/^ST\d{4}$/, 'a standard reference such as "ST0071"'),
        versions: z
          .array(z.string().regex(/^\d+\.\d+$/, 'a version such as "1.1"'))
          .min(1)
          .optional(),
      }),
    )
    .min(1),
  /** Gateway evidence this EPAO requires on top of the plan's (Innovate: declaration, synopsis, ...). */
  gatewayEvidence: z.array(GatewayEvidenceItem),
  /** 002 Assessment Booking: a planning meeting, after the gateway, books the assessments. */
  planningMeeting: z.strictObject({ minutes: z.number().int().positive(), source: SeedRef }).optional(),
  /**
   * Appeals against a published result: the seeds say the EPAO runs them (001 §8, QA; 002 Annex 2)
   * but give no window, so the window is the EPAO's setting; `basis` cites where the seeds require appeals.
   */
  appeals: z.strictObject({
    lodgeWithinWorkingDays: z.number().int().positive(),
    source: z.literal('EPAO setting'),
    basis: SeedRef.optional(),
  }),
  /** Where this EPAO states its gateway rules (review period, gateway form). */
  gatewaySource: SeedRef,
  /** Gateway review by the EPAO (Innovate: two weeks). */
  gatewayReviewWeeks: z.number().int().positive().optional(),
  /** Gateway form at least N working days before the first assessment (NQual: 10). */
  gatewayFormWorkingDaysBeforeFirstAssessment: z.number().int().positive().optional(),
  results: z.strictObject({
    workingDays: z.number().int().positive(),
    /** `eachAssessment`: `resultDue.<component>` per assessment; `finalComponent`: one `resultsDue` after the last. */
    from: z.enum(['eachAssessment', 'finalComponent']),
    source: SeedRef,
  }),
  certificate: z.strictObject({
    claimWorkingDays: z.number().int().positive(),
    /** Where the claim period comes from: a seed (Innovate: 002 Annex 2), or an EPAO setting (NQual's seed names none). */
    source: SourceRef,
    /** Not in any seed: when ops should chase a certificate not yet received (working days after the claim). */
    receiptExpectedWorkingDays: z.number().int().positive(),
    receiptSource: z.literal('EPAO setting'),
    /**
     * Who claims the certificate (an EPAO setting): `admin` (staff claim it elsewhere and record
     * CertificateClaimed and CertificateReceived), or `assessmentService` (epa-flow claims it through
     * the Department for Education's assessment service and tracks it to delivery). Default `admin`.
     */
    claimThrough: z.enum(['admin', 'assessmentService']).optional(),
  }),
  /**
   * Order rules the EPAO adds to the plan's. Conflict (digest, ST0071 order): seed 001 recommends
   * the observation *before* the discussion; seeds 000 and 002 recommend it *not before*. The
   * EPAO's own handbook decides, as one of these rules.
   */
  order: z.array(OrderRule),
  /** Conflict (digest, ST0072 overall grade): override of the plan's overall grade rule. */
  overallGradeRule: GradeRule.optional(),
  /** Resit/retake window override (months); absent: the plan's. */
  resitWindowMonths: z.number().int().positive().optional(),
  /**
   * Extenuating circumstances: whether a case extends the EPA period, by how much and how often. No
   * seed allows it (001 §5: "a maximum period of 3 months"; 001 §8 allows rearranging a date, not
   * extending the period), so it is off (0) unless an EPAO sets it: an EPAO setting.
   */
  extenuatingCircumstances: z.strictObject({
    extendEpaPeriodWeeks: z.number().int().nonnegative(),
    maxExtensions: z.number().int().nonnegative(),
    source: z.literal('EPAO setting'),
  }),
  /** Evidence handed in with the gateway submission (Innovate: the portfolio, 002; NQual: the showcase, 004): accepted from the submission on. */
  submittedAtGateway: z
    .object({ events: z.array(z.enum(['ReportSubmitted', 'PortfolioSubmitted', 'ShowcaseSubmitted'])), source: SeedRef })
    .optional(),
  /**
   * When assessments are normally booked (London times): a booking on a weekend, a bank holiday or
   * outside these hours is a warning, not a violation. Not in the seeds: an EPAO setting.
   */
  bookingHours: z
    .object({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/), source: z.literal('EPAO setting') })
    .optional(),
  /**
   * Facts entered late (a paper file typed in event by event): the admin's summary of what they show
   * waits this many minutes after the last entry (src/epa/late-entry.ts). Absent: 10. An EPAO setting.
   */
  lateEntry: z
    .strictObject({ quietMinutes: z.number().int().nonnegative().max(1440), source: z.literal('EPAO setting') })
    .optional(),
  reminders: z.strictObject({
    /** Reminders to apprentice and employer this many days before each submission deadline and assessment. */
    daysBefore: z.array(z.number().int().positive()),
    /** London time of day reminders go out. */
    at: z.string().regex(/^\d{2}:\d{2}$/),
    /** Alert the EPAO admin this many working days before a results or certificate deadline. */
    adminAlertWorkingDaysBefore: z.number().int().nonnegative(),
  }),
});
export type Policy = z.infer<typeof PolicySchema>;

/**
 * The rules an EPA runs on, fixed when it starts (its workflow input): the plan version and EPAO
 * policy as they were then, with their content hashes. Editing or adding a rule file never changes them.
 */
export interface PinnedRules {
  plan: Plan;
  policy: Policy;
  /** `sha256:…` of the plan's canonical JSON. */
  planHash: string;
  policyHash: string;
}
