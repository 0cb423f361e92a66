/**
 * The production topology on one machine: PostgreSQL, the Temporal server on it, then epa-flow's
 * own processes (`epa-flow migrate`, workers, api), each a separate OS process configured only by
 * environment variables. Used by `npm run cluster`, the cluster tests and the cluster benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root';
import { requireClusterBinaries, type ClusterBinaries } from './binaries';
import { startPostgres, type LocalPostgres } from './postgres';
import { migrateTemporalSchemas, portsFree, startTemporalServer, type PgEndpoint, type TemporalServer } from './temporal-server';

export const APP_DATABASE = 'epa';

export interface ClusterStack {
  dir: string;
  bins: ClusterBinaries;
  pg: LocalPostgres;
  server: TemporalServer;
  namespace: string;
  /** What every epa-flow process needs to reach the stack. */
  env: Record<string, string>;
  /** Stops (or kill -9s) PostgreSQL and starts it again on the same data directory. */
  restartPostgres(how: 'stop' | 'kill'): Promise<void>;
  /** Stops (or kill -9s) the Temporal server and starts it again. */
  restartServer(how: 'stop' | 'kill'): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  dir: string;
  pgPort: number;
  temporalPort: number;
  namespace: string;
  historyShards?: number;
  log?: (line: string) => void;
}

export async function startClusterStack(options: ClusterOptions): Promise<ClusterStack> {
  const log = options.log ?? (() => undefined);
  const bins = requireClusterBinaries();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (!(await portsFree(options.temporalPort))) {
    throw new Error(
      `ports ${options.temporalPort}–${options.temporalPort + 8} are not all free (the Temporal server needs nine)`,
    );
  }
  const pgDir = path.join(options.dir, 'postgres');
  let pg = await startPostgres({ dir: pgDir, port: options.pgPort });
  log(`PostgreSQL on 127.0.0.1:${pg.port} (${pgDir})`);
  const endpoint = (): PgEndpoint => ({ host: '127.0.0.1', port: pg.port, user: pg.user, password: pg.password });
  await migrateTemporalSchemas(bins, endpoint(), log);
  await pg.ensureDatabase(APP_DATABASE);
  const serverOptions = {
    bins,
    dir: path.join(options.dir, 'temporal'),
    port: options.temporalPort,
    historyShards: options.historyShards,
  };
  let server = await startTemporalServer({ ...serverOptions, pg: endpoint() });
  log(`Temporal server ${bins.server} on ${server.address} (PostgreSQL persistence and visibility)`);
  const stack: ClusterStack = {
    dir: options.dir,
    bins,
    pg,
    server,
    namespace: options.namespace,
    env: {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: options.namespace,
      EPA_DATABASE_URL: pg.url(APP_DATABASE),
    },
    async restartPostgres(how) {
      await (how === 'kill' ? pg.kill() : pg.stop());
      pg = await startPostgres({ dir: pgDir, port: options.pgPort });
      stack.pg = pg;
    },
    async restartServer(how) {
      await (how === 'kill' ? server.kill() : server.stop());
      server = await startTemporalServer({ ...serverOptions, pg: endpoint() });
      stack.server = server;
    },
    async stop() {
      await server.stop();
      await pg.stop();
    },
  };
  return stack;
}

export type ProcessRole = 'migrate' | 'worker' | 'api' | 'reindex' | 'erase';

/** Starts `epa-flow <role>` as its own process; its output lines are prefixed with its name. */
export function spawnEpaFlow(
  role: ProcessRole,
  env: Record<string, string | undefined>,
  options: { name?: string; output?: (line: string) => void; args?: string[] } = {},
): ChildProcess {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'epa-flow.js'), role, ...(options.args ?? [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const name = options.name ?? role;
  const output = options.output ?? ((line: string) => console.log(line));
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) output(`[${name}] ${line}`);
    });
  }
  return child;
}

/** Runs `epa-flow migrate` to completion. */
export async function runMigrateProcess(env: Record<string, string | undefined>, output?: (line: string) => void): Promise<void> {
  await runEpaFlowProcess('migrate', env, output);
}

/** Runs a one-off `epa-flow <role>` (migrate, reindex, erase) to completion; its exit code (non-zero throws unless `expect` says otherwise). */
export async function runEpaFlowProcess(
  role: 'migrate' | 'reindex' | 'erase',
  env: Record<string, string | undefined>,
  output?: (line: string) => void,
  options: { args?: string[]; expect?: number } = {},
): Promise<number | null> {
  const child = spawnEpaFlow(role, env, { output, ...(options.args && { args: options.args }) });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== (options.expect ?? 0)) throw new Error(`epa-flow ${role} exited with ${code}`);
  return code;
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
