/**
 * The worker process: `node dist/workers/main.js` (npm start runs one in-process). Configuration from
 * the environment (see src/config.ts and the README). Run several on more machines to scale out.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createDeliveryActivities, SentStore, transportFromConfig } from '../activities';
import { loadConfig, type Config } from '../src/config';
import { connectionOptions } from '../src/temporal/connection';
import { rules } from '../src/plans';
import { createEpaWorker } from './epa-worker';
import { redactingLogger } from './logger';

export async function startWorker(config: Config): Promise<{ worker: Worker; connection: NativeConnection; transport: string }> {
  rules(); // the rule files, loaded and checked before the worker polls (activities cite their documents)
  const { transport, describe, concurrency } = transportFromConfig(config);
  const opts = connectionOptions(config);
  const connection = await NativeConnection.connect({
    address: opts.address,
    tls: opts.tls,
    apiKey: typeof opts.apiKey === 'string' ? opts.apiKey : undefined,
  });
  const faultMarker = process.env.EPA_FAULT_KILL_AFTER_SEND;
  const activities = createDeliveryActivities({
    transport,
    from: { name: config.EPA_FROM_NAME, email: config.EPA_FROM_EMAIL },
    sent: new SentStore(config.sentDir),
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
  const worker = await createEpaWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities,
    maxCachedWorkflows: config.EPA_MAX_CACHED_WORKFLOWS,
    // As many deliveries at once as the transport has connections: time spent queued inside the
    // SMTP pool would count against an attempt's timeout (and once made Temporal retry live sends).
    maxConcurrentActivityTaskExecutions: concurrency,
  });
  return { worker, connection, transport: describe };
}

if (require.main === module) {
  Runtime.install({ logger: redactingLogger((process.env.EPA_WORKER_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO') });
  const config = loadConfig();
  startWorker(config)
    .then(async ({ worker, transport }) => {
      console.log(
        `epa worker on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE}/${config.TEMPORAL_TASK_QUEUE}); mail: ${transport}`,
      );
      await worker.run();
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
