/**
 * The production Temporal server and its schema tool, built from the Go module proxy into the
 * cache outside the repository (`npm run setup:cluster`, also run by CI), and PostgreSQL's own
 * programs from Debian's package.
 *
 * Lookup order: $TEMPORAL_SERVER_PATH / $TEMPORAL_SQL_TOOL_PATH → cache → (setup: `go install`).
 * The cache holds `temporal-server`, `temporal-sql-tool` and the PostgreSQL schema files of the
 * same server version (`schema/postgresql/v12/{temporal,visibility}`), so a migration always uses
 * the schema of the server that will run on it.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../temporal/binaries';

export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  /** …/schema/postgresql/v12: `temporal/versioned` and `visibility/versioned`. */
  schemaDir: string;
}

export function cachedServerDir(): string {
  return path.join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/** The cached (or configured) server, schema tool and schema files; undefined when not built yet. */
export function resolveClusterBinaries(): ClusterBinaries | undefined {
  const dir = cachedServerDir();
  const server = process.env.TEMPORAL_SERVER_PATH || path.join(dir, 'temporal-server');
  const sqlTool = process.env.TEMPORAL_SQL_TOOL_PATH || path.join(dir, 'temporal-sql-tool');
  const schemaDir = process.env.TEMPORAL_SCHEMA_DIR || path.join(dir, 'schema', 'postgresql', 'v12');
  if (!isExecutable(server) || !isExecutable(sqlTool) || !existsSync(path.join(schemaDir, 'temporal', 'versioned'))) {
    return undefined;
  }
  return { server, sqlTool, schemaDir };
}

export function requireClusterBinaries(): ClusterBinaries {
  const found = resolveClusterBinaries();
  if (!found) {
    throw new Error(
      `the Temporal server ${TEMPORAL_SERVER_VERSION} is not built yet: run \`npm run setup:cluster\` (Go module proxy, about 4 minutes)`,
    );
  }
  return found;
}

/** Copies a directory tree as ordinary writable files (the Go module cache's copies are read-only). */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (entry.isFile()) writeFileSync(target, readFileSync(source));
  }
}

type Log = (line: string) => void;

/** Builds the server and the schema tool with Go (GOTOOLCHAIN=auto fetches the Go it asks for). */
export function installClusterBinaries(log: Log): ClusterBinaries {
  const found = resolveClusterBinaries();
  if (found) {
    log(`Temporal server: ${found.server} (cached)`);
    return found;
  }
  const go = which('go');
  if (!go) throw new Error('Go is not installed: it builds the Temporal server from the Go module proxy');
  const target = cachedServerDir();
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const env = { ...process.env, GOBIN: staging, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' };
  const modules = ['cmd/server', 'cmd/tools/sql'].map((m) => `${TEMPORAL_SERVER_MODULE}/${m}@${TEMPORAL_SERVER_VERSION}`);
  log(`Temporal server: building ${modules.join(' ')} with Go (first install only; about 4 minutes)`);
  try {
    const built = spawnSync(go, ['install', ...modules], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) throw new Error(`go install exited with ${built.status ?? built.signal}`);
    renameSync(path.join(staging, 'server'), path.join(staging, 'temporal-server'));
    renameSync(path.join(staging, 'sql'), path.join(staging, 'temporal-sql-tool'));
    const modCache = spawnSync(go, ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).stdout.trim();
    const schema = path.join(modCache, `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
    if (!existsSync(schema)) throw new Error(`the server's schema files are not in the module cache (${schema})`);
    copyTree(schema, path.join(staging, 'schema', 'postgresql', 'v12'));
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const ready = requireClusterBinaries();
  log(`Temporal server: ${ready.server} (built)`);
  return ready;
}

/** PostgreSQL's server programs (initdb, pg_ctl, postgres): $EPA_PG_BIN, or the newest Debian version. */
export function postgresBinDir(): string | undefined {
  if (process.env.EPA_PG_BIN) return process.env.EPA_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && isExecutable(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}
