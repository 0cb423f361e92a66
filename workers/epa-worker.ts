/** The EPA worker: the EPA workflow and the delivery activity on one task queue. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { EpaActivities } from '../activities/types';
import { EPA_TASK_QUEUE } from '../workflows/definitions';

export interface EpaWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: EpaActivities;
  /** A prebuilt bundle (tests build one per file); default: bundle workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  /** Payload encryption (src/temporal/payload-codec.ts). */
  dataConverter?: WorkerOptions['dataConverter'];
}

export const workflowsPath = require.resolve('../workflows');

export async function createEpaWorker(options: EpaWorkerOptions): Promise<Worker> {
  return await Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? EPA_TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: options.activities,
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.maxConcurrentWorkflowTaskExecutions !== undefined && {
      maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions,
    }),
    ...(options.maxConcurrentActivityTaskExecutions !== undefined && {
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    }),
  });
}
