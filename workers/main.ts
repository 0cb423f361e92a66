/**
 * The worker process: `node dist/workers/main.js` (npm start runs one in-process). Configuration from
 * the environment (see src/config.ts and docs/operations.md). Run several on more machines to scale out.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import {
  createAssessmentActivities,
  createDeliveryActivities,
  createListingActivities,
  transportFromConfig,
  type SentRecordStore,
} from '../activities';
import { databasePool, describeDatabase } from '../src/store/database';
import { requireMigrated } from '../src/store/migrations';
import { PgSentStore } from '../src/store/pg-sent-record';
import { SentStore } from '../src/store/sent-record';
import type { SentCopies } from '../activities/sent-record';
import { PgListingIndex } from '../src/store/pg-listing-index';
import { AssessmentServiceClient } from '../src/assessment/client';
import { loadConfig, type Config } from '../src/config';
import { connectionOptions, dataConverter } from '../src/temporal/connection';
import { rules } from '../src/plans';
import { createEpaWorker } from './epa-worker';
import { redactingLogger } from './logger';

export interface StartedWorker {
  worker: Worker;
  connection: NativeConnection;
  transport: string;
  /** Where sent messages are recorded: the data directory's files or PostgreSQL. */
  sentRecord: string;
  /** Where the listing index is written: PostgreSQL, or none (lists read visibility). */
  listingIndex: string;
  /** The assessment service claims go to (no key), or none. */
  assessmentService: string;
  /** Closes the connection and the database pool (after the worker has stopped). */
  close(): Promise<void>;
}

/** The sent-message record: PostgreSQL when EPA_DATABASE_URL is set (its schema migrated), else files. */
async function sentRecordFromConfig(
  config: Config,
): Promise<{ store: SentRecordStore & SentCopies; describe: string; pool?: Pool }> {
  const pool = databasePool(config);
  if (!pool) return { store: new SentStore(config.sentDir), describe: `files in ${config.sentDir}` };
  try {
    await requireMigrated(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return { store: new PgSentStore(pool), describe: `PostgreSQL ${describeDatabase(config.EPA_DATABASE_URL!)}`, pool };
}

/** The assessment service client, when its URL and key are configured (the key is never printed). */
export function assessmentClientFromConfig(config: Config): AssessmentServiceClient | undefined {
  if (!config.EPA_ASSESSMENT_SERVICE_URL || !config.EPA_ASSESSMENT_SERVICE_KEY) return undefined;
  return new AssessmentServiceClient({
    baseUrl: config.EPA_ASSESSMENT_SERVICE_URL,
    subscriptionKey: config.EPA_ASSESSMENT_SERVICE_KEY,
    timeoutMs: config.EPA_ASSESSMENT_SERVICE_TIMEOUT_SECONDS * 1000,
  });
}

export async function startWorker(config: Config): Promise<StartedWorker> {
  rules(); // the rule files, loaded and checked before the worker polls (activities cite their documents)
  const { transport, describe, concurrency } = transportFromConfig(config);
  const sent = await sentRecordFromConfig(config);
  const opts = connectionOptions(config);
  const connection = await NativeConnection.connect({
    address: opts.address,
    tls: opts.tls,
    apiKey: typeof opts.apiKey === 'string' ? opts.apiKey : undefined,
  });
  const faultMarker = process.env.EPA_FAULT_KILL_AFTER_SEND;
  const assessment = assessmentClientFromConfig(config);
  const deliveries = createDeliveryActivities({
    transport,
    from: { name: config.EPA_FROM_NAME, email: config.EPA_FROM_EMAIL },
    sent: sent.store,
    copies: sent.store,
    leaseMs: config.EPA_DELIVERY_LEASE_SECONDS * 1000,
    // Fault injection for the durability tests: die (kill -9) once, right after the first message
    // is accepted and recorded, before the activity completes.
    ...(faultMarker && {
      afterSend: () => {
        if (existsSync(faultMarker)) return;
        writeFileSync(faultMarker, String(process.pid));
        process.kill(process.pid, 'SIGKILL');
      },
    }),
  });
  // The listing index shares the sent record's database; without one, lists read visibility.
  const certificateFault = process.env.EPA_FAULT_KILL_AFTER_CERTIFICATE_CREATE;
  const activities = {
    ...deliveries,
    ...createListingActivities(sent.pool && new PgListingIndex(sent.pool)),
    ...createAssessmentActivities({
      ...(assessment && { client: assessment }),
      // Fault injection for the durability test: die (kill -9) once, between creating a certificate and submitting it.
      ...(certificateFault && {
        afterCreate: () => {
          if (existsSync(certificateFault)) return;
          writeFileSync(certificateFault, String(process.pid));
          process.kill(process.pid, 'SIGKILL');
        },
      }),
    }),
  };
  const worker = await createEpaWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities,
    maxCachedWorkflows: config.EPA_MAX_CACHED_WORKFLOWS,
    // As many deliveries at once as the transport has connections: time spent queued inside the
    // SMTP pool would count against an attempt's timeout (and once made Temporal retry live sends).
    maxConcurrentActivityTaskExecutions: concurrency,
    dataConverter: dataConverter(config),
  });
  return {
    worker,
    connection,
    transport: describe,
    sentRecord: sent.describe,
    listingIndex: sent.pool ? 'PostgreSQL' : "none (lists read Temporal's visibility)",
    assessmentService: assessment?.describe() ?? 'none configured',
    async close() {
      await connection.close();
      await sent.pool?.end();
    },
  };
}

if (require.main === module) {
  Runtime.install({ logger: redactingLogger((process.env.EPA_WORKER_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO') });
  const config = loadConfig();
  startWorker(config)
    .then(async ({ worker, transport, sentRecord, close }) => {
      console.log(
        `epa worker on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE}/${config.TEMPORAL_TASK_QUEUE}); mail: ${transport}; sent record: ${sentRecord}`,
      );
      await worker.run();
      await close();
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
