/** Foundation smoke tests on the real Temporal CLI dev server with a SQLite file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { freePort, resolveTemporalCli, waitForPort } from '../../src/temporal/binaries';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { epaSearchAttributes } from '../../src/temporal/search-attributes';
import { proceed, tagAndWait, waitForProceed } from '../support/smoke-workflows';

let dir: string;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-dev-server-'));
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/smoke-workflows') });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function withWorker<T>(server: DevServer, taskQueue: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  try {
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle });
    return await worker.runUntil(fn(new Client({ connection })));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

test('a workflow waiting for a signal survives a dev server restart on the same SQLite file', async () => {
  const dbFile = path.join(dir, 'restart.db');
  let server = await startDevServer({ dbFile });
  await withWorker(server, 'smoke-restart', async (client) => {
    await client.workflow.start(waitForProceed, { workflowId: 'smoke-restart', taskQueue: 'smoke-restart' });
  });
  await server.stop();

  server = await startDevServer({ dbFile });
  try {
    const result = await withWorker(server, 'smoke-restart', async (client) => {
      const handle = client.workflow.getHandle('smoke-restart');
      await handle.signal(proceed);
      return await handle.result();
    });
    expect(result).toBe('proceeded');
  } finally {
    await server.stop();
  }
});

test('the EPA search attributes are registered, also on a database file created without them', async () => {
  const dbFile = path.join(dir, 'bare.db');
  // Create the file with a bare dev server that registers no custom search attributes.
  const cli = resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('no Temporal CLI: run npm run setup');
  const port = await freePort();
  const bare = spawn(
    cli.path,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(port, 60_000);
  const bareConnection = await Connection.connect({ address: `127.0.0.1:${port}` });
  const before = await bareConnection.operatorService.listSearchAttributes({ namespace: 'default' });
  await bareConnection.close();
  expect(Object.keys(before.customAttributes ?? {})).not.toContain('EpaStage');
  await new Promise((resolve) => {
    bare.once('exit', resolve);
    bare.kill('SIGTERM');
  });

  const server = await startDevServer({ dbFile });
  try {
    const connection = await Connection.connect({ address: server.address });
    const after = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    await connection.close();
    for (const key of epaSearchAttributes) {
      expect(Object.keys(after.customAttributes ?? {})).toContain(key.name);
    }
  } finally {
    await server.stop();
  }
});

test('a visibility query by EpaStage finds the workflow that set it', async () => {
  const server = await startDevServer({ dbFile: path.join(dir, 'visibility.db') });
  try {
    await withWorker(server, 'smoke-visibility', async (client) => {
      await client.workflow.start(tagAndWait, {
        args: ['GatewayReview'],
        workflowId: 'smoke-visibility-1',
        taskQueue: 'smoke-visibility',
      });
      await client.workflow.start(tagAndWait, {
        args: ['InAssessment'],
        workflowId: 'smoke-visibility-2',
        taskQueue: 'smoke-visibility',
      });
      let found: string[] = [];
      for (let i = 0; i < 100 && found.length === 0; i++) {
        found = [];
        for await (const wf of client.workflow.list({ query: `EpaStage = "GatewayReview"` })) found.push(wf.workflowId);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toEqual(['smoke-visibility-1']);
    });
  } finally {
    await server.stop();
  }
});
