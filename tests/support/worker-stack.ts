/**
 * The production shape on one machine, for e2e tests: the real Temporal dev server (SQLite file), a
 * real SMTP server on loopback, and the real worker process (dist/workers/main.js: pooled SMTP
 * transport, file sent record with claims), with the worker's log kept for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { EpaClient } from '../../src/app/epa-client';
import { startSmtp, type TestSmtp } from './smtp';

export interface WorkerStack {
  dir: string;
  server: DevServer;
  smtp: TestSmtp;
  client: Client;
  epa: EpaClient;
  queue: string;
  /** What the worker process has written to its log so far. */
  workerLog(): string;
  teardown(): Promise<void>;
}

export async function startWorkerStack(queue: string, workerEnv: Record<string, string> = {}): Promise<WorkerStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${queue}-`));
  const smtp = await startSmtp();
  const server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  let log = '';
  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '../../dist/workers/main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: queue,
      SMTP_URL: smtp.url,
      EPA_DATA_DIR: path.join(dir, 'worker'),
      ...workerEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  worker.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return {
    dir,
    server,
    smtp,
    client,
    epa: new EpaClient(client, queue),
    queue,
    workerLog: () => log,
    async teardown() {
      if (worker.exitCode === null) {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.kill('SIGKILL');
        await exited;
      }
      await connection.close();
      await server.stop();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The HTTP API over an EPA client, with test tokens (each may be `name:token`). */
export function testApi(
  epa: EpaClient,
  tokens: { admin?: string[]; ops?: string[] },
  logger?: { level: string; stream: NodeJS.WritableStream },
): FastifyInstance {
  return buildApi({
    epa,
    adminTokens: tokens.admin ?? [],
    opsTokens: tokens.ops ?? [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    ...(logger && { logger }),
  });
}
