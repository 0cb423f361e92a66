/**
 * The production topology, for real: PostgreSQL (Debian's server), the Temporal server built from
 * go.temporal.io/server on it (persistence and SQL visibility), `epa-flow migrate`, and two
 * `epa-flow worker` processes sharing the sent record in PostgreSQL. Faults: one worker killed -9
 * while mail is being sent; PostgreSQL killed -9 and restarted; the Temporal server killed -9 and
 * restarted. After each, every EPA is where its events put it and every message due was accepted
 * by the SMTP server exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { addDays, londonDateOf } from '../../src/calendar';
import { dueNotifications } from '../../src/epa/notifications';
import { freePort } from '../../src/temporal/binaries';
import { freeServerPort } from '../../src/cluster/temporal-server';
import {
  runEpaFlowProcess,
  runMigrateProcess,
  spawnEpaFlow,
  startClusterStack,
  stopProcess,
  type ClusterStack,
} from '../../src/cluster/stack';
import { VisibilityListings } from '../../src/app/listings';
import { PgListingIndex } from '../../src/store/pg-listing-index';
import { EpaClient } from '../../src/app/epa-client';
import type { EpaSettings } from '../../workflows/definitions';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { passGatewayWith, st0071ToCertificate } from '../support/walk';

const QUEUE = 'epa-cluster';
// The EPAs here start with a gateway 90 days ago, so every entry is a late entry. With no quiet
// period (the EPAO setting's default is ten minutes) each entry's summary goes at once, so what is
// sent depends on the events' dates, not on how fast the test records them: every EPA's start
// (its gateway review missed long ago) sends its admin one summary.
const SETTINGS: EpaSettings = { deliveryTimeout: '5 seconds', deliveryRetryInterval: '1 second', lateEntryQuietSeconds: 0 };
const EPAS = 8;
let dir: string;
let stack: ClusterStack;
let smtp: TestSmtp;
let connection: Connection;
let epa: EpaClient;
const workers: ChildProcess[] = [];
const output: string[] = [];
const ulns: string[] = [];
const today = londonDateOf(Date.now());
const gateway = addDays(today, -90);

function workerEnv(name: string): Record<string, string> {
  return {
    ...stack.env,
    TEMPORAL_TASK_QUEUE: QUEUE,
    SMTP_URL: smtp.url,
    EPA_DATA_DIR: path.join(dir, name),
    EPA_DELIVERY_LEASE_SECONDS: '10',
    EPA_WORKER_LOG_LEVEL: 'WARN',
  };
}

function startWorker(name: string): ChildProcess {
  const child = spawnEpaFlow('worker', workerEnv(name), { name, output: (line) => output.push(line) });
  workers.push(child);
  return child;
}

async function connect(): Promise<void> {
  connection = await Connection.connect({ address: stack.server.address });
  epa = new EpaClient(new Client({ connection, namespace: stack.namespace }), QUEUE);
}

const keysOf = () => smtp.received.map((m) => String(m.parsed.headers.get('x-epa-key')));

/**
 * Every message each EPA's log says was sent, and every notification due now, was accepted by SMTP
 * exactly once; nothing accepted that no EPA sent; nothing twice.
 */
async function expectExactlyOnce(): Promise<{ expected: number; accepted: number }> {
  return await eventually(async () => {
    const expected = new Set<string>();
    for (const uln of ulns) {
      const status = await epa.status(uln);
      for (const n of dueNotifications(status.notifications, Date.now(), new Set())) {
        for (const role of n.to) expected.add(`epa-${uln}/${n.key}/${role}`);
      }
      for (const l of status.log) if (l.status === 'sent') expected.add(`epa-${uln}/${l.key}/${l.role}`);
      expect(status.log.filter((l) => l.status === 'failed')).toEqual([]);
    }
    const keys = keysOf();
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect([...keys].sort()).toEqual([...expected].sort());
    return { expected: expected.size, accepted: keys.length };
  }, 180_000);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-cluster-'));
  smtp = await startSmtp();
  stack = await startClusterStack({
    dir,
    pgPort: await freePort(),
    temporalPort: await freeServerPort(),
    namespace: 'epa-cluster',
  });
  await runMigrateProcess({ ...stack.env, EPA_DATA_DIR: path.join(dir, 'migrate') }, (line) => output.push(line));
  await connect();
}, 300_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
  await connection?.close();
  await stack?.stop();
  await smtp?.close();
  if (process.env.EPA_KEEP_CLUSTER_DIR !== '1') rmSync(dir, { recursive: true, force: true });
  else console.log(`cluster data kept in ${dir}`);
});

test('`epa-flow migrate` made the tables and the namespace, and is safe to run again', async () => {
  expect(output.join('\n')).toMatch(
    /schema version 7 \(applied 1 sent messages and their claims; 2 the listing index; 3 staff accounts and sessions; 4 the audit list of changes to accounts; 5 copies of the messages sent; 6 who must act on every missed deadline; 7 case owners and open tasks in the listing index\)/,
  );
  expect(output.join('\n')).toMatch(/listing index: 0 EPAs in visibility, 0 rows written or marked ended, 0 rows/);
  expect(output.join('\n')).toMatch(/namespace epa-cluster \(registered\): closed EPAs kept 90 days/);
  const again: string[] = [];
  await runMigrateProcess({ ...stack.env, EPA_DATA_DIR: path.join(dir, 'migrate') }, (line) => again.push(line));
  expect(again.join('\n')).toMatch(/schema version 7 \(up to date\)/);
  expect(again.join('\n')).toMatch(/search attributes present/);
});

test('two workers, one killed -9 while mail is being sent: every EPA completes, every due message accepted exactly once', async () => {
  const a = startWorker('worker-a');
  startWorker('worker-b');
  for (let i = 0; i < EPAS; i++) {
    const input = epaStart({ gatewaySubmittedOn: gateway });
    ulns.push(input.uln);
    await epa.start(input, SETTINGS);
  }
  // While the gateways are recorded, worker a is killed -9 with sends waiting for their 250: the
  // SMTP server holds every reply once 4 messages are in, so none of a's sends was accepted.
  const killedMidSend = (async () => {
    await eventually(async () => expect(smtp.received.length).toBeGreaterThanOrEqual(4), 120_000);
    smtp.holdAll();
    await new Promise((r) => setTimeout(r, 500));
    await stopProcess(a, 'SIGKILL');
    return smtp.releaseAll(false);
  })();
  for (const uln of ulns) await passGatewayWith((type, payload) => epa.recordEvent(uln, type, payload), 'ST0071', gateway);
  const held = await killedMidSend;
  console.log(`worker a killed -9 with ${held} sends waiting for their 250; ${smtp.received.length} messages accepted before`);
  for (const uln of ulns) {
    for (const [type, payload] of st0071ToCertificate(gateway)) await epa.recordEvent(uln, type, payload);
  }
  for (const uln of ulns) {
    expect(await epa.status(uln)).toMatchObject({ stage: 'Completed', overall: 'Pass' });
  }
  const { expected, accepted } = await expectExactlyOnce();
  // Every fact here is entered late (the gateway was 90 days ago), so no miss is announced as news:
  // each EPA sends its admin one summary of the deadlines missed before entry (issue 28).
  expect(expected).toBeGreaterThanOrEqual(EPAS);
  expect(keysOf().filter((k) => k.includes('/missedBeforeEntry:')).length).toBeGreaterThanOrEqual(EPAS);
  console.log(`${EPAS} EPAs completed; ${expected} messages due, ${accepted} accepted, none twice`);
});

test('PostgreSQL killed -9 and restarted, then the Temporal server: nothing lost, the EPAs carry on', async () => {
  // A second round of EPAs, started before the crashes and finished after them.
  const before = ulns.length;
  for (let i = 0; i < 4; i++) {
    const input = epaStart({ gatewaySubmittedOn: gateway });
    ulns.push(input.uln);
    await epa.start(input, SETTINGS);
    await passGatewayWith((type, payload) => epa.recordEvent(input.uln, type, payload), 'ST0071', gateway);
  }
  const counts = await Promise.all(ulns.map(async (uln) => (await epa.status(uln)).eventCount));

  await stack.restartPostgres('kill');
  // Everything acknowledged before the crash is still there, and the EPAs take new events.
  const afterPg = await eventually(async () => Promise.all(ulns.map(async (uln) => (await epa.status(uln)).eventCount)), 120_000);
  expect(afterPg).toEqual(counts);

  await connection.close();
  await stack.restartServer('kill');
  await connect();
  const afterServer = await eventually(
    async () => Promise.all(ulns.map(async (uln) => (await epa.status(uln)).eventCount)),
    120_000,
  );
  expect(afterServer).toEqual(counts);

  for (const uln of ulns.slice(before)) {
    for (const [type, payload] of st0071ToCertificate(gateway)) {
      await eventually(() => epa.recordEvent(uln, type, payload), 60_000);
    }
    expect((await epa.status(uln)).stage).toBe('Completed');
  }
  const { expected } = await expectExactlyOnce();
  // The shared record holds one row per accepted message, and no ULN.
  const pool = new Pool({ connectionString: stack.env.EPA_DATABASE_URL });
  pool.on('error', () => undefined);
  try {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM epa_sent_message');
    expect(Number(rows[0]!.n)).toBe(smtp.received.length);
    const dump = JSON.stringify((await pool.query('SELECT * FROM epa_sent_message')).rows);
    for (const uln of ulns) expect(dump).not.toContain(uln);
  } finally {
    await pool.end();
  }
  console.log(`after both crashes: ${ulns.length} EPAs completed, ${expected} messages due, each accepted once`);
});

test('the listing index holds every EPA as its workflow last wrote it, through the kills; the API lists from it; reindex rebuilds it', async () => {
  // Three more EPAs left at their gateway review, missed long ago: overdue, the EPAO must act.
  const waiting: string[] = [];
  for (let i = 0; i < 3; i++) {
    const input = epaStart({ gatewaySubmittedOn: addDays(gateway, -i) });
    waiting.push(input.uln);
    await epa.start(input, SETTINGS);
  }
  const pool = new Pool({ connectionString: stack.env.EPA_DATABASE_URL });
  pool.on('error', () => undefined);
  const index = new PgListingIndex(pool);
  const visibility = new VisibilityListings(epa);
  const now = Date.now();
  try {
    await eventually(async () => {
      const all = new Map((await index.all({}, 'apprentice', now)).map((r) => [r.uln, r]));
      for (const uln of ulns) expect(all.get(uln)).toMatchObject({ stage: 'Completed', running: false, overdue: false });
      for (const uln of waiting) expect(all.get(uln)).toMatchObject({ stage: 'GatewayReview', running: true, overdue: true });
    }, 120_000);
    // The two implementations give the same board (visibility as the workflows published it).
    const board = { overdue: true, running: true } as const;
    const fromIndex = await index.page(board, 'overdueSince', 1, 50);
    await eventually(async () => {
      const fromVisibility = await visibility.page(board, 'overdueSince', 1, 50, now);
      expect(fromVisibility.rows.map((r) => r.uln)).toEqual(fromIndex.rows.map((r) => r.uln));
    }, 30_000);
    expect(fromIndex.rows.map((r) => r.uln)).toEqual([...waiting].reverse()); // the oldest gateway first
    expect(fromIndex.rows.every((r) => r.mustAct === 'epaoAdmin')).toBe(true);

    // `epa-flow api` with the database lists from the index.
    const lines: string[] = [];
    const port = await freePort();
    const api = spawnEpaFlow(
      'api',
      {
        ...stack.env,
        EPA_DATA_DIR: path.join(dir, 'api'),
        EPA_API_PORT: String(port),
        EPA_ADMIN_TOKENS: 'cluster-test-admin-token-0123',
      },
      { output: (l) => lines.push(l) },
    );
    try {
      await eventually(async () => expect(lines.join('\n')).toMatch(/lists from the listing index in PostgreSQL/), 60_000);
      const res = await fetch(`http://127.0.0.1:${port}/api/epas/overdue`, {
        headers: { authorization: 'Bearer cluster-test-admin-token-0123' },
      });
      const body = (await res.json()) as { epas: { uln: string; owner: string }[] };
      expect(body.epas.map((e) => [e.uln, e.owner])).toEqual([...waiting].reverse().map((u) => [u, 'EPAO']));
    } finally {
      await stopProcess(api);
    }

    // The index lost (or a database added late): `epa-flow reindex` fills it again from visibility.
    // Visibility is eventually consistent (after the server's kill -9 its close records can lag), so
    // reindex is run once visibility shows every EPA as it is, as an operator would check first.
    await eventually(async () => {
      const seen = new Map<string, { stage: string; running: boolean }>();
      for await (const e of epa.iterate({})) seen.set(e.uln, e);
      for (const uln of ulns) expect(seen.get(uln)).toMatchObject({ stage: 'Completed', running: false });
      for (const uln of waiting) expect(seen.get(uln)).toMatchObject({ stage: 'GatewayReview', running: true });
    }, 60_000);
    await pool.query('DELETE FROM epa_listing');
    const reindexed: string[] = [];
    await runEpaFlowProcess('reindex', { ...stack.env, EPA_DATA_DIR: path.join(dir, 'reindex') }, (l) => reindexed.push(l));
    const total = ulns.length + waiting.length;
    expect(reindexed.join('\n')).toMatch(new RegExp(`listing index: ${total} EPAs in visibility, ${total} rows written`));
    const again = new Map((await index.all({}, 'apprentice', now)).map((r) => [r.uln, r]));
    for (const uln of ulns) expect(again.get(uln)).toMatchObject({ stage: 'Completed', running: false });
    for (const uln of waiting) expect(again.get(uln)).toMatchObject({ stage: 'GatewayReview', running: true, overdue: true });
    // A workflow's next write replaces the backfilled row (a higher version).
    await passGatewayWith((type, payload) => epa.recordEvent(waiting[0]!, type, payload), 'ST0071', gateway);
    await eventually(async () => {
      const row = (await index.all({ text: waiting[0]! }, 'apprentice', now))[0];
      expect(row).toMatchObject({ stage: 'InAssessment' });
    }, 30_000);
    // No contact details in the index.
    const dump = JSON.stringify((await pool.query('SELECT * FROM epa_listing')).rows);
    expect(dump).not.toMatch(/@/);
  } finally {
    await pool.end();
  }
});

test('an erasure request: refused while the EPA runs; once withdrawn, its runs leave Temporal and its row the index', async () => {
  const input = epaStart({ gatewaySubmittedOn: gateway });
  await epa.start(input, SETTINGS);
  const pool = new Pool({ connectionString: stack.env.EPA_DATABASE_URL });
  pool.on('error', () => undefined);
  const index = new PgListingIndex(pool);
  const env = { ...stack.env, EPA_DATA_DIR: path.join(dir, 'erase') };
  try {
    await eventually(async () => expect(await index.count({ text: input.uln })).toBe(1), 60_000);
    const refused: string[] = [];
    await runEpaFlowProcess('erase', env, (l) => refused.push(l), { args: [input.uln], expect: 2 });
    expect(refused.join('\n')).toMatch(/still running: record Withdrawn first/);
    expect(refused.join('\n')).not.toContain(input.apprentice.name);

    await epa.recordEvent(input.uln, 'Withdrawn', { on: today, reason: 'asked to leave the programme' });
    await eventually(async () => expect(await epa.existing(input.uln)).toBe('completed'), 60_000);
    const erased: string[] = [];
    await runEpaFlowProcess('erase', env, (l) => erased.push(l), { args: [input.uln] });
    expect(erased.join('\n')).toMatch(/deleted 1 run\(s\) of the EPA from Temporal/);
    expect(erased.join('\n')).toMatch(/deleted \d+ kept cop(y|ies) of the messages sent for it/);
    expect(erased.join('\n')).toMatch(/deleted its row from the listing index/);
    expect(await index.count({ text: input.uln })).toBe(0);
    await eventually(async () => expect(await epa.existing(input.uln)).toBeUndefined(), 60_000);
  } finally {
    await pool.end();
  }
});
