/**
 * Demo data: invented apprentices in varied stages, dated relative to today so the dashboard shows
 * overdue rows, upcoming deadlines and every common stage on first look.
 */
import { addDays, londonDateOf } from '../calendar';
import type { EpaStart } from '../epa/people';
import { EpaAlreadyExistsError, type EpaClient } from '../temporal/epa-client';

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
        [-63, 'GatewayPassed'],
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
      events: [],
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
        [-5, 'GatewayPassed'],
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
        [-113, 'GatewayPassed'],
        [-112, 'AssessmentBooked', { component: 'observation', at: 'D-90T10:00' }],
        [-112, 'AssessmentBooked', { component: 'project', at: 'D-70T10:00' }],
        [-112, 'AssessmentBooked', { component: 'discussion', at: 'D-50T10:00' }],
        [-90, 'AssessmentTaken', { component: 'observation' }],
        [-89, 'GradeRecorded', { component: 'observation', grade: 'Distinction' }],
        [-88, 'ResultPublished', { component: 'observation' }],
        [-85, 'ReportSubmitted', { words: 2550 }],
        [-70, 'AssessmentTaken', { component: 'project' }],
        [-69, 'GradeRecorded', { component: 'project', grade: 'Pass' }],
        [-68, 'ResultPublished', { component: 'project' }],
        [-66, 'PortfolioSubmitted', { pieces: 12 }],
        [-50, 'AssessmentTaken', { component: 'discussion' }],
        [-49, 'GradeRecorded', { component: 'discussion', grade: 'Pass' }],
        [-48, 'ResultPublished', { component: 'discussion' }],
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
        [-68, 'GatewayPassed'],
        [-67, 'AssessmentBooked', { component: 'observation', at: 'D-45T10:00' }],
        [-45, 'AssessmentTaken', { component: 'observation' }],
        [-44, 'GradeRecorded', { component: 'observation', grade: 'Fail' }],
        [-42, 'ResultPublished', { component: 'observation' }],
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
    typeof v === 'string' ? v.replace(/^D([+-]\d+)T/, (_, n: string) => `${day(Number(n))}T`) : v;
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
