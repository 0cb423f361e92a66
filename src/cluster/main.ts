/**
 * `npm run cluster`: the production topology on this machine. PostgreSQL (Debian's server, its own
 * data directory), Temporal's schemas created or migrated, the real Temporal server on PostgreSQL,
 * `epa-flow migrate`, EPA_CLUSTER_WORKERS workers (default 2) and the API with the staff pages,
 * each its own process. Without SMTP_URL a dev mail catcher takes the mail. Ctrl-C stops all; the
 * next run resumes every EPA from the same data directory (EPA_CLUSTER_DIR, default `.cluster`).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { startMailCatcher } from '../dev/mail-catcher';
import { projectRoot } from '../project-root';
import { installClusterBinaries } from './binaries';
import { newPayloadKey } from '../temporal/payload-codec';
import { runMigrateProcess, spawnEpaFlow, startClusterStack, stopProcess } from './stack';

function localPayloadKey(dataDir: string): string {
  const file = path.join(dataDir, 'payload-keys');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const keys = newPayloadKey(`local-${new Date().toISOString().slice(0, 10)}`);
  writeFileSync(file, keys, { mode: 0o600 });
  return keys;
}

async function main(): Promise<void> {
  const clusterDir = path.resolve(process.env.EPA_CLUSTER_DIR ?? path.join(projectRoot(), '.cluster'));
  const pgPort = Number(process.env.EPA_PG_PORT ?? 5433);
  const workers = Number(process.env.EPA_CLUSTER_WORKERS ?? 2);
  const base = loadConfig({ ...process.env, EPA_DATA_DIR: process.env.EPA_DATA_DIR ?? path.join(clusterDir, 'app') });
  const temporalPort = Number(base.TEMPORAL_ADDRESS.split(':').pop());
  const log = (line: string): void => console.log(`[cluster] ${line}`);
  installClusterBinaries(log);
  mkdirSync(base.EPA_DATA_DIR, { recursive: true, mode: 0o700 });
  const stack = await startClusterStack({ dir: clusterDir, pgPort, temporalPort, namespace: base.TEMPORAL_NAMESPACE, log });
  const catcher = base.SMTP_URL ? undefined : await startMailCatcher(base.outboxDir, base.EPA_MAIL_CATCHER_PORT);
  const env = {
    ...stack.env,
    EPA_DATA_DIR: base.EPA_DATA_DIR,
    SMTP_URL: base.SMTP_URL ?? catcher!.url,
    // Payloads encrypted at rest: the configured keys, or one made once and kept owner-only.
    EPA_PAYLOAD_KEYS: base.EPA_PAYLOAD_KEYS ?? localPayloadKey(base.EPA_DATA_DIR),
  };
  await runMigrateProcess(env, console.log);
  const children: ChildProcess[] = [];
  for (let i = 1; i <= workers; i++) children.push(spawnEpaFlow('worker', env, { name: `worker-${i}` }));
  children.push(spawnEpaFlow('api', env, { name: 'api' }));
  console.log(`
epa-flow cluster is running (data: ${clusterDir})
  PostgreSQL     127.0.0.1:${pgPort}    (password in ${path.join(clusterDir, 'postgres', 'password')})
  Temporal       ${stack.server.address} (PostgreSQL persistence and visibility)
  Workers        ${workers} processes
  Staff pages    http://${base.EPA_API_HOST}:${base.EPA_API_PORT}/epas   (the api prints a first admin on its first start)
  Payloads       encrypted (AES-256-GCM; key in ${base.EPA_PAYLOAD_KEYS ? 'EPA_PAYLOAD_KEYS' : path.join(base.EPA_DATA_DIR, 'payload-keys')})
  Mail           ${catcher ? `catcher ${catcher.url} → ${base.outboxDir}` : 'SMTP_URL'}
Stop: Ctrl-C
`);

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping…`);
    await Promise.all(children.map((c) => stopProcess(c)));
    await catcher?.close();
    await stack.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  for (const [i, child] of children.entries()) {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[cluster] ${i < workers ? `worker-${i + 1}` : 'api'} exited (${code ?? signal})`);
        void stop('a process exited');
      }
    });
  }
}

void main().catch((err: unknown) => {
  console.error(`[cluster] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
