/** Walks one EPA through time on the time-skipping server: each event is sent on its own London date. */
import { addDays } from '../../src/calendar';
import type { EpaStart } from '../../src/epa/people';
import { EpaOverdue, EpaStage } from '../../src/temporal/search-attributes';
import type { EpaStatus, EpaSummary } from '../../workflows/definitions';
import { advanceTo, eventually, type Harness } from './lifecycle';
import { epaStart } from './people';

export interface Walk {
  uln: string;
  /** Advance to `date` (midday London) and record the event dated that day. */
  at(date: string, type: string, payload?: Record<string, unknown>): Promise<EpaSummary>;
  /**
   * On `date`: the gateway evidence the standard and EPAO need (001 §4, 002, 003, 004; Innovate's
   * portfolio goes in at gateway), the gateway passed, and Innovate's planning meeting booked and held (002).
   */
  passGateway(date: string): Promise<EpaSummary>;
  /** On `date`: the component's decision moderated where the plan requires it (001 §8), and its result published. */
  publish(date: string, component: string): Promise<EpaSummary>;
  /** Advance to `date` and `time` London and read the status once the workflow has caught up. */
  statusOn(date: string, time?: string): Promise<EpaStatus>;
  searchAttributes(): Promise<{ stage: string | undefined; overdue: boolean | undefined }>;
}

export async function startWalk(h: Harness, overrides: Partial<EpaStart>): Promise<Walk> {
  const input = epaStart(overrides);
  await advanceTo(h.env, input.gatewaySubmittedOn, '09:00');
  await h.epa.start(input);
  const uln = input.uln;
  const walk: Walk = {
    uln,
    async at(date, type, payload = {}) {
      await advanceTo(h.env, date);
      return await h.epa.recordEvent(uln, type, { on: date, ...payload });
    },
    async passGateway(date) {
      for (const [type, payload] of gatewaySteps(input.standard, date)) await walk.at(date, type, payload);
      return await walk.at(date, 'PlanningMeetingHeld').catch(async (err: Error) => {
        if (/holds no planning meeting|no planning meeting has been booked/.test(err.message)) return await h.epa.status(uln);
        throw err;
      });
    },
    async publish(date, component) {
      if (input.standard === 'ST0071') await walk.at(date, 'ResultModerated', { component });
      return await walk.at(date, 'ResultPublished', { component });
    },
    async statusOn(date, time = '12:00') {
      await advanceTo(h.env, date, time);
      return await h.epa.status(uln);
    },
    async searchAttributes() {
      const d = await h.epa.handle(uln).describe();
      return { stage: d.typedSearchAttributes.get(EpaStage), overdue: d.typedSearchAttributes.get(EpaOverdue) };
    },
  };
  return walk;
}

/** The admin events that take an EPA of `standard` through its gateway on `date` (before the planning meeting is held). */
export function gatewaySteps(standard: string, date: string): [string, Record<string, unknown>][] {
  if (standard === 'ST0072') {
    return [
      ['GatewayEvidenceRecorded', { englishMaths: { english: 'Level 1', maths: 'Level 1' }, employerSignOff: true }],
      ['GatewayPassed', {}],
    ];
  }
  return [
    ['PortfolioSubmitted', { pieces: 12 }],
    [
      'GatewayEvidenceRecorded',
      {
        englishMaths: { english: 'Level 2', maths: 'Level 2' },
        employerSignOff: true,
        declarationSigned: true,
        projectSynopsisAgreed: true,
        reasonableAdjustments: 'none',
      },
    ],
    ['GatewayPassed', {}],
    ['PlanningMeetingBooked', { at: `${date}T16:00` }],
  ];
}

export { eventually };

/** Takes an EPA through its gateway on `date` through any door (`record(type, payload)`): the evidence, the pass, Innovate's planning meeting. */
export async function passGatewayWith(
  record: (type: string, payload: Record<string, unknown>) => Promise<unknown>,
  standard: string,
  date: string,
): Promise<void> {
  for (const [type, payload] of gatewaySteps(standard, date)) await record(type, { on: date, ...payload });
  if (standard !== 'ST0072') await record('PlanningMeetingHeld', { on: date });
}

/** The same as raw history events (an EPA entered with its history, or an import row). */
export function gatewayHistory(standard: string, date: string): Record<string, unknown>[] {
  return [
    ...(standard === 'ST0072' ? [{ type: 'ShowcaseSubmitted', on: date, pieces: 15 }] : []), // 004 Gateway
    ...gatewaySteps(standard, date).map(([type, payload]) => ({ type, on: date, ...payload })),
    ...(standard !== 'ST0072' ? [{ type: 'PlanningMeetingHeld', on: date }] : []),
  ];
}

/**
 * An ST0071 EPA from its gateway (passed on `g`) to the certificate, as admin events dated `g + n`
 * days: every assessment booked with more than the plan's two weeks' notice (001 §5), taken,
 * graded, moderated and published, the report before the discussion, then the certificate.
 */
export function st0071ToCertificate(g: string): [string, Record<string, unknown>][] {
  const day = (n: number): string => addDays(g, n);
  const steps: [string, Record<string, unknown>][] = [
    ['AssessmentBooked', { on: day(7), component: 'observation', at: `${day(28)}T10:00` }],
    ['AssessmentBooked', { on: day(7), component: 'discussion', at: `${day(35)}T10:00` }],
    ['AssessmentBooked', { on: day(7), component: 'project', at: `${day(42)}T10:00` }],
    ['ReportSubmitted', { on: day(21), words: 2500 }],
  ];
  for (const [component, taken, grade] of [
    ['observation', 28, 'Pass'],
    ['discussion', 35, 'Distinction'],
    ['project', 42, 'Pass'],
  ] as const) {
    steps.push(
      ['AssessmentTaken', { on: day(taken), component }],
      ['GradeRecorded', { on: day(taken + 1), component, grade }],
      ['ResultModerated', { on: day(taken + 1), component }],
      ['ResultPublished', { on: day(taken + 2), component }],
    );
  }
  steps.push(['CertificateClaimed', { on: day(45) }], ['CertificateReceived', { on: day(60) }]);
  return steps;
}

/** The same up to the last published result: what a claim through the assessment service follows (no claim, no receipt). */
export const st0071ToLastResult = (g: string): [string, Record<string, unknown>][] =>
  st0071ToCertificate(g).filter(([type]) => type !== 'CertificateClaimed' && type !== 'CertificateReceived');
