/**
 * The Temporal CLI dev server for local use (`npm start`) and the durability tests: one SQLite file,
 * WAL journal, the EPA search attributes, the web UI on request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { resolveTemporalCli, freePort, waitForPort, portInUse } from './binaries';
import { epaSearchAttributes, searchAttributeCliType } from './search-attributes';

export interface DevServerOptions {
  /** SQLite database file; created with its directory when missing. */
  dbFile: string;
  port?: number;
  /** Web UI port; `ui: false` runs headless. */
  uiPort?: number;
  ui?: boolean;
  namespace?: string;
  /**
   * SQLite `synchronous` level. WAL with FULL fsyncs the WAL at every commit, so an accepted admin
   * event survives a power cut, not only a process crash; NORMAL is faster and survives kill -9.
   */
  synchronous?: 'FULL' | 'NORMAL';
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * A file recording the server's pid, port and database (npm start keeps one in the data
   * directory). A server left running by an earlier start that died is recognised from it, stopped
   * and replaced; any other process on the port is reported, never touched.
   */
  pidFile?: string;
  /** Where the server's own output goes; default: discarded. */
  output?: 'inherit' | 'ignore';
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  pid: number;
  /** Graceful stop (SIGTERM), resolves when the process has exited. */
  stop(): Promise<void>;
  /** Hard kill (SIGKILL), for fault tests. */
  kill(): Promise<void>;
  /** Resolves when the process exits, however it exits. */
  exited: Promise<number | null>;
}

export function devServerArgs(
  options: Required<Pick<DevServerOptions, 'dbFile' | 'port' | 'namespace'>> & DevServerOptions,
): string[] {
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    options.logLevel ?? 'warn',
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    `synchronous=${options.synchronous ?? 'FULL'}`,
  ];
  if (options.ui && options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  for (const key of epaSearchAttributes) {
    args.push('--search-attribute', `${key.name}=${searchAttributeCliType[key.type]}`);
  }
  return args;
}

/**
 * The dev server registers `--search-attribute` flags only when it creates the database file; on an
 * existing file, add whatever is missing through the operator API. Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let known: Set<string>;
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  } catch (err) {
    // The Java time-skipping test server implements AddSearchAttributes but not List: add them all.
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
    known = new Set();
  }
  const missing = epaSearchAttributes.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  const searchAttributes: Record<string, number> = {};
  for (const key of missing) {
    const encoded = encodeSearchAttributeIndexedValueType(key.type);
    if (encoded === undefined) throw new Error(`cannot encode search attribute type ${key.type}`);
    searchAttributes[key.name] = encoded;
  }
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing.map((key) => key.name);
}

const GRPC_UNIMPLEMENTED = 12;

async function connectWithRetry(address: string, deadline: number): Promise<Connection> {
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** `setpriv` (util-linux) asks the kernel to signal the server when its parent dies, even by kill -9. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && existsSync(p));

interface PidRecord {
  pid: number;
  port: number;
  dbFile: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is a Temporal dev server on this database file (Linux: its command line; elsewhere unknown). */
function isOurServer(pid: number, dbFile: string): boolean | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('start-dev') && args.includes(dbFile);
  } catch {
    return process.platform === 'linux' ? false : undefined;
  }
}

/**
 * A server an earlier start left behind (its parent was killed before it could stop it): stopped,
 * gracefully then by force, when the pid file and its command line say it is ours. Returns its pid.
 */
async function stopStaleServer(pidFile: string | undefined, dbFile: string, port: number): Promise<number | undefined> {
  if (!pidFile || !existsSync(pidFile)) return undefined;
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  if (record.port !== port || record.dbFile !== dbFile || !alive(record.pid) || isOurServer(record.pid, dbFile) !== true)
    return undefined;
  process.kill(record.pid, 'SIGTERM');
  for (let waited = 0; alive(record.pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive(record.pid)) process.kill(record.pid, 'SIGKILL');
  for (let waited = 0; (await portInUse(port)) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  rmSync(pidFile, { force: true });
  return record.pid;
}

/**
 * The database and its WAL/SHM files hold personal data: owner-only. Existing files are tightened
 * here; new ones are created so by the server, which is spawned with umask 077 (an empty file made
 * in advance would not do: the CLI creates its schema only for a file that does not exist yet).
 */
function protectDatabase(dbFile: string): void {
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Spawns with umask 077, so whatever the child creates is owner-only. */
function spawnPrivate(
  command: string,
  args: string[],
  stdio: ['ignore', 'inherit' | 'ignore', 'inherit' | 'ignore'],
): ChildProcess {
  const previous = process.umask(0o077);
  try {
    return spawn(command, args, { stdio });
  } finally {
    process.umask(previous);
  }
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const cli = resolveTemporalCli();
  if (cli.type !== 'existing-path') {
    throw new Error(
      'No Temporal CLI found: run `npm run setup` (builds it with Go), put `temporal` on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  const dbFile = path.resolve(options.dbFile);
  mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o700 });
  protectDatabase(dbFile);
  const port = options.port ?? (await freePort());
  if (await portInUse(port)) {
    const stale = await stopStaleServer(options.pidFile, dbFile, port);
    if (stale !== undefined) {
      console.warn(`[epa-flow] stopped a Temporal dev server (pid ${stale}) left running on port ${port} by an earlier start`);
    } else {
      throw new Error(
        `port ${port} is already in use: is another Temporal server (or epa-flow) running? Stop it, or set TEMPORAL_ADDRESS to another port.`,
      );
    }
  }
  const uiPort = options.ui ? (options.uiPort ?? (await freePort())) : undefined;
  const namespace = options.namespace ?? 'default';
  const args = devServerArgs({ ...options, dbFile, port, uiPort, namespace });
  const stdio: ['ignore', 'inherit' | 'ignore', 'inherit' | 'ignore'] = [
    'ignore',
    options.output ?? 'ignore',
    options.output ?? 'ignore',
  ];
  // Never leave the server running behind a parent that died: the kernel sends it SIGTERM when its
  // parent exits however it exits (setpriv --pdeathsig, Linux); elsewhere the exit handler below.
  const child = SETPRIV
    ? spawnPrivate(SETPRIV, ['--pdeathsig', 'TERM', '--', cli.path, ...args], stdio)
    : spawnPrivate(cli.path, args, stdio);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (options.pidFile && child.pid)
    writeFileSync(options.pidFile, JSON.stringify({ pid: child.pid, port, dbFile } satisfies PidRecord), { mode: 0o600 });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => {
    process.removeListener('exit', killOnExit);
    if (options.pidFile) rmSync(options.pidFile, { force: true });
  });
  let early: number | null | undefined;
  void exited.then((code) => {
    early = code;
  });
  const address = `127.0.0.1:${port}`;
  const timeout = options.startTimeoutMs ?? 60_000;
  try {
    await waitForPort(port, timeout);
    const connection = await connectWithRetry(address, Date.now() + timeout);
    try {
      await ensureSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
  } catch (err) {
    child.kill('SIGKILL');
    const why = early !== undefined ? ` (the server exited with ${early})` : '';
    throw new Error(`the Temporal dev server did not start${why}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    address,
    namespace,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    pid: child.pid ?? -1,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    exited,
  };
}
