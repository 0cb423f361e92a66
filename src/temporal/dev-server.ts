/**
 * The Temporal CLI dev server for local use (`npm start`) and the durability tests: one SQLite file,
 * WAL journal, the EPA search attributes, the web UI on request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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

export function devServerArgs(options: Required<Pick<DevServerOptions, 'dbFile' | 'port' | 'namespace'>> & DevServerOptions): string[] {
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

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const cli = resolveTemporalCli();
  if (cli.type !== 'existing-path') {
    throw new Error(
      'No Temporal CLI found: run `npm run setup` (builds it with Go), put `temporal` on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });
  const port = options.port ?? (await freePort());
  if (await portInUse(port)) {
    throw new Error(`port ${port} is already in use: is another Temporal server (or epa-flow) running? Stop it, or set TEMPORAL_ADDRESS to another port.`);
  }
  const uiPort = options.ui ? (options.uiPort ?? (await freePort())) : undefined;
  const namespace = options.namespace ?? 'default';
  const args = devServerArgs({ ...options, port, uiPort, namespace });
  const child: ChildProcess = spawn(cli.path, args, { stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never leave the server running behind a parent that died.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
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
