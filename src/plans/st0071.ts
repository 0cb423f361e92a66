/** Level 3 Customer Service Specialist (ST0071): seeds 000, 001 (the assessment plan) and 002. */
import type { Plan } from './schema';

export const ST0071: Plan = {
  standard: 'ST0071',
  title: 'Customer Service Specialist',
  level: 3,
  version: '1.1',
  source: '001',
  onProgrammeMinimumMonths: 12, // 001 §2 "typically 15 months"; 002 "typically at least 12 months"
  epaPeriodMonths: 3, // 001 §5: all methods within 3 months of the EPA period start
  epaPeriodSource: '001 §5',
  components: [
    {
      id: 'observation',
      name: 'Practical observation with Q&A',
      assessment: 'observation',
      durationMinutes: 60, // 60 min ±10%
      noticeWeeks: 2, // 001 §5, 002: the apprentice gets 2 weeks' notice
      source: '001 §5',
    },
    {
      id: 'project',
      name: 'Work-based project supported by an interview',
      assessment: 'project interview',
      durationMinutes: 60,
      completeWithinMonths: 2, // 001 §5: project done within 2 months of the EPA period start
      submission: {
        event: 'ReportSubmitted',
        deadlineKey: 'reportDue',
        weeksBeforeAssessment: 2, // report 2 weeks before the interview
        words: { min: 2250, max: 2750 }, // 2500 ±10%, excluding annexes
        source: '001 §5',
      },
      reworkWithinMonths: 1, // 001 §8, 002: failed project reworked within 1 month
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
        weeksBeforeAssessment: 2, // portfolio 2 weeks before the discussion
        pieces: { min: 10, max: 15 },
        source: '001 §5',
      },
      source: '001 §5',
    },
  ],
  gatewayEvidence: [
    // 001 §4: level 2 English and maths (Entry Level 3 with an EHC plan or legacy statement; BSL for English)
    { item: 'englishMaths', level: 'Level 2', source: '001 §4' },
    // 001 §4: "the employer should sign-off that the apprentice has achieved the requirements of the Assessment Gateway"
    { item: 'employerSignOff', source: '001 §4' },
  ],
  order: [{ first: 'project', then: 'discussion', strength: 'recommended', source: '001 §5' }],
  // 001 §8: "Decisions must not be confirmed until after moderation."
  moderation: { beforeResult: true, source: '001 §8' },
  grading: {
    overall: 'distinctionInEveryComponent', // 001 §8: any Fail → Fail; all three Distinction → Distinction
    capResitAt: 'Pass',
    exceptionalCircumstancesLiftCap: true, // unless the EPAO finds exceptional circumstances for the original fail
    capOverallAfterResit: false,
    source: '001 §8',
  },
  resits: { windowMonths: 12, windowFrom: 'firstFailPublished', source: '001 §8' },
};
