/** Level 2 Customer Service Practitioner (ST0072 / AP02): seeds 003 (standard and plan) and 004 (NQual pack). */
import type { Plan } from './schema';

export const ST0072: Plan = {
  standard: 'ST0072',
  title: 'Customer Service Practitioner',
  level: 2,
  version: '1.1',
  source: '003',
  onProgrammeMinimumMonths: 12, // 003, 004
  epaPeriodMonths: 3, // 004 Gateway: all EPA activity within 3 months of gateway
  epaPeriodSource: '004 Gateway',
  components: [
    {
      id: 'showcase',
      name: 'Apprentice showcase',
      assessment: 'showcase interview',
      durationMinutes: 30, // 20–30 minute interview
      weight: 0.65,
      submission: { event: 'ShowcaseSubmitted', pieces: { min: 1, max: 20 }, source: '004 Apprentice Showcase' },
      distinctionCriteria: { of: 10, required: 7, percent: 70 }, // 003 table, 004 Assessment Breakdown
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
      durationMinutes: 60, // at most 60 minutes
      weight: 0.15,
      distinctionCriteria: { of: 4, required: 3, percent: 75 },
      source: '003',
    },
  ],
  gatewayEvidence: [
    // 004 Gateway: "Achieved Level 1 maths and English" (Entry Level 3 with an EHC plan or legacy statement; BSL for English)
    { item: 'englishMaths', level: 'Level 1', source: '004 Gateway' },
    // 003 Assessment Gateway: the employer "will formally sign-off"; 004: "confirm ... ready for EPA via Gateway"
    { item: 'employerSignOff', source: '003' },
  ],
  // 003, 004: the discussion takes place following the observation.
  order: [{ first: 'observation', then: 'discussion', strength: 'required', source: '004' }],
  grading: {
    // Conflict (digest): 003 also speaks of a "weighted average"; 003 and 004 require a distinction in every
    // component. Default: distinctionInEveryComponent; the weights are kept for reporting.
    overall: 'distinctionInEveryComponent',
    weightedDistinctionShare: 0.65,
    capResitAt: 'Pass',
    exceptionalCircumstancesLiftCap: false,
    capOverallAfterResit: true, // 004: "a maximum EPA grade of Pass"
    source: '004 Re-sit / Re-take',
  },
  // 004: every method within a 6-month period or the whole EPA is taken again. Read as 6 months from gateway.
  // "otherwise the entire EPA will need to be resat / retaken": onLapse wholeEpa.
  resits: { windowMonths: 6, windowFrom: 'gatewayPassed', onLapse: 'wholeEpa', source: '004 Re-sit / Re-take' },
};
