/**
 * A PostgreSQL server of the project's own, from Debian's package, in a data directory on a
 * loopback port: for `npm run cluster` and the cluster tests. (A production deployment points
 * EPA_DATABASE_URL and Temporal's persistence at its managed PostgreSQL instead.)
 *
 * - `initdb` once, with password (SCRAM) authentication over TCP and a generated password kept
 *   owner-only beside the data directory; no Unix socket outside the data directory.
 * - PostgreSQL refuses to run as root: as root, the data directory belongs to the `postgres`
 *   user and the server runs as that user.
 * - The postmaster is this process's child, so tests can kill -9 it and start it again on the same
 *   data directory (crash recovery from the WAL).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { postgresBinDir } from './binaries';

export const PG_USER = 'epa';

export interface LocalPostgres {
  port: number;
  user: string;
  password: string;
  /** postgres://epa:…@127.0.0.1:port/<database> */
  url(database: string): string;
  /** Creates the database if it does not exist. */
  ensureDatabase(name: string): Promise<void>;
  /** Fast shutdown (SIGINT): waits for the server to exit. */
  stop(): Promise<void>;
  /** kill -9 the postmaster (crash; the next start recovers from the WAL). */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function bin(name: string): string {
  const dir = postgresBinDir();
  if (!dir) {
    throw new Error("PostgreSQL's server is not installed: run `bash scripts/install-system-deps.sh` (Debian's postgresql)");
  }
  return path.join(dir, name);
}

/** initdb into `<dir>/data` unless it holds a cluster already; the password in `<dir>/password`. */
function initialise(dir: string, owner: { uid: number; gid: number } | undefined): string {
  const data = path.join(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  if (existsSync(path.join(data, 'PG_VERSION'))) return readFileSync(passwordFile, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const pwfile = path.join(data, '..', `.initdb-${process.pid}`);
  writeFileSync(pwfile, password, { mode: 0o600 });
  if (owner) {
    chownSync(data, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  try {
    const result = spawnSync(
      bin('initdb'),
      [
        '-D',
        data,
        '-U',
        PG_USER,
        '--pwfile',
        pwfile,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      { encoding: 'utf8', ...(owner && { uid: owner.uid, gid: owner.gid }) },
    );
    if (result.status !== 0) {
      rmSync(data, { recursive: true, force: true });
      throw new Error(`initdb failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
  return password;
}

/**
 * A short-lived client whose socket may be cut after its last query (the server starting, or
 * stopping): such a late 'error' event is not an error of ours, and unhandled it would end the
 * process. Query failures still reject their promises.
 */
export function quiet<T extends Client>(client: T): T {
  client.on('error', () => undefined);
  return client;
}

/** Creates database `name` on the server `admin` connects to (any database there), unless it exists. */
export async function ensureDatabase(admin: ClientConfig, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name this project uses: ${name}`);
  const client = quiet(new Client(admin));
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited with ${child.exitCode} while starting (see its log)`);
    const client = quiet(new Client({ connectionString: url, connectionTimeoutMillis: 2000 }));
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      last = err;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL did not accept connections in ${timeoutMs} ms: ${String(last)}`);
}

export async function startPostgres(options: { dir: string; port: number; log?: string }): Promise<LocalPostgres> {
  const owner = runAs();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (owner) {
    // The postgres user must reach its data directory: every parent lets others pass through (not list).
    for (let d = path.resolve(options.dir); d !== path.dirname(d); d = path.dirname(d)) {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o011) !== 0o011) chmodSync(d, mode | 0o011);
    }
  }
  const password = initialise(options.dir, owner);
  const data = path.join(options.dir, 'data');
  const logFd = openSync(options.log ?? path.join(options.dir, 'postgres.log'), 'a', 0o600);
  const spawnServer = (): ChildProcess =>
    spawn(
      bin('postgres'),
      [
        '-D',
        data,
        '-p',
        String(options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${data}`,
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=256MB',
      ],
      { stdio: ['ignore', logFd, logFd], ...(owner && { uid: owner.uid, gid: owner.gid }) },
    );
  const url = (database: string): string =>
    `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  // After a kill -9, orphaned backends hold the shared memory for a moment: retry the start.
  let child = spawnServer();
  for (let attempt = 1; ; attempt++) {
    try {
      await waitReady(url('postgres'), child, 30_000);
      break;
    } catch (err) {
      if (attempt >= 20 || child.exitCode === null) throw err;
      await new Promise((r) => setTimeout(r, 500));
      child = spawnServer();
    }
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port: options.port,
    user: PG_USER,
    password,
    url,
    ensureDatabase: (name: string) => ensureDatabase({ connectionString: url('postgres') }, name),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exited,
  };
}
