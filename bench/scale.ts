/**
 * `npm run bench [-- --n 10000]`: how far one machine goes, on one dev server (SQLite file) in one run.
 * `npm run bench -- --cluster --n 100000`: the same questions on the production topology (bench/cluster.ts).
 *  (a) starts/second of N EPA workflows and N no-op workflows, and their ratio;
 *  (b) p50/p99 latency of an admin Update on EPAs with N running, beside a no-op Update on a trivial
 *      workflow, and their ratio;
 *  (c) time to list the overdue EPAs at N (half of them overdue);
 *  (d) the EPA worker's RSS with N running EPAs, and the workflow cache size it used.
 * Prints a table and writes bench-results/scale-<N>.json. Figures, not assertions.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { londonDateOf } from '../src/calendar';
import { startDevServer } from '../src/temporal/dev-server';
import { EpaClient } from '../src/app/epa-client';
import { benchPerson, interleavedUpdates, pct, pool, rssMiB } from './common';
import { updateCostFigures } from './update-cost';
import type { noopWorkflow } from './noop-workflows';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 1000);
const CONCURRENCY = arg('concurrency', 32);
const SAMPLES = Math.min(arg('samples', 300), N);
const CACHE = arg('cache', Math.min(N, 10_000));

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-bench-'));
  console.log(`N=${N}: dev server (SQLite WAL, synchronous=FULL) in ${dir}`);
  const server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  const worker = spawn(process.execPath, [path.resolve(__dirname, '../workers/main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      EPA_DATA_DIR: path.join(dir, 'worker'),
      EPA_MAX_CACHED_WORKFLOWS: String(CACHE),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const noopWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: 'bench-noop',
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./noop-workflows'),
      logger: new DefaultLogger('WARN'),
    }),
    maxCachedWorkflows: CACHE,
  });
  const noopRunning = noopWorker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const epa = new EpaClient(client);
  const results: Record<string, number | string> = {
    n: N,
    concurrency: CONCURRENCY,
    cpus: os.cpus().length,
    node: process.version,
    sqliteSynchronous: 'FULL',
  };
  try {
    // (a) starts per second.
    let t = Date.now();
    await pool(N, CONCURRENCY, (i) => epa.start(benchPerson(i, i % 2 === 0)));
    const epaSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    await pool(N, CONCURRENCY, (i) =>
      client.workflow.start<typeof noopWorkflow>('noopWorkflow', { taskQueue: 'bench-noop', workflowId: `noop-${i}` }),
    );
    const noopSeconds = (Date.now() - t) / 1000;
    results.epaStartsPerSecond = Math.round(N / epaSeconds);
    results.noopStartsPerSecond = Math.round(N / noopSeconds);
    results.startRatio = Number((noopSeconds / epaSeconds).toFixed(2));

    // Let every EPA run its first workflow task (search attributes, memo, timers).
    t = Date.now();
    for (;;) {
      const listed = await epa.count({ overdue: true });
      if (listed >= Math.ceil(N / 2)) break;
      if (Date.now() - t > 600_000) throw new Error(`only ${listed} EPAs overdue after 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
    results.settleSeconds = Number(((Date.now() - t) / 1000).toFixed(1));

    // (b) Update latency, one at a time, on random EPAs / no-op workflows.
    Object.assign(results, await interleavedUpdates(epa, client, N, SAMPLES, londonDateOf(Date.now())));
    Object.assign(results, await updateCostFigures(client, N, SAMPLES));

    // (c) Listing the overdue EPAs (visibility + memo; no workflow is queried).
    const times: number[] = [];
    let overdue = 0;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      overdue = (await epa.list({ overdue: true, running: true })).length;
      times.push(performance.now() - t0);
    }
    results.overdueListed = overdue;
    results.overdueListMs = Number(pct(times, 0.5).toFixed(0));

    // (d) Worker memory with N running EPAs.
    results.workerRssMiB = Number(rssMiB(worker.pid!).toFixed(0));
    results.maxCachedWorkflows = CACHE;
    results.benchProcessRssMiB = Number((process.memoryUsage().rss / 2 ** 20).toFixed(0));
  } finally {
    noopWorker.shutdown();
    await noopRunning;
    worker.kill('SIGTERM');
    await connection.close();
    await nativeConnection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: [string, string][] = [
    ['EPA starts/s', `${results.epaStartsPerSecond}`],
    ['no-op starts/s', `${results.noopStartsPerSecond}`],
    ['EPA / no-op start ratio (target ≥ 0.7)', `${results.startRatio}`],
    ['EPA Update p50 / p99 (ms)', `${results.epaUpdateP50ms} / ${results.epaUpdateP99ms}`],
    ['no-op Update p50 / p99 (ms)', `${results.noopUpdateP50ms} / ${results.noopUpdateP99ms}`],
    ['EPA / no-op Update p99 ratio (target ≤ 1.5)', `${results.updateP99Ratio}`],
    ['EPA / no-op Update p50 ratio', `${results.updateP50Ratio}`],
    ["Update's workflow task run p50 (ms): EPA / no-op", `${results.epaTaskRunP50ms} / ${results.noopTaskRunP50ms}`],
    [`list ${results.overdueListed} overdue EPAs (ms) (target < 1000 at 10,000)`, `${results.overdueListMs}`],
    ['EPA worker RSS (MiB) (target < 1024 at 10,000)', `${results.workerRssMiB}`],
    ['maxCachedWorkflows', `${results.maxCachedWorkflows}`],
    ['first tasks settled (s)', `${results.settleSeconds}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nepa-flow scale benchmark, N=${N}, ${os.cpus().length} CPUs, Node ${process.version}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const out = path.resolve(__dirname, '../../bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, `scale-${N}.json`), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench-results/scale-${N}.json`);
}

if (process.argv.includes('--cluster')) {
  // The production topology: bench/cluster.ts.
  void import('./cluster');
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
