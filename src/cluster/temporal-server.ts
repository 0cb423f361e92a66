/**
 * The real Temporal server (built from go.temporal.io/server, see binaries.ts) on PostgreSQL:
 * persistence and SQL visibility both `postgres12`. Schemas are created and migrated with the
 * server's own `temporal-sql-tool` and the schema files of the same version.
 *
 * Ports: the frontend's gRPC port P, then P+1 history, P+2 matching, P+3 internal worker, P+4 the
 * frontend's HTTP API, P+5…P+8 membership (ringpop) for the four services, all on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import YAML from 'yaml';
import { portInUse } from '../temporal/binaries';
import type { ClusterBinaries } from './binaries';
import { ensureDatabase, quiet } from './postgres';

export interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const TEMPORAL_DATABASES = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

type Log = (line: string) => void;

async function hasSchemaVersionTable(pg: PgEndpoint, database: string): Promise<boolean> {
  const client = quiet(new Client({ ...pg, database }));
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
    return rows[0]?.t != null;
  } finally {
    await client.end();
  }
}

/** Creates (first time) and migrates Temporal's two databases to the schema of the cached server. */
export async function migrateTemporalSchemas(bins: ClusterBinaries, pg: PgEndpoint, log: Log): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password, // the environment, not the command line (ps shows arguments)
  };
  const tool = (database: string, args: string[]): void => {
    const result = spawnSync(bins.sqlTool, ['--db', database, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${(result.stderr || result.stdout).trim()}`);
    }
  };
  for (const [kind, database] of Object.entries(TEMPORAL_DATABASES)) {
    const schema = path.join(bins.schemaDir, kind === 'persistence' ? 'temporal' : 'visibility', 'versioned');
    await ensureDatabase({ ...pg, database: 'postgres' }, database);
    if (!(await hasSchemaVersionTable(pg, database))) {
      log(`Temporal ${kind} schema: setting up ${database}`);
      tool(database, ['setup-schema', '-v', '0.0']);
    }
    tool(database, ['update-schema', '-d', schema]);
    log(`Temporal ${kind} schema: ${database} up to date`);
  }
}

export interface TemporalServerOptions {
  bins: ClusterBinaries;
  dir: string;
  pg: PgEndpoint;
  /** The frontend's gRPC port; the next eight ports are the other services' (see above). */
  port: number;
  /** Fixed for the life of the cluster's database: choose before the first start. */
  historyShards?: number;
  /** Visibility calls per second per namespace (the server's default, 10, is too few for listings). */
  visibilityRps?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface TemporalServer {
  address: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export function serverConfig(options: TemporalServerOptions): { config: string; dynamic: string } {
  const p = options.port;
  const datastore = (database: string, maxConns: number): unknown => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${options.pg.host}:${options.pg.port}`,
      connectProtocol: 'tcp',
      user: options.pg.user,
      password: options.pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number): unknown => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...(httpPort !== undefined && { httpPort }) },
  });
  const config = {
    log: { stdout: true, level: options.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.historyShards ?? 8,
      datastores: {
        'postgres-default': datastore(TEMPORAL_DATABASES.persistence, 20),
        'postgres-visibility': datastore(TEMPORAL_DATABASES.visibility, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(p, p + 5, p + 4),
      history: service(p + 1, p + 6),
      matching: service(p + 2, p + 7),
      worker: service(p + 3, p + 8),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${p}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: path.join(options.dir, 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
  const dynamic = {
    'frontend.namespaceRPS.visibility': [{ value: options.visibilityRps ?? 1000 }],
    'frontend.namespaceBurstRatio.visibility': [{ value: 2 }],
    'limit.maxIDLength': [{ value: 255 }],
    // An activity the workflow task schedules (a delivery) goes back to the worker in the task's
    // answer when it has a free slot, without a trip through the matching service (issue 27 bursts).
    'system.enableActivityEagerExecution': [{ value: true }],
  };
  return { config: YAML.stringify(config), dynamic: YAML.stringify(dynamic) };
}

/** Ports P…P+8 are all free on 127.0.0.1. */
export async function portsFree(port: number): Promise<boolean> {
  for (let i = 0; i <= 8; i++) if (await portInUse(port + i)) return false;
  return true;
}

/** A frontend port whose eight neighbours are free too (membership ports are kept as smallint: below 32768). */
export async function freeServerPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portsFree(port)) return port;
  }
}

async function waitHealthy(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`the Temporal server exited with ${child.exitCode} while starting (see its log)`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        // The frontend answers before history has its shards: a namespace call needs the whole server.
        await connection.workflowService.listNamespaces({ pageSize: 1 });
      } finally {
        await connection.close();
      }
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the Temporal server did not answer in ${timeoutMs} ms: ${String(last)}`);
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  if (options.port + 8 > 32_767)
    throw new Error(`the Temporal server's port must be at most 32759 (its membership ports are stored as smallint)`);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const { config, dynamic } = serverConfig(options);
  const configFile = path.join(options.dir, 'config.yaml');
  writeFileSync(configFile, config, { mode: 0o600 }); // holds the database password
  writeFileSync(path.join(options.dir, 'dynamicconfig.yaml'), dynamic, { mode: 0o600 });
  const logFd = openSync(path.join(options.dir, 'temporal.log'), 'a', 0o600);
  const child = spawn(options.bins.server, ['--config-file', configFile, '--allow-no-auth', 'start'], {
    stdio: ['ignore', logFd, logFd],
    cwd: options.dir,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitHealthy(address, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    const log = readFileSync(path.join(options.dir, 'temporal.log'), 'utf8')
      .trim()
      .split('\n')
      .slice(-3)
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; error?: string };
          return `${entry.msg ?? ''}: ${entry.error ?? ''}`;
        } catch {
          return line;
        }
      })
      .join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${log}`, { cause: err });
  }
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { address, stop: () => end('SIGTERM'), kill: () => end('SIGKILL'), exited };
}
