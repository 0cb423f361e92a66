/**
 * The namespace EPAs run in, on a real Temporal server: registered with its retention (how long a
 * closed EPA's history, with the personal data in it, is kept), and the EPA search attributes.
 * Idempotent: `epa-flow migrate` runs it on every deployment.
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from './dev-server';
import { epaSearchAttributes } from './search-attributes';

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

export interface NamespaceReport {
  namespace: string;
  created: boolean;
  retentionDays: number;
  searchAttributesAdded: string[];
}

async function retry<T>(call: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
): Promise<NamespaceReport> {
  const retention = msToTs(retentionDays * 24 * 60 * 60 * 1000);
  let created = false;
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    if (current !== retentionDays * 86_400) {
      await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: retention } });
    }
  } catch (err) {
    if ((err as { code?: number }).code !== GRPC_NOT_FOUND) throw err;
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention });
      created = true;
    } catch (e) {
      if ((e as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw e;
    }
  }
  // A new namespace takes a moment to reach every service's cache.
  const searchAttributesAdded = await retry(() => ensureSearchAttributes(connection, namespace), 50);
  // The frontend caches each namespace's search attributes for a few seconds: wait until a query
  // naming every one of them is accepted, so the first EPA started after `migrate` is not refused.
  const query = epaSearchAttributes.map((key) => `${key.name} IS NULL`).join(' AND ');
  await retry(() => connection.workflowService.countWorkflowExecutions({ namespace, query }), 150);
  return { namespace, created, retentionDays, searchAttributesAdded };
}
