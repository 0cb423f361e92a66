/**
 * Benchmark: `epa plan` in-process on a 50-event ST0071 case (target: under 1 ms per evaluation,
 * excluding process start). Prints figures; asserts nothing.
 */
import { planCase } from '../src/epa';

function fiftyEventCase(): { standard: string; epao: string; events: unknown[]; asOf: string } {
  const events: Record<string, unknown>[] = [
    { type: 'GatewaySubmitted', on: '2026-11-02' },
    { type: 'GatewayRejected', on: '2026-11-09', reason: 'synopsis needs more scope' },
    { type: 'GatewaySubmitted', on: '2026-11-23' },
    { type: 'GatewayPassed', on: '2026-11-30' },
  ];
  // Reschedule the observation repeatedly (each is an invite update), then run a fail → resit cycle.
  let day = new Date(Date.UTC(2026, 11, 1));
  const next = (n: number) => {
    day = new Date(day.getTime() + n * 86400000);
    return day.toISOString().slice(0, 10);
  };
  for (let i = 0; i < 26; i++) {
    const on = next(0);
    events.push({
      type: 'AssessmentBooked',
      component: 'observation',
      on,
      at: `2027-0${1 + (i % 2)}-2${i % 8}T10:00`,
      override: { reason: 'bench' },
    });
    next(i % 2);
  }
  events.push({ type: 'AssessmentBooked', component: 'observation', on: next(1), at: '2027-02-01T10:00' });
  events.push({ type: 'AssessmentTaken', component: 'observation', on: '2027-02-01' });
  events.push({ type: 'GradeRecorded', component: 'observation', grade: 'Fail', on: '2027-02-02' });
  events.push({ type: 'ResultPublished', component: 'observation', on: '2027-02-03' });
  events.push({ type: 'ReportSubmitted', on: '2027-02-03', words: 2400 });
  events.push({ type: 'AssessmentBooked', component: 'project', on: '2027-02-03', at: '2027-02-18T10:00' });
  events.push({ type: 'PortfolioSubmitted', on: '2027-02-04', pieces: 12 });
  events.push({ type: 'AssessmentBooked', component: 'discussion', on: '2027-02-04', at: '2027-02-25T10:00' });
  events.push({ type: 'AssessmentTaken', component: 'project', on: '2027-02-18' });
  events.push({ type: 'GradeRecorded', component: 'project', grade: 'Distinction', on: '2027-02-19' });
  events.push({ type: 'ResultPublished', component: 'project', on: '2027-02-22' });
  events.push({ type: 'AssessmentTaken', component: 'discussion', on: '2027-02-25' });
  events.push({ type: 'GradeRecorded', component: 'discussion', grade: 'Pass', on: '2027-02-26' });
  events.push({ type: 'ResultPublished', component: 'discussion', on: '2027-03-01' });
  events.push({ type: 'AssessmentBooked', component: 'observation', on: '2027-04-01', at: '2027-05-04T10:00' });
  events.push({ type: 'AssessmentTaken', component: 'observation', on: '2027-05-04' });
  events.push({ type: 'GradeRecorded', component: 'observation', grade: 'Distinction', on: '2027-05-05' });
  events.push({ type: 'ResultPublished', component: 'observation', on: '2027-05-06' });
  events.push({ type: 'CertificateClaimed', on: '2027-05-10' });
  events.push({ type: 'CertificateReceived', on: '2027-06-01' });
  return { standard: 'ST0071', epao: 'innovate', events: events.slice(0, 50), asOf: '2027-06-02' };
}

const input = fiftyEventCase();
const first = planCase(input, 0);
for (let i = 0; i < 200; i++) planCase(input, 0); // warm-up (JIT, bank-holiday cache)
const rounds = 2000;
const samples: number[] = [];
for (let i = 0; i < rounds; i++) {
  const t = process.hrtime.bigint();
  planCase(input, 0);
  samples.push(Number(process.hrtime.bigint() - t) / 1e6);
}
samples.sort((a, b) => a - b);
const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
console.log(`epa plan, in process, ${input.events.length}-event ST0071 case (stage ${first.stage}, overall ${first.overall})`);
console.log(`evaluations: ${rounds}`);
console.log(`mean ${mean.toFixed(3)} ms   p50 ${pct(0.5).toFixed(3)} ms   p99 ${pct(0.99).toFixed(3)} ms   (target < 1 ms)`);
