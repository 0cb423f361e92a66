/**
 * Backup and restore, tested once for real: EPAs under way on one cluster; its three databases
 * dumped; a fresh PostgreSQL and Temporal server restored from the dumps; every EPA resumes (its
 * events kept, new events taken, lists complete) with a worker on the new cluster.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { backupDatabases, restoreDatabases } from '../../src/cluster/backup';
import { startPostgres } from '../../src/cluster/postgres';
import { runMigrateProcess, spawnEpaFlow, startClusterStack, stopProcess, type ClusterStack } from '../../src/cluster/stack';
import { freeServerPort } from '../../src/cluster/temporal-server';
import { addDays, londonDateOf } from '../../src/calendar';
import { freePort } from '../../src/temporal/binaries';
import { EpaClient } from '../../src/app/epa-client';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { passGatewayWith } from '../support/walk';

const QUEUE = 'epa-restore';
let dir: string;
let smtp: TestSmtp;
const stacks: ClusterStack[] = [];
const workers: ChildProcess[] = [];
const connections: Connection[] = [];
const today = londonDateOf(Date.now());

async function open(stack: ClusterStack, name: string): Promise<EpaClient> {
  await runMigrateProcess({ ...stack.env, EPA_DATA_DIR: path.join(dir, `${name}-migrate`) }, () => undefined);
  workers.push(
    spawnEpaFlow(
      'worker',
      {
        ...stack.env,
        TEMPORAL_TASK_QUEUE: QUEUE,
        SMTP_URL: smtp.url,
        EPA_DATA_DIR: path.join(dir, name),
        EPA_WORKER_LOG_LEVEL: 'WARN',
      },
      { name, output: () => undefined },
    ),
  );
  const connection = await Connection.connect({ address: stack.server.address });
  connections.push(connection);
  return new EpaClient(new Client({ connection, namespace: stack.namespace }), QUEUE);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-restore-'));
  smtp = await startSmtp();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
  await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
  for (const s of stacks) await s.stop().catch(() => undefined);
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a backup of the three databases, restored into a fresh PostgreSQL and Temporal server: every EPA resumes', async () => {
  const first = await startClusterStack({
    dir: path.join(dir, 'first'),
    pgPort: await freePort(),
    temporalPort: await freeServerPort(),
    namespace: 'epa-restore',
  });
  stacks.push(first);
  const epa = await open(first, 'first-worker');
  const ulns: string[] = [];
  for (let i = 0; i < 4; i++) {
    const input = epaStart({ gatewaySubmittedOn: addDays(today, -10) });
    ulns.push(input.uln);
    await epa.start(input);
    await passGatewayWith((type, payload) => epa.recordEvent(input.uln, type, payload), 'ST0071', addDays(today, -5));
  }
  const before = await Promise.all(ulns.map((u) => epa.status(u)));
  await Promise.all(workers.map((w) => stopProcess(w)));
  const dumps = backupDatabases(first.pg, path.join(dir, 'backup'));
  expect(dumps).toHaveLength(3);
  await first.stop();
  stacks.pop();

  // A new machine: PostgreSQL initialised afresh, the dumps restored, then the stack on top.
  const port = await freePort();
  const fresh = await startPostgres({ dir: path.join(dir, 'second', 'postgres'), port });
  await restoreDatabases(fresh, path.join(dir, 'backup'));
  await fresh.stop();
  const second = await startClusterStack({
    dir: path.join(dir, 'second'),
    pgPort: port,
    temporalPort: await freeServerPort(),
    namespace: 'epa-restore',
  });
  stacks.push(second);
  const restored = await open(second, 'second-worker');
  for (const [i, uln] of ulns.entries()) {
    const status = await eventually(() => restored.status(uln), 60_000);
    expect(status.eventCount).toBe(before[i]!.eventCount);
    expect(status.stage).toBe(before[i]!.stage);
    const next = await eventually(
      () =>
        restored.recordEvent(uln, 'AssessmentBooked', { on: today, component: 'observation', at: `${addDays(today, 21)}T10:00` }),
      60_000,
    );
    expect(next.eventCount).toBe(before[i]!.eventCount + 1);
  }
  const listed = await eventually(async () => {
    const rows = await restored.list({ running: true });
    expect(rows.map((r) => r.uln).sort()).toEqual([...ulns].sort());
    return rows;
  }, 60_000);
  expect(listed).toHaveLength(4);
});
