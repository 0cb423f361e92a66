/**
 * `npm run bench -- --cluster --n 100000`: the production topology (PostgreSQL, the real Temporal
 * server on it, two `epa-flow worker` processes sharing the sent record in PostgreSQL) at N EPAs.
 *
 *  (a) EPA / no-op start ratio, **interleaved**: batches of EPA starts and no-op starts alternate
 *      in one run, so whatever else the machine does hits both alike;
 *  (b) EPA / no-op Update p99 ratio, interleaved one by one;
 *  (c) the overdue board's first page of 50 with its total (the staff page's query), its last page,
 *      the ops board as a whole (with stage counts and the next 14 days), and the finder's name
 *      search: from the listing index in PostgreSQL (what the pages use with a database), and, side
 *      by side, from Temporal's SQL visibility by counting (the embedded default's way);
 *  (d) the full overdue CSV (every overdue EPA), from each;
 *  (e) each worker's RSS; PostgreSQL's size per workflow;
 *  (f) timers after a restart: T timer workflows due while workers and the Temporal server are
 *      down; after the restart, how long until every one has fired.
 * Prints a table and writes bench-results/cluster-<N>.json. Figures, not assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient, Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { boardCsvRows, epaLinks, findEpas, opsBoard, overdueCsv } from '../src/app/epas';
import { forgetCounts } from '../src/app/day-order';
import { VisibilityListings, type EpaListings } from '../src/app/listings';
import { PgListingIndex, rowFromListing } from '../src/store/pg-listing-index';
import { londonDateOf } from '../src/calendar';
import { freePort } from '../src/temporal/binaries';
import { freeServerPort, TEMPORAL_DATABASES } from '../src/cluster/temporal-server';
import { quiet } from '../src/cluster/postgres';
import { APP_DATABASE, runMigrateProcess, spawnEpaFlow, startClusterStack, stopProcess } from '../src/cluster/stack';
import { EpaClient } from '../src/app/epa-client';
import { applyImport, IMPORT_COLUMNS, planImport } from '../src/app/import';
import type { EpaStart } from '../src/epa/people';
import { temporal } from '@temporalio/proto';
import { benchPerson, benchUln, cpuSeconds, interleavedUpdates, pct, pool, rssMiB } from './common';
import { updateCostFigures } from './update-cost';
import { runBurst, type CaughtMail } from './burst';
import type { noopWorkflow, timerWorkflow } from './noop-workflows';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 10_000);
const CONCURRENCY = arg('concurrency', 32);
const BATCH = arg('batch', Math.min(500, N));
const SAMPLES = Math.min(arg('samples', 300), N);
const TIMERS = arg('timers', Math.min(1000, N));
const CACHE = arg('cache', 1000);
const WORKERS = arg('workers', 2);
const QUEUE = 'epa';
const NOOP_QUEUE = 'bench-noop';
const IMPORT_ROWS = arg('import', Math.min(1000, N));
const BURST = arg('burst', Math.min(1000, N));
/** Seconds from the burst's start to its minute (default: room to start and book every one, from this run's start rate). */
const BURST_LEAD = process.argv.includes('--burst-lead') ? arg('burst-lead', 0) : undefined;
const BURST_ONLY = process.argv.includes('--burst-only');

/** A bench apprentice as an import CSV line. */
function importLine(p: EpaStart): string {
  const cells: Record<(typeof IMPORT_COLUMNS)[number], string> = {
    uln: p.uln,
    apprentice_name: p.apprentice.name,
    apprentice_email: p.apprentice.email,
    employer: p.employer.organisation,
    employer_contact_name: p.employer.name,
    employer_contact_email: p.employer.email,
    provider: p.provider.organisation,
    provider_contact_name: p.provider.name,
    provider_contact_email: p.provider.email,
    standard: p.standard,
    epao: p.epao,
    gateway_submitted_on: p.gatewaySubmittedOn,
    events: '',
  };
  return IMPORT_COLUMNS.map((c) => cells[c]).join(',');
}

/** Workflow tasks waiting on a task queue (the server's approximate backlog). */
async function workflowBacklog(client: Client, namespace: string, queue: string): Promise<number> {
  const { stats } = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: queue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(stats?.approximateBacklogCount ?? 0);
}

/**
 * The mail catcher: a real SMTP server on loopback that accepts everything and keeps, of each
 * message, only its Message-ID and X-EPA-Key headers and when it was accepted (the burst's figures).
 */
async function mailCatcher(): Promise<{
  url: string;
  accepted: () => number;
  caught: () => CaughtMail[];
  close(): Promise<void>;
}> {
  const caught: CaughtMail[] = [];
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const at = Date.now();
        accepted++;
        const end = head.indexOf('\r\n\r\n');
        // The header block alone, read by mailparser (folded lines, encodings), after the 250 went out.
        void simpleParser(end >= 0 ? head.slice(0, end + 4) : head).then((parsed) => {
          caught.push({ messageId: parsed.messageId ?? '', key: String(parsed.headers.get('x-epa-key') ?? ''), at });
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  server.on('error', () => undefined); // senders killed mid-message reset their connections
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    caught: () => caught,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function median<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: Number(pct(times, 0.5).toFixed(0)), value };
}

/** Each phase's figures as they come (bench-results/cluster-N.partial.json): a long run stopped early still tells. */
function savePartial(results: Record<string, number | string>): void {
  const out = path.resolve(__dirname, '../../bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, `cluster-${N}.partial.json`), JSON.stringify(results, null, 2) + '\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-bench-cluster-'));
  const log = (line: string): void => console.log(`[bench] ${line}`);
  log(`N=${N}: PostgreSQL + Temporal server in ${dir}; ${WORKERS} EPA worker processes; batches of ${BATCH}`);
  const smtp = await mailCatcher();
  const stack = await startClusterStack({
    dir,
    pgPort: await freePort(),
    temporalPort: await freeServerPort(),
    namespace: 'epa-bench',
    log,
  });
  const env = {
    ...stack.env,
    TEMPORAL_TASK_QUEUE: QUEUE,
    SMTP_URL: smtp.url,
    EPA_DATA_DIR: path.join(dir, 'app'),
    EPA_MAX_CACHED_WORKFLOWS: String(CACHE),
    EPA_WORKER_LOG_LEVEL: 'WARN',
  };
  await runMigrateProcess(env, log);
  const startWorkers = (): ChildProcess[] =>
    Array.from({ length: WORKERS }, (_, i) => spawnEpaFlow('worker', env, { name: `worker-${i + 1}`, output: log }));
  let workers = startWorkers();
  // The no-op side as the EPA side: as many worker processes as EPA workers, each its own process
  // with the same workflow cache and the SDK's default pollers and slots (as `epa-flow worker`).
  const startNoopWorkers = async () => {
    const children = await Promise.all(Array.from({ length: WORKERS }, () => startNoopWorker()));
    return { stop: () => Promise.all(children.map((c) => c.stop())).then(() => undefined) };
  };
  const startNoopWorker = async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'noop-worker.js')], {
      env: { ...process.env, ...stack.env, BENCH_NOOP_QUEUE: NOOP_QUEUE, BENCH_NOOP_CACHE: String(CACHE) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the no-op worker exited (${code}) before it ran`)));
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        if (chunk.includes('no-op worker running')) resolve();
      });
    });
    return { stop: () => stopProcess(child) };
  };
  let noop = await startNoopWorkers();
  let connection = await Connection.connect({ address: stack.server.address });
  let client = new Client({ connection, namespace: stack.namespace });
  let epa = new EpaClient(client, QUEUE);
  const results: Record<string, number | string> = {
    n: N,
    batch: BATCH,
    concurrency: CONCURRENCY,
    workers: WORKERS,
    cpus: os.cpus().length,
    node: process.version,
    temporalServer: 'v1.32.2 on PostgreSQL 15 (persistence + SQL visibility)',
  };
  try {
    // (a) starts, interleaved: EPA batch, no-op batch, EPA batch, …
    let epaMs = 0;
    let noopMs = 0;
    const startedAt = Date.now();
    for (let from = 0; from < N; from += BATCH) {
      const size = Math.min(BATCH, N - from);
      let t0 = performance.now();
      await pool(size, CONCURRENCY, (k) => epa.start(benchPerson(from + k, (from + k) % 2 === 0)));
      epaMs += performance.now() - t0;
      t0 = performance.now();
      await pool(size, CONCURRENCY, (k) =>
        client.workflow.start<typeof noopWorkflow>('noopWorkflow', { taskQueue: NOOP_QUEUE, workflowId: `noop-${from + k}` }),
      );
      noopMs += performance.now() - t0;
      if ((from / BATCH) % 20 === 19) {
        log(`${from + size} of each started (${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
        savePartial({
          ...results,
          startedSoFar: from + size,
          epaStartsPerSecondSoFar: Math.round((from + size) / (epaMs / 1000)),
          noopStartsPerSecondSoFar: Math.round((from + size) / (noopMs / 1000)),
          startRatioSoFar: Number((noopMs / epaMs).toFixed(3)),
        });
      }
    }
    results.epaStartsPerSecond = Math.round(N / (epaMs / 1000));
    results.noopStartsPerSecond = Math.round(N / (noopMs / 1000));
    results.startRatio = Number((noopMs / epaMs).toFixed(3));
    savePartial(results);

    // Every EPA has run its first workflow task and written its row to the listing index.
    const appPool = new Pool({ connectionString: stack.env.EPA_DATABASE_URL, max: 8 });
    // An idle client's error (PostgreSQL stopped by the `finally` after a failure) must not hide that failure.
    appPool.on('error', () => undefined);
    const index = new PgListingIndex(appPool);
    const t = Date.now();
    for (;;) {
      const settled = await index.size();
      if (settled >= N) break;
      if (Date.now() - t > 3_600_000) throw new Error(`only ${settled} EPAs had run their first task after an hour`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    results.settleSeconds = Number(((Date.now() - t) / 1000).toFixed(1));
    // The no-op side's first tasks too: Updates sent while either queue still holds first tasks
    // wait behind them (what made the no-op side "stall" at 10,000 and 100,000 before).
    for (const queue of [NOOP_QUEUE, QUEUE]) {
      for (;;) {
        const backlog = await workflowBacklog(client, stack.namespace, queue);
        if (backlog === 0) break;
        if (Date.now() - t > 3_600_000) throw new Error(`${backlog} workflow tasks still queued on ${queue} after an hour`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    results.settleBothSeconds = Number(((Date.now() - t) / 1000).toFixed(1));
    savePartial(results);
    log(`settled in ${results.settleSeconds} s (EPA rows), ${results.settleBothSeconds} s (both task queues empty)`);

    // --burst-only: the starts, then the burst (g) alone, to look at the delivery path quickly.
    if (!BURST_ONLY) {
      // (b) Update latency, interleaved one by one.
      Object.assign(results, await interleavedUpdates(epa, client, N, SAMPLES, londonDateOf(Date.now())));
      Object.assign(results, await updateCostFigures(client, N, SAMPLES));
      // What the EPA's Update carries that the no-op's does not: one write of its list row (the
      // listing index's local activity), timed alone on probe rows (removed afterwards).
      const probe = (await index.all({ text: benchUln(1) }, 'apprentice', Date.now()))[0];
      if (probe) {
        const writes: number[] = [];
        const row = rowFromListing(probe);
        for (let s = 0; s < SAMPLES; s++) {
          const t0 = performance.now();
          await index.put({ row: { ...row, epaId: `bench-probe-${s}`, uln: String(9_000_000_000 + s) }, version: s + 1 });
          writes.push(performance.now() - t0);
        }
        await appPool.query("DELETE FROM epa_listing WHERE epa_id LIKE 'bench-probe-%'");
        results.indexWriteP50ms = Number(pct(writes, 0.5).toFixed(1));
        results.indexWriteP99ms = Number(pct(writes, 0.99).toFixed(1));
      }
      savePartial(results);

      // (c) The overdue board's first page with its total, its last page, the whole ops board and a
      // name search, from the index and from visibility, side by side; (d) the full overdue CSV from each.
      const now = Date.now();
      const url = epaLinks('http://epa-flow.example', (id: string) => `http://temporal.example/${id}`);
      const board = { overdue: true, running: true } as const;
      const measure = async (name: string, listings: EpaListings, cold: () => void): Promise<void> => {
        const first = await median(5, () => {
          cold();
          return listings.page(board, 'overdueSince', 1, 50, now);
        });
        results[`${name}FirstPageMs`] = first.ms;
        results[`${name}FirstPageCalls`] = first.value.calls;
        results.overdueTotal = first.value.total;
        const lastPage = Math.max(1, Math.ceil(first.value.total / 50));
        results[`${name}LastPageMs`] = (await median(3, () => listings.page(board, 'overdueSince', lastPage, 50, now))).ms;
        results[`${name}OpsBoardMs`] = (await median(3, () => opsBoard(listings, now, url, {}))).ms;
        results[`${name}NameSearchMs`] = (await median(3, () => findEpas(listings, { q: 'apprentice 12' }, now))).ms;
        savePartial(results);
        const csv = await median(3, async () => overdueCsv(await boardCsvRows(listings, now, url, {})));
        results[`${name}CsvMs`] = csv.ms;
        results[`${name}CsvRows`] = csv.value.trim().split('\n').length - 1;
        savePartial(results);
      };
      await measure('index', index, () => undefined);
      await measure('visibility', new VisibilityListings(epa), forgetCounts);
      await appPool.end();

      // (e) Memory and storage.
      results.workerRssMiB = workers.map((w) => rssMiB(w.pid!).toFixed(0)).join(' / ');
      results.maxCachedWorkflows = CACHE;
      const pg = quiet(new PgClient({ connectionString: stack.pg.url('postgres') }));
      await pg.connect();
      const sizes = await pg.query<{ datname: string; bytes: string }>(
        'SELECT datname, pg_database_size(datname)::text AS bytes FROM pg_database WHERE datname = ANY($1)',
        [[TEMPORAL_DATABASES.persistence, TEMPORAL_DATABASES.visibility, APP_DATABASE]],
      );
      await pg.end();
      const bytes = sizes.rows.reduce((sum, r) => sum + Number(r.bytes), 0);
      results.postgresMiB = Number((bytes / 2 ** 20).toFixed(0));
      results.postgresKiBPerWorkflow = Number((bytes / 1024 / (2 * N)).toFixed(1));
      savePartial(results);
      results.mailAccepted = smtp.accepted();

      // Imports: IMPORT_ROWS new apprentices from one CSV, the dry run then the apply, as `epa import` does.
      const csv = [
        IMPORT_COLUMNS.join(','),
        ...Array.from({ length: IMPORT_ROWS }, (_, k) => importLine(benchPerson(N + k, false))),
      ].join('\n');
      let t0 = performance.now();
      const plan = await planImport(csv, epa, { epaoAdmin: benchPerson(0, false).epaoAdmin });
      const planMs = performance.now() - t0;
      t0 = performance.now();
      const applied = await applyImport(plan, epa);
      const applyMs = performance.now() - t0;
      if (applied.started.length !== IMPORT_ROWS)
        throw new Error(
          `the import started ${applied.started.length} of ${IMPORT_ROWS} (${applied.failed[0]?.message ?? 'none failed'})`,
        );
      results.importRows = IMPORT_ROWS;
      results.importPlanSeconds = Number((planMs / 1000).toFixed(1));
      results.importApplySeconds = Number((applyMs / 1000).toFixed(1));
      results.importRowsPerSecond = Math.round(IMPORT_ROWS / ((planMs + applyMs) / 1000));
      results.importToStartRate = Number((results.importRowsPerSecond / (results.noopStartsPerSecond as number)).toFixed(2));
      savePartial(results);

      // (f) Timers due while everything but PostgreSQL is down.
      const dueAt = Date.now() + 20_000;
      await pool(TIMERS, CONCURRENCY, (k) =>
        client.workflow.start<typeof timerWorkflow>('timerWorkflow', {
          taskQueue: NOOP_QUEUE,
          workflowId: `timer-${k}`,
          args: [dueAt],
        }),
      );
      await Promise.all(workers.map((w) => stopProcess(w)));
      await noop.stop();
      await connection.close();
      await stack.server.stop();
      const waitMs = dueAt + 5_000 - Date.now();
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      const restart = Date.now();
      await stack.restartServer('stop');
      connection = await Connection.connect({ address: stack.server.address });
      client = new Client({ connection, namespace: stack.namespace });
      epa = new EpaClient(client, QUEUE);
      workers = startWorkers();
      noop = await startNoopWorkers();
      for (;;) {
        const fired = (await client.workflow.count('WorkflowType = "timerWorkflow" AND ExecutionStatus = "Completed"')).count;
        if (fired >= TIMERS) break;
        if (Date.now() - restart > 1_800_000)
          throw new Error(`only ${fired} of ${TIMERS} timers fired 30 minutes after the restart`);
        await new Promise((r) => setTimeout(r, 250));
      }
      results.timersAfterRestart = TIMERS;
      results.timersFiredSecondsAfterRestart = Number(((Date.now() - restart) / 1000).toFixed(1));
      savePartial(results);
    } // phases (b)–(f)

    // (g) A burst: BURST reminders due in the same minute, on EPAs started and booked for it.
    if (BURST > 0) {
      // A start and two Updates at this run's start rate, then the bookings' invites to drain
      // (two to three messages each) before the minute, so the reminders are measured alone.
      const perEpaSeconds = 3 / (results.epaStartsPerSecond as number);
      Object.assign(
        results,
        await runBurst({
          client,
          taskQueue: QUEUE,
          count: BURST,
          firstIndex: N + IMPORT_ROWS,
          leadMs: 1000 * (BURST_LEAD ?? Math.max(180, 120 + Math.ceil(6 * BURST * perEpaSeconds))),
          concurrency: CONCURRENCY,
          dir,
          caught: smtp.caught,
          cpu: () => cpuSeconds(workers.map((w) => w.pid!)),
          log,
        }),
      );
    }
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await noop.stop().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.stop();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: [string, string][] = [
    ['EPA starts/s (interleaved)', `${results.epaStartsPerSecond}`],
    ['no-op starts/s (interleaved)', `${results.noopStartsPerSecond}`],
    ['EPA / no-op start ratio (target ≥ 0.95)', `${results.startRatio}`],
    ['EPA Update p50 / p99 (ms)', `${results.epaUpdateP50ms} / ${results.epaUpdateP99ms}`],
    ['no-op Update p50 / p99 (ms)', `${results.noopUpdateP50ms} / ${results.noopUpdateP99ms}`],
    ['Update p95 (ms): EPA / no-op', `${results.epaUpdateP95ms} / ${results.noopUpdateP95ms}`],
    [
      'Updates over 1 s, slowest (ms): EPA / no-op',
      `${results.epaUpdatesOver1s}, ${results.epaUpdateMaxMs} / ${results.noopUpdatesOver1s}, ${results.noopUpdateMaxMs}`,
    ],
    ...(results.updateStalled
      ? ([
          [
            'EPA / no-op Update ratios',
            `none: a side stalled (Updates over 1 s: EPA ${results.epaUpdatesOver1s}, no-op ${results.noopUpdatesOver1s})`,
          ],
        ] as [string, string][])
      : ([
          ['EPA / no-op Update p50 ratio (target ≤ 1.2)', `${results.updateP50Ratio}`],
          ['EPA / no-op Update p99 ratio (target ≤ 1.2)', `${results.updateP99Ratio}`],
        ] as [string, string][])),
    [
      "a later Update (a booking, no patch's first marker) p50 / p99 (ms): EPA / no-op",
      `${results.epaLaterUpdateP50ms} / ${results.epaLaterUpdateP99ms}; ${results.noopLaterUpdateP50ms} / ${results.noopLaterUpdateP99ms}`,
    ],
    [
      'a later Update: EPA / no-op ratio p50 / p99 (target ≤ 1.2)',
      results.laterUpdateStalled
        ? `none: a side stalled (over 1 s: EPA ${results.epaLaterUpdatesOver1s}, no-op ${results.noopLaterUpdatesOver1s})`
        : `${results.laterUpdateP50Ratio} / ${results.laterUpdateP99Ratio}`,
    ],
    [
      "Update's workflow task run p50 / p99 (ms): EPA / no-op",
      `${results.epaTaskRunP50ms} / ${results.epaTaskRunP99ms}; ${results.noopTaskRunP50ms} / ${results.noopTaskRunP99ms}`,
    ],
    [
      "EPA Update's task: local activities, SA upserts, memo upserts, timer commands",
      `${results.epaTaskMarkers}, ${results.epaTaskSearchAttributeUpserts}, ${results.epaTaskMemoUpserts}, ${results.epaTaskTimerCommands}`,
    ],
    ['EPA Update argument / reply bytes', `${results.epaUpdateArgBytes} / ${results.epaUpdateReplyBytes}`],
    ['rules per Update, in-process (ms): admit / view', `${results.rulesAdmitMs} / ${results.rulesViewMs}`],
    [
      `import of ${results.importRows} rows: rows/s (dry run s + apply s) (target ≥ 0.5 × no-op starts/s)`,
      `${results.importRowsPerSecond} (${results.importPlanSeconds} + ${results.importApplySeconds}), ${results.importToStartRate} × no-op starts/s`,
    ],
    ['listing index write, alone, p50 / p99 (ms)', `${results.indexWriteP50ms} / ${results.indexWriteP99ms}`],
    [
      `overdue first page of 50 + total ${results.overdueTotal} (ms) (target < 300): index / visibility`,
      `${results.indexFirstPageMs} / ${results.visibilityFirstPageMs} (${results.visibilityFirstPageCalls} calls)`,
    ],
    ['overdue last page (ms): index / visibility', `${results.indexLastPageMs} / ${results.visibilityLastPageMs}`],
    [
      'ops board: page, stage counts, next 14 days (ms): index / visibility',
      `${results.indexOpsBoardMs} / ${results.visibilityOpsBoardMs}`,
    ],
    [
      'finder name search, page 1 + total (ms): index / visibility',
      `${results.indexNameSearchMs} / ${results.visibilityNameSearchMs}`,
    ],
    [
      `full overdue CSV, ${results.indexCsvRows} / ${results.visibilityCsvRows} rows (ms): index / visibility`,
      `${results.indexCsvMs} / ${results.visibilityCsvMs}`,
    ],
    ['EPA worker RSS (MiB) (target < 1024)', `${results.workerRssMiB}`],
    ['PostgreSQL (MiB) / per workflow (KiB)', `${results.postgresMiB} / ${results.postgresKiBPerWorkflow}`],
    [`${results.timersAfterRestart} timers fired after the restart (s)`, `${results.timersFiredSecondsAfterRestart}`],
    ['first tasks settled (s): EPA rows / both task queues empty', `${results.settleSeconds} / ${results.settleBothSeconds}`],
    ...(results.burstReminders !== undefined
      ? ([
          [
            `burst: reminders due at ${results.burstMinute}, messages accepted`,
            `${results.burstReminders} (${results.burstLate} booked too late), ${results.burstMessages} (${results.burstMissing} missing)`,
          ],
          [
            'burst: seconds from the minute to the first / last accepted (target all within 60)',
            `${results.burstFirstSeconds} / ${results.burstSeconds}`,
          ],
          ['burst: duplicates by Message-ID (target 0), sent early', `${results.burstDuplicates}, ${results.burstEarly}`],
          [
            'burst: lead (s); booking messages still sent after the minute (0: measured alone)',
            `${results.burstLeadSeconds}; ${results.burstBookingBacklog}`,
          ],
          [
            'burst p50 (ms): timer late; its task queued, run; delivery queued, run',
            ['timerLateMs', 'firstTaskQueuedMs', 'firstTaskRunMs', 'deliveryQueuedMs', 'deliveryRunMs']
              .map((part) => results[`burst_${part}_p50`])
              .join(' / '),
          ],
        ] as [string, string][])
      : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nepa-flow cluster benchmark, N=${N}, ${os.cpus().length} CPUs, Node ${process.version}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const out = path.resolve(__dirname, '../../bench-results');
  mkdirSync(out, { recursive: true });
  const name = `cluster-${N}${BURST_ONLY ? '-burst' : ''}.json`;
  writeFileSync(path.join(out, name), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench-results/${name}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
