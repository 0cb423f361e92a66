/**
 * FROZEN: the rules EPAs started before rules were pinned (patch-free runs whose input has no
 * `rules`) keep deciding by: ST0071 and ST0072 version 1.1 and the Innovate and NQual policies,
 * exactly as they were compiled into the workflow then. Never edit this file: the rule files in
 * rules/ are where rules change; this copy only keeps old runs (and their recorded histories)
 * deciding as they always did. Its hashes are checked in tests/unit/rule-files.test.ts.
 */
import type { PinnedRules, Plan, Policy } from '../src/plans/schema';

const plans: Record<string, { data: Plan; hash: string }> = {
  ST0071: {
    data: {
      standard: 'ST0071',
      title: 'Customer Service Specialist',
      level: 3,
      version: '1.1',
      source: '001',
      onProgrammeMinimumMonths: 12,
      epaPeriodMonths: 3,
      epaPeriodSource: '001 §5',
      components: [
        {
          id: 'observation',
          name: 'Practical observation with Q&A',
          assessment: 'observation',
          durationMinutes: 60,
          noticeWeeks: 2,
          source: '001 §5',
        },
        {
          id: 'project',
          name: 'Work-based project supported by an interview',
          assessment: 'project interview',
          durationMinutes: 60,
          completeWithinMonths: 2,
          submission: {
            event: 'ReportSubmitted',
            deadlineKey: 'reportDue',
            weeksBeforeAssessment: 2,
            words: { min: 2250, max: 2750 },
            source: '001 §5',
          },
          reworkWithinMonths: 1,
          source: '001 §5',
        },
        {
          id: 'discussion',
          name: 'Professional discussion supported by portfolio evidence',
          assessment: 'professional discussion',
          durationMinutes: 60,
          submission: {
            event: 'PortfolioSubmitted',
            deadlineKey: 'portfolioDue',
            weeksBeforeAssessment: 2,
            pieces: { min: 10, max: 15 },
            source: '001 §5',
          },
          source: '001 §5',
        },
      ],
      gatewayEvidence: [
        { item: 'englishMaths', level: 'Level 2', source: '001 §4' },
        { item: 'employerSignOff', source: '001 §4' },
      ],
      order: [{ first: 'project', then: 'discussion', strength: 'recommended', source: '001 §5' }],
      moderation: { beforeResult: true, source: '001 §8' },
      grading: {
        overall: 'distinctionInEveryComponent',
        capResitAt: 'Pass',
        exceptionalCircumstancesLiftCap: true,
        capOverallAfterResit: false,
        source: '001 §8',
      },
      resits: { windowMonths: 12, windowFrom: 'firstFailPublished', source: '001 §8' },
    },
    hash: 'sha256:42741f5fef7d7b7258e6e5af9f8f3e1bfd0ef54b52451b285a53140ba95614fb',
  },
  ST0072: {
    data: {
      standard: 'ST0072',
      title: 'Customer Service Practitioner',
      level: 2,
      version: '1.1',
      source: '003',
      onProgrammeMinimumMonths: 12,
      epaPeriodMonths: 3,
      epaPeriodSource: '004 Gateway',
      components: [
        {
          id: 'showcase',
          name: 'Apprentice showcase',
          assessment: 'showcase interview',
          durationMinutes: 30,
          weight: 0.65,
          submission: { event: 'ShowcaseSubmitted', pieces: { min: 1, max: 20 }, source: '004 Apprentice Showcase' },
          distinctionCriteria: { of: 10, required: 7, percent: 70 },
          source: '003',
        },
        {
          id: 'observation',
          name: 'Practical observation with Q&A',
          assessment: 'observation',
          durationMinutes: 60,
          weight: 0.2,
          distinctionCriteria: { of: 5, required: 4, percent: 80 },
          source: '003',
        },
        {
          id: 'discussion',
          name: 'Professional discussion',
          assessment: 'professional discussion',
          durationMinutes: 60,
          weight: 0.15,
          distinctionCriteria: { of: 4, required: 3, percent: 75 },
          source: '003',
        },
      ],
      gatewayEvidence: [
        { item: 'englishMaths', level: 'Level 1', source: '004 Gateway' },
        { item: 'employerSignOff', source: '003' },
      ],
      order: [{ first: 'observation', then: 'discussion', strength: 'required', source: '004' }],
      grading: {
        overall: 'distinctionInEveryComponent',
        weightedDistinctionShare: 0.65,
        capResitAt: 'Pass',
        exceptionalCircumstancesLiftCap: false,
        capOverallAfterResit: true,
        source: '004 Re-sit / Re-take',
      },
      resits: { windowMonths: 6, windowFrom: 'gatewayPassed', onLapse: 'wholeEpa', source: '004 Re-sit / Re-take' },
    },
    hash: 'sha256:25500910f191951bbb3fc0def7601988a81d4dab0a2e7a06a5151f9ba32d2f40',
  },
};

const policies: Record<string, { data: Policy; hash: string }> = {
  innovate: {
    data: {
      id: 'innovate',
      name: 'Innovate Awarding',
      source: '002',
      standards: [{ standard: 'ST0071' }],
      gatewayEvidence: [
        { item: 'portfolio', source: '002 Gateway' },
        { item: 'projectSynopsis', source: '002 Gateway' },
        { item: 'declaration', source: '002 Gateway' },
        { item: 'reasonableAdjustments', source: '002 Gateway' },
      ],
      planningMeeting: { minutes: 30, source: '002 Assessment Booking' },
      appeals: { lodgeWithinWorkingDays: 15, source: 'EPAO setting', basis: '001 §8' },
      gatewaySource: '002 Gateway',
      gatewayReviewWeeks: 2,
      results: { workingDays: 7, from: 'eachAssessment', source: '002 Annex 2' },
      certificate: { claimWorkingDays: 15, source: '002 Annex 2', receiptExpectedWorkingDays: 30, receiptSource: 'EPAO setting' },
      order: [{ first: 'discussion', then: 'observation', strength: 'recommended', source: '002' }],
      extenuatingCircumstances: { extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' },
      submittedAtGateway: { events: ['PortfolioSubmitted'], source: '002 Gateway' },
      bookingHours: { from: '08:00', to: '18:00', source: 'EPAO setting' },
      reminders: { daysBefore: [14, 7, 1], at: '09:00', adminAlertWorkingDaysBefore: 2 },
    },
    hash: 'sha256:58b68912d946591457fb52d98691706fb7f22d3dc62763d058bb53f7cfec71c2',
  },
  nqual: {
    data: {
      id: 'nqual',
      name: 'NQual',
      source: '004',
      standards: [{ standard: 'ST0072' }],
      gatewayEvidence: [{ item: 'showcase', source: '004 Gateway' }],
      appeals: { lodgeWithinWorkingDays: 15, source: 'EPAO setting' },
      gatewaySource: '004 Gateway',
      gatewayFormWorkingDaysBeforeFirstAssessment: 10,
      results: { workingDays: 10, from: 'finalComponent', source: '004 Grading' },
      certificate: {
        claimWorkingDays: 15,
        source: 'EPAO setting',
        receiptExpectedWorkingDays: 30,
        receiptSource: 'EPAO setting',
      },
      order: [],
      extenuatingCircumstances: { extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' },
      submittedAtGateway: { events: ['ShowcaseSubmitted'], source: '004 Gateway' },
      bookingHours: { from: '08:00', to: '18:00', source: 'EPAO setting' },
      reminders: { daysBefore: [14, 7, 1], at: '09:00', adminAlertWorkingDaysBefore: 2 },
    },
    hash: 'sha256:0ba7bd086caf42b96c30a03e0bf9216fa257513b3352a56fd5bc302a30fc625b',
  },
};

/** The rules of a run started before pinning, or undefined for a pair that could never start. */
export function rulesBeforePinning(standard: string, epao: string): PinnedRules | undefined {
  const plan = plans[standard];
  const policy = policies[epao];
  if (!plan || !policy || !policy.data.standards.some((s) => s.standard === standard)) return undefined;
  return { plan: plan.data, policy: policy.data, planHash: plan.hash, policyHash: policy.hash };
}
