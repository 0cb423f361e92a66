/** What both benchmarks share: a bounded-concurrency pool, percentiles, RSS, and the bench EPAs. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { EpaClient } from '../src/app/epa-client';
import { noopUpdate } from './noop-workflows';
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

/**
 * CPU seconds used so far by the machine's processes, by part: this process (the bench and its mail
 * catcher), the EPA workers (`workers`: their pids), PostgreSQL, the Temporal server, and any other
 * process. Two snapshots' difference says which part a phase's time went to on a CPU-bound machine.
 */
export function cpuSeconds(workers: number[]): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const out: Record<string, number> = { bench: 0, epaWorkers: 0, postgres: 0, temporalServer: 0, other: 0 };
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
    const pid = Number(name);
    const part =
      pid === process.pid
        ? 'bench'
        : workers.includes(pid)
          ? 'epaWorkers'
          : comm === 'postgres'
            ? 'postgres'
            : comm.includes('temporal')
              ? 'temporalServer'
              : 'other';
    out[part]! += seconds;
  }
  return out;
}

/** CPU seconds per part between two `cpuSeconds` snapshots. */
export function cpuBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Number((after[k]! - (before[k] ?? 0)).toFixed(1))]));
}

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

/**
 * Update latency, one EPA Update and one no-op Update in turn, on odd (not overdue) EPAs so the
 * overdue count stays N/2. An override stands in for the gateway evidence (001 §4, 002): the figure
 * is the Update's cost, not the checklist.
 */
export async function interleavedUpdates(
  epa: EpaClient,
  client: Client,
  n: number,
  samples: number,
  today: string,
): Promise<Record<string, number>> {
  const epaLatency: number[] = [];
  const noopLatency: number[] = [];
  for (let s = 0; s < samples; s++) {
    const i = sampledIndex(s, samples, n);
    let t0 = performance.now();
    await epa.recordEvent(benchUln(i), 'GatewayPassed', { on: today, override: { reason: 'benchmark' } });
    epaLatency.push(performance.now() - t0);
    t0 = performance.now();
    await client.workflow.getHandle(`noop-${i}`).executeUpdate(noopUpdate, { args: [s] });
    noopLatency.push(performance.now() - t0);
    const [epaMs, noopMs] = [epaLatency.at(-1)!, noopLatency.at(-1)!];
    if (epaMs > SLOW_MS || noopMs > SLOW_MS)
      console.log(`[bench] slow Update, sample ${s}: EPA ${epaMs.toFixed(0)} ms, no-op ${noopMs.toFixed(0)} ms`);
  }
  // A later Update of the same EPAs (an observation booked a fortnight on): each EPA's first Update
  // also records the run's first patch markers, once; this one is an EPA's everyday admin Update.
  const laterEpa: number[] = [];
  const laterNoop: number[] = [];
  const on = addDays(today, 14);
  for (let s = 0; s < samples; s++) {
    const i = sampledIndex(s, samples, n);
    let t0 = performance.now();
    await epa.recordEvent(benchUln(i), 'AssessmentBooked', {
      on: today,
      component: 'observation',
      at: `${on}T10:00`,
      override: { reason: 'benchmark' },
    });
    laterEpa.push(performance.now() - t0);
    t0 = performance.now();
    await client.workflow.getHandle(`noop-${i}`).executeUpdate(noopUpdate, { args: [samples + s] });
    laterNoop.push(performance.now() - t0);
  }
  const stalled = (xs: number[]) => xs.some((x) => x > SLOW_MS);
  return {
    ...latencyFigures('epa', epaLatency),
    ...latencyFigures('noop', noopLatency),
    updateP50Ratio: Number((pct(epaLatency, 0.5) / pct(noopLatency, 0.5)).toFixed(2)),
    updateP99Ratio: Number((pct(epaLatency, 0.99) / pct(noopLatency, 0.99)).toFixed(2)),
    // A side with an Update over 1 s stalled: its ratios measure the stall, not epa-flow (printed as the counts).
    updateStalled: stalled(epaLatency) || stalled(noopLatency) ? 1 : 0,
    ...latencyFigures('epaLater', laterEpa),
    ...latencyFigures('noopLater', laterNoop),
    laterUpdateP50Ratio: Number((pct(laterEpa, 0.5) / pct(laterNoop, 0.5)).toFixed(2)),
    laterUpdateP99Ratio: Number((pct(laterEpa, 0.99) / pct(laterNoop, 0.99)).toFixed(2)),
    laterUpdateStalled: stalled(laterEpa) || stalled(laterNoop) ? 1 : 0,
  };
}

/** The bench EPA (and no-op workflow) the s-th Update sample goes to: odd ones, spread over all N. */
export function sampledIndex(s: number, samples: number, n: number): number {
  return 2 * Math.floor((s * n) / (2 * samples)) + 1; // integer maths: (s / samples) * (n / 2) rounds 55/150·150 to 54.99…
}

const SLOW_MS = 1000;

/** One kind's Update latencies as figures: `<kind>UpdateP50ms`, P95, P99, the count over 1 s, the slowest. */
function latencyFigures(kind: string, ms: number[]): Record<string, number> {
  const fixed = (x: number) => Number(x.toFixed(1));
  return {
    [`${kind}UpdateP50ms`]: fixed(pct(ms, 0.5)),
    [`${kind}UpdateP95ms`]: fixed(pct(ms, 0.95)),
    [`${kind}UpdateP99ms`]: fixed(pct(ms, 0.99)),
    [`${kind}UpdatesOver1s`]: ms.filter((x) => x > SLOW_MS).length,
    [`${kind}UpdateMaxMs`]: fixed(Math.max(...ms)),
  };
}
