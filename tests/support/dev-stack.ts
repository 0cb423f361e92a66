/** The real Temporal CLI dev server (SQLite file) with an in-process EPA worker, for e2e tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DeliveryRequest, EpaActivities } from '../../activities/types';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { EpaClient } from '../../src/app/epa-client';
import { createEpaWorker } from '../../workers/epa-worker';
import { recordingActivities } from './recording-activities';
import { epaWorkflowBundle } from './workflow-bundle';

export interface DevStack {
  dir: string;
  server: DevServer;
  client: Client;
  epa: EpaClient;
  taskQueue: string;
  deliveries: DeliveryRequest[];
  teardown(): Promise<void>;
}

/** `lateEntryQuietSeconds`: how long a late entry's summary waits after the last entry (default 1 s, not ten minutes). */
export async function startDevStack(
  options: { taskQueue?: string; activities?: EpaActivities; lateEntryQuietSeconds?: number } = {},
): Promise<DevStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-e2e-'));
  const server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  const taskQueue = options.taskQueue ?? 'epa-e2e';
  const recording = recordingActivities();
  const workflowBundle = await epaWorkflowBundle();
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const worker: Worker = await createEpaWorker({
    connection: nativeConnection,
    taskQueue,
    workflowBundle,
    activities: options.activities ?? recording.activities,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  return {
    dir,
    server,
    client,
    // npm start: EPA_LATE_ENTRY_QUIET_SECONDS.
    epa: new EpaClient(client, taskQueue, { settings: { lateEntryQuietSeconds: options.lateEntryQuietSeconds ?? 1 } }),
    taskQueue,
    deliveries: recording.deliveries,
    async teardown() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
