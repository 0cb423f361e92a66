/** What both benchmarks share: a bounded-concurrency pool, percentiles, RSS, and the bench EPAs. */
import { readFileSync } from 'node:fs';
import { addDays, londonDateOf } from '../src/calendar';
import type { EpaStart } from '../src/epa/people';
import { ulnFrom } from '../src/epa/uln';

export async function pool<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}

export const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** The i-th bench ULN: of two neighbouring nine-digit prefixes at least one has a valid check digit. */
export function benchUln(i: number): string {
  return ulnFrom(String(500_000_000 + 2 * i)) ?? ulnFrom(String(500_000_000 + 2 * i + 1))!;
}

/** An invented apprentice; `overdue`: submitted 20 days ago, so the 2-week gateway review is missed. */
export function benchPerson(i: number, overdue: boolean): EpaStart {
  const today = londonDateOf(Date.now());
  return {
    uln: benchUln(i),
    apprentice: { name: `Bench Apprentice ${i}`, email: `apprentice${i}@bench.example` },
    employer: { organisation: `Bench Employer ${i % 50}`, name: 'Bench Manager', email: `manager${i % 50}@bench.example` },
    provider: { organisation: 'Bench Training', name: 'Bench Tutor', email: 'tutor@bench.example' },
    epaoAdmin: { name: 'EPA Admin', email: 'admin@bench.example' },
    standard: 'ST0071',
    epao: 'innovate',
    gatewaySubmittedOn: addDays(today, overdue ? -20 : -1),
  };
}
