/**
 * Demo data: invented apprentices in varied stages, dated relative to today so the dashboard shows
 * overdue rows, upcoming deadlines and every common stage on first look.
 */
import { addDays, londonDateOf } from '../calendar';
import type { EpaStart } from '../epa/people';
import { EpaAlreadyExistsError, type EpaClient } from '../app/epa-client';

interface DemoCase {
  start: Omit<EpaStart, 'gatewaySubmittedOn' | 'epaoAdmin'> & { gatewayDay: number };
  events: [day: number, type: string, payload?: Record<string, unknown>][];
}

const employer = (organisation: string, name: string, domain: string) => ({
  organisation,
  name,
  email: `${name.split(' ')[0]!.toLowerCase()}@${domain}`,
});
const provider = { organisation: 'Northgate Training', name: 'Femi Arkwright', email: 'femi.arkwright@northgate.example' };

type DemoEvent = DemoCase['events'][number];

/** Gateway evidence (001 §4, 002 Gateway): the portfolio and every item, recorded on the submission day. */
const innovateEvidence = (day: number): DemoEvent[] => [
  [day, 'PortfolioSubmitted', { pieces: 12 }],
  [
    day,
    'GatewayEvidenceRecorded',
    {
      englishMaths: { english: 'Level 2', maths: 'Level 2' },
      employerSignOff: true,
      declarationSigned: true,
      reasonableAdjustments: 'none',
    },
  ],
];

/** Innovate: the synopsis agreed during the review, the gateway passed, the planning meeting the next day (002). */
const innovatePass = (day: number): DemoEvent[] => [
  [day, 'GatewayEvidenceRecorded', { projectSynopsisAgreed: true }],
  [day, 'GatewayPassed'],
  [day, 'PlanningMeetingBooked', { at: `D${day + 1}T09:30` }],
  [day + 1, 'PlanningMeetingHeld'],
];

/** ST0071: the decision moderated (001 §8), then the result published. */
const moderatedResult = (day: number, component: string): DemoEvent[] => [
  [day, 'ResultModerated', { component }],
  [day, 'ResultPublished', { component }],
];

export function demoCases(): DemoCase[] {
  const person = (name: string) => ({ name, email: `${name.toLowerCase().replace(/ /g, '.')}@apprentice.example` });
  return [
    {
      start: {
        uln: '9000000016',
        apprentice: person('Ada Testwell'),
        employer: employer('Brightside Lettings Ltd', 'Noor Castellan', 'brightside.example'),
        provider,
        standard: 'ST0071',
        epao: 'innovate',
        gatewayDay: -70,
      },
      events: [
        ...innovateEvidence(-70),
        ...innovatePass(-63),
        [-62, 'AssessmentBooked', { component: 'observation', at: 'D-30T10:00' }],
        [-30, 'AssessmentTaken', { component: 'observation' }],
        [-29, 'GradeRecorded', { component: 'observation', grade: 'Pass' }],
      ],
    },
    {
      start: {
        uln: '9000000024',
        apprentice: person('Bram Okafor'),
        employer: employer('Harbour Mutual', 'Lena Fairweather', 'harbour.example'),
        provider,
        standard: 'ST0071',
        epao: 'innovate',
        gatewayDay: -20,
      },
      // Under review, with the employer's sign-off, the synopsis and the adjustments not yet recorded.
      events: [
        [-20, 'PortfolioSubmitted', { pieces: 11 }],
        [-20, 'GatewayEvidenceRecorded', { englishMaths: { english: 'Level 2', maths: 'Level 2' }, declarationSigned: true }],
      ],
    },
    {
      start: {
        uln: '9000000032',
        apprentice: person('Cleo Marchetti'),
        employer: employer('Brightside Lettings Ltd', 'Noor Castellan', 'brightside.example'),
        provider,
        standard: 'ST0071',
        epao: 'innovate',
        gatewayDay: -10,
      },
      events: [
        ...innovateEvidence(-10),
        ...innovatePass(-5),
        [-4, 'AssessmentBooked', { component: 'observation', at: 'D+12T10:00' }],
        [-4, 'AssessmentBooked', { component: 'project', at: 'D+30T14:00', location: 'https://meet.example/epa-cleo' }],
        [-4, 'AssessmentBooked', { component: 'discussion', at: 'D+45T10:00' }],
      ],
    },
    {
      start: {
        uln: '9000000040',
        apprentice: person('Dev Raman'),
        employer: employer('Kestrel Foods', 'Ruth Ansell', 'kestrel.example'),
        provider,
        standard: 'ST0072',
        epao: 'nqual',
        gatewayDay: -30,
      },
      events: [
        [-30, 'ShowcaseSubmitted', { pieces: 16 }],
        [-30, 'GatewayEvidenceRecorded', { englishMaths: { english: 'Level 1', maths: 'Level 1' }, employerSignOff: true }],
        [-25, 'GatewayPassed'],
        [-24, 'AssessmentBooked', { component: 'showcase', at: 'D-10T10:00' }],
        [-10, 'AssessmentTaken', { component: 'showcase' }],
        [-9, 'GradeRecorded', { component: 'showcase', passCriteriaMet: true, distinctionCriteriaMet: 8 }],
        [-9, 'AssessmentBooked', { component: 'observation', at: 'D+12T10:00' }],
      ],
    },
    {
      start: {
        uln: '9000000059',
        apprentice: person('Esme Quayle'),
        employer: employer('Harbour Mutual', 'Lena Fairweather', 'harbour.example'),
        provider,
        standard: 'ST0071',
        epao: 'innovate',
        gatewayDay: -120,
      },
      events: [
        ...innovateEvidence(-120),
        ...innovatePass(-113),
        [-112, 'AssessmentBooked', { component: 'observation', at: 'D-90T10:00' }],
        [-112, 'AssessmentBooked', { component: 'project', at: 'D-70T10:00' }],
        [-112, 'AssessmentBooked', { component: 'discussion', at: 'D-50T10:00' }],
        [-90, 'AssessmentTaken', { component: 'observation' }],
        [-89, 'GradeRecorded', { component: 'observation', grade: 'Distinction' }],
        ...moderatedResult(-88, 'observation'),
        [-85, 'ReportSubmitted', { words: 2550 }],
        [-70, 'AssessmentTaken', { component: 'project' }],
        [-69, 'GradeRecorded', { component: 'project', grade: 'Pass' }],
        ...moderatedResult(-68, 'project'),
        [-50, 'AssessmentTaken', { component: 'discussion' }],
        [-49, 'GradeRecorded', { component: 'discussion', grade: 'Pass' }],
        ...moderatedResult(-48, 'discussion'),
      ],
    },
    {
      start: {
        uln: '9000000067',
        apprentice: person('Finn Adeyemi'),
        employer: employer('Kestrel Foods', 'Ruth Ansell', 'kestrel.example'),
        provider,
        standard: 'ST0071',
        epao: 'innovate',
        gatewayDay: -75,
      },
      events: [
        ...innovateEvidence(-75),
        ...innovatePass(-68),
        [-67, 'AssessmentBooked', { component: 'observation', at: 'D-45T10:00' }],
        [-45, 'AssessmentTaken', { component: 'observation' }],
        [-44, 'GradeRecorded', { component: 'observation', grade: 'Fail' }],
        ...moderatedResult(-42, 'observation'),
        [-3, 'AssessmentBooked', { component: 'observation', at: 'D+25T10:00' }],
      ],
    },
  ];
}

/** Starts the demo EPAs (skipping any that exist); returns their ULNs. */
export async function demo(epa: EpaClient, now: number): Promise<string[]> {
  const today = londonDateOf(now);
  const day = (n: number) => addDays(today, n);
  const resolve = (v: unknown): unknown =>
    typeof v === 'string' ? v.replace(/^D([+-]?\d+)T/, (_, n: string) => `${day(Number(n))}T`) : v;
  const started: string[] = [];
  for (const c of demoCases()) {
    const { gatewayDay, ...start } = c.start;
    try {
      await epa.start({
        ...start,
        epaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
        gatewaySubmittedOn: day(gatewayDay),
      });
    } catch (err) {
      if (err instanceof EpaAlreadyExistsError) continue;
      throw err;
    }
    for (const [n, type, payload = {}] of c.events) {
      const fields = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, resolve(v)]));
      await epa.recordEvent(start.uln, type, { on: day(n), override: { reason: 'demo data' }, ...fields });
    }
    started.push(start.uln);
  }
  return started;
}
