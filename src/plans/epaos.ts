/** EPAO policies: how each end-point assessment organisation runs the plans it assesses. */
import type { Policy } from './schema';

export const innovate: Policy = {
  id: 'innovate',
  name: 'Innovate Awarding',
  source: '002',
  standards: ['ST0071'],
  gatewaySource: '002 Gateway',
  gatewayReviewWeeks: 2, // 002 "What Happens During Gateway?"
  // 002 Portfolio of Evidence Guidance: "compiled ... which will be submitted at Gateway"
  submittedAtGateway: { events: ['PortfolioSubmitted'], source: '002 Gateway' },
  results: { workingDays: 7, from: 'eachAssessment', source: '002 Annex 2' },
  certificate: { claimWorkingDays: 15, source: '002 Annex 2', receiptExpectedWorkingDays: 30, receiptSource: 'EPAO setting' },
  observationOrder: 'notBeforeDiscussion', // 002 (and 000); 001 says the opposite: see the policy schema
  extenuatingCircumstances: { extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' }, // no seed extends the period
  bookingHours: { from: '08:00', to: '18:00', source: 'EPAO setting' }, // not in the seeds
  reminders: { daysBefore: [14, 7, 1], at: '09:00', adminAlertWorkingDaysBefore: 2 },
};

export const nqual: Policy = {
  id: 'nqual',
  name: 'NQual',
  source: '004',
  standards: ['ST0072'],
  gatewaySource: '004 Gateway',
  gatewayFormWorkingDaysBeforeFirstAssessment: 10, // 004 Gateway
  submittedAtGateway: { events: ['ShowcaseSubmitted'], source: '004 Gateway' }, // the showcase goes in with the gateway evidence
  results: { workingDays: 10, from: 'finalComponent', source: '004 Grading' },
  // 004 names no claim period: 15 working days is NQual's own setting here, not a seed rule.
  certificate: { claimWorkingDays: 15, source: 'EPAO setting', receiptExpectedWorkingDays: 30, receiptSource: 'EPAO setting' },
  observationOrder: 'none', // ST0072's plan already requires the observation before the discussion
  extenuatingCircumstances: { extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' }, // no seed extends the period
  bookingHours: { from: '08:00', to: '18:00', source: 'EPAO setting' }, // not in the seeds
  reminders: { daysBefore: [14, 7, 1], at: '09:00', adminAlertWorkingDaysBefore: 2 },
};
