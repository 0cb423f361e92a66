/** EPAO policies: how each end-point assessment organisation runs the plans it assesses. */
import type { Policy } from './schema';

export const innovate: Policy = {
  id: 'innovate',
  name: 'Innovate Awarding',
  source: '002',
  standards: ['ST0071'],
  gatewaySource: '002 Gateway',
  gatewayReviewWeeks: 2, // 002 "What Happens During Gateway?"
  // 002 Pre-Gateway Checks: the portfolio, the project synopsis (agreed during gateway), a signed
  // declaration, reasonable adjustments declared.
  gatewayEvidence: [
    { item: 'portfolio', source: '002 Gateway' },
    { item: 'projectSynopsis', source: '002 Gateway' },
    { item: 'declaration', source: '002 Gateway' },
    { item: 'reasonableAdjustments', source: '002 Gateway' },
  ],
  // 002 Assessment Booking: a 30-minute planning meeting after gateway books the three assessments.
  planningMeeting: { minutes: 30, source: '002 Assessment Booking' },
  // No seed gives an appeal window (001 §8: appeals "managed by the EPAO"): 15 working days is this EPAO's setting.
  appeals: { lodgeWithinWorkingDays: 15, source: 'EPAO setting', basis: '001 §8' },
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
  gatewayEvidence: [{ item: 'showcase', source: '004 Gateway' }], // 004 Gateway: "Apprentice Showcase"
  // 003 and 004 say nothing of appeals: the window is this EPAO's setting, with no seed to cite.
  appeals: { lodgeWithinWorkingDays: 15, source: 'EPAO setting' },
  submittedAtGateway: { events: ['ShowcaseSubmitted'], source: '004 Gateway' }, // the showcase goes in with the gateway evidence
  results: { workingDays: 10, from: 'finalComponent', source: '004 Grading' },
  // 004 names no claim period: 15 working days is NQual's own setting here, not a seed rule.
  certificate: { claimWorkingDays: 15, source: 'EPAO setting', receiptExpectedWorkingDays: 30, receiptSource: 'EPAO setting' },
  observationOrder: 'none', // ST0072's plan already requires the observation before the discussion
  extenuatingCircumstances: { extendEpaPeriodWeeks: 0, maxExtensions: 0, source: 'EPAO setting' }, // no seed extends the period
  bookingHours: { from: '08:00', to: '18:00', source: 'EPAO setting' }, // not in the seeds
  reminders: { daysBefore: [14, 7, 1], at: '09:00', adminAlertWorkingDaysBefore: 2 },
};
