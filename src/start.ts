/**
 * `npm start`: the main job on embedded defaults, in one process: the Temporal dev server (SQLite
 * file under the data directory, web UI on), the dev mail catcher, the EPA worker, and the API with
 * the ops dashboard. Prints the URLs; Ctrl-C stops everything cleanly; the next start resumes every
 * EPA from the same file.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildApi } from './api/server';
import { epaClientOptions, loadConfig } from './config';
import { startMailCatcher } from './dev/mail-catcher';
import { startAssessmentServiceFake } from './dev/assessment-service-fake';
import { demoCases } from './cli/demo';
import { startDevServer } from './temporal/dev-server';
import { dataConverter } from './temporal/connection';
import { Runtime } from '@temporalio/worker';
import { redactingLogger } from '../workers/logger';
import { startWorker } from '../workers/main';
import { apiOptions, firstAdmin } from './processes/local-secrets';
import { openStores } from './store/stores';
import { EpaClient } from './app/epa-client';

async function main(): Promise<void> {
  // This process decides when the worker stops (below), not the SDK's own signal handlers.
  Runtime.install({ logger: redactingLogger('WARN'), shutdownSignals: [] });
  const base = loadConfig();
  // Owner-only: the data directory holds people's names and addresses (database, outbox, sent record).
  mkdirSync(base.EPA_DATA_DIR, { recursive: true, mode: 0o700 });
  chmodSync(base.EPA_DATA_DIR, 0o700);
  const server = await startDevServer({
    dbFile: path.join(base.EPA_DATA_DIR, 'temporal.db'),
    pidFile: path.join(base.EPA_DATA_DIR, 'temporal.pid'),
    port: Number(base.TEMPORAL_ADDRESS.split(':').pop()),
    ui: true,
    uiPort: Number(new URL(base.TEMPORAL_UI_URL).port || 8233),
    namespace: base.TEMPORAL_NAMESPACE,
    synchronous: base.EPA_SQLITE_SYNCHRONOUS,
  });
  const catcher =
    !base.SMTP_URL && base.EPA_START_MAIL_CATCHER
      ? await startMailCatcher(base.outboxDir, base.EPA_MAIL_CATCHER_PORT)
      : undefined;
  // The assessment service: a local fake unless a real one is configured (never in production).
  const fake =
    !base.EPA_ASSESSMENT_SERVICE_URL && base.EPA_START_ASSESSMENT_FAKE
      ? await startAssessmentServiceFake(
          base.EPA_ASSESSMENT_FAKE_PORT,
          demoCases().map((c) => ({ uln: c.start.uln, name: c.start.apprentice.name, standard: c.start.standard })),
        )
      : undefined;
  const config = {
    ...base,
    TEMPORAL_ADDRESS: server.address,
    SMTP_URL: base.SMTP_URL ?? catcher?.url,
    ...(fake && { EPA_ASSESSMENT_SERVICE_URL: fake.url, EPA_ASSESSMENT_SERVICE_KEY: fake.key }),
  };
  const { worker, close: closeWorker, transport } = await startWorker(config);
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });

  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
  const epa = new EpaClient(client, config.TEMPORAL_TASK_QUEUE, epaClientOptions(config));
  const stores = await openStores(config, epa);
  const admin = await firstAdmin(stores.users, stores.accountAudit);
  const options = apiOptions(config, epa, stores, server.uiUrl ?? config.TEMPORAL_UI_URL);
  const api = buildApi(options);
  const apiUrl = await api.listen({ host: config.EPA_API_HOST, port: config.EPA_API_PORT });

  // Ready for Ctrl-C before saying it is running.
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await api.close();
    await stores.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await closeWorker();
    await connection.close();
    await catcher?.close();
    await fake?.close();
    await server.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  console.log(`
epa-flow is running (data: ${config.EPA_DATA_DIR})
  Staff pages    ${apiUrl}/epas        (sign in with a staff account: npx epa users list)${admin ? `\n  First admin    ${admin}` : ''}
  API            ${apiUrl}/api/epas    OpenAPI: ${apiUrl}/openapi.json
  Temporal       ${server.address}     UI: ${server.uiUrl}
  Mail           ${catcher ? `catcher ${catcher.url} → ${config.outboxDir}` : transport}
  Certificates   ${fake ? `assessment service fake ${fake.url} (for EPAOs whose rules say claimThrough: assessmentService)` : (config.EPA_ASSESSMENT_SERVICE_URL ?? 'claimed by staff (no assessment service configured)')}
  Admin token    ${options.adminTokens[0]}
  Ops token      ${options.opsTokens[0] ?? '(none)'}
Load demo EPAs:  npm run demo     Stop: Ctrl-C
`);

  const code = await server.exited;
  if (!stopping) {
    console.error(`the Temporal dev server exited unexpectedly (${code})`);
    process.exit(1);
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
