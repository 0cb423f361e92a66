/**
 * The cluster benchmark's no-op worker, in its own process like each `epa-flow worker`, so the
 * no-op Updates it answers compete with the benchmark's client for the CPU no more than the EPA's
 * do. Configured by environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BENCH_NOOP_QUEUE,
 * BENCH_NOOP_CACHE. Stops on SIGTERM or SIGINT.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGTERM', 'SIGINT'] });
  const connection = await NativeConnection.connect({ address: need('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: need('TEMPORAL_NAMESPACE'),
    taskQueue: need('BENCH_NOOP_QUEUE'),
    workflowsPath: require.resolve('./noop-workflows'),
    maxCachedWorkflows: Number(need('BENCH_NOOP_CACHE')),
  });
  console.log('no-op worker running');
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
