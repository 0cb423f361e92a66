/**
 * Where the two Temporal servers come from.
 *
 * - The Temporal CLI dev server (`temporal server start-dev`, SQLite file) for `npm start` and the
 *   durability tests.
 * - The Java time-skipping test server for lifecycle tests.
 *
 * Neither may be downloaded at run time on our machines, so `npm install` (postinstall → setup.ts)
 * builds or resolves them into a cache outside the repository. Lookup order, per server:
 *   CLI:         $TEMPORAL_CLI_PATH → `temporal` on PATH → cache → (install: `go install`) → SDK download
 *   test server: $TEMPORAL_TEST_SERVER_PATH → cache → (install: Maven Central) → SDK download
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readdirSync, accessSync, constants } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEST_SERVER_VERSION = '1.38.0';
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';

export type ServerSource = 'env' | 'path' | 'cache' | 'download';

/** Mirrors `@temporalio/testing`'s EphemeralServerExecutable, plus where we found it. */
export type ResolvedExecutable =
  | { type: 'existing-path'; path: string; source: Exclude<ServerSource, 'download'> }
  | { type: 'cached-download'; source: 'download' };

export function cacheDir(): string {
  if (process.env.EPA_FLOW_CACHE_DIR) return process.env.EPA_FLOW_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'epa-flow');
}

export function cachedCliPath(): string {
  return path.join(cacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

export function cachedTestServerDir(): string {
  return path.join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

export function cachedTestServerLauncher(): string {
  return path.join(cachedTestServerDir(), 'temporal-test-server');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromEnv(variable: string): string | undefined {
  const value = process.env[variable];
  if (!value) return undefined;
  if (!isExecutable(value)) {
    throw new Error(`${variable}=${value} is not an executable file`);
  }
  return value;
}

export function resolveTemporalCli(): ResolvedExecutable {
  const env = fromEnv('TEMPORAL_CLI_PATH');
  if (env) return { type: 'existing-path', path: env, source: 'env' };
  const onPath = which('temporal');
  if (onPath) return { type: 'existing-path', path: onPath, source: 'path' };
  if (isExecutable(cachedCliPath())) return { type: 'existing-path', path: cachedCliPath(), source: 'cache' };
  return { type: 'cached-download', source: 'download' };
}

export function resolveTestServer(): ResolvedExecutable {
  const env = fromEnv('TEMPORAL_TEST_SERVER_PATH');
  if (env) return { type: 'existing-path', path: env, source: 'env' };
  if (isExecutable(cachedTestServerLauncher())) {
    return { type: 'existing-path', path: cachedTestServerLauncher(), source: 'cache' };
  }
  return { type: 'cached-download', source: 'download' };
}

type Log = (line: string) => void;

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }, log: Log): void {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status ?? result.signal}`);
}

/** Builds the Temporal CLI from the Go module proxy into the cache; a no-op when one is found. */
export function installTemporalCli(log: Log): ResolvedExecutable {
  const found = resolveTemporalCli();
  if (found.type === 'existing-path') {
    log(`Temporal CLI: ${found.path} (${found.source})`);
    return found;
  }
  const go = which('go');
  if (!go) {
    log('Temporal CLI: Go is not installed; tests and `npm start` will let @temporalio/testing download the CLI.');
    return found;
  }
  const target = path.dirname(cachedCliPath());
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`Temporal CLI: building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} with Go (first install only; a few minutes)`);
  try {
    run(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], { env: { ...process.env, GOBIN: staging } }, log);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const built = resolveTemporalCli();
  if (built.type !== 'existing-path') throw new Error(`go install finished but ${cachedCliPath()} is missing`);
  log(`Temporal CLI: ${built.path} (built)`);
  return built;
}

function testServerPom(): string {
  const [groupId, artifactId] = TEST_SERVER_ARTIFACT.split(':');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>epa-flow.local</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * The launcher `@temporalio/testing` runs as `<launcher> <port> [--enable-time-skipping]`.
 * It `exec`s java so that killing the launcher kills the JVM, and uses a class-data-sharing archive
 * (made at install) so the JVM accepts connections well inside the SDK's 5 s start-up wait.
 */
function launcherScript(jars: string[]): string {
  const classpath = jars.map((jar) => `$DIR/lib/${jar}`).join(':');
  return `#!/bin/sh
# Temporal time-skipping test server ${TEST_SERVER_VERSION} (${TEST_SERVER_ARTIFACT}, from Maven Central).
# Generated by epa-flow's install step (src/temporal/binaries.ts). Usage: $0 <port> [--enable-time-skipping]
DIR="$(cd "$(dirname "$0")" && pwd)"
JAVA="java"
[ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ] && JAVA="$JAVA_HOME/bin/java"
if [ -n "$EPA_FLOW_CDS_DUMP" ]; then
  CDS="-XX:ArchiveClassesAtExit=$EPA_FLOW_CDS_DUMP"
elif [ -f "$DIR/classes.jsa" ]; then
  CDS="-XX:SharedArchiveFile=$DIR/classes.jsa -Xshare:auto"
else
  CDS=""
fi
exec "$JAVA" $CDS -Xlog:disable -Xlog:all=error:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m \\
  -cp "${classpath}" ${TEST_SERVER_MAIN} "$@"
`;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Whether something already accepts connections on 127.0.0.1:port. */
export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<number> {
  const started = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts the launcher once, lets it accept a connection, and stops it: returns ms until listening. */
export async function timeTestServerStart(launcher: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = await freePort();
  const child = spawn(launcher, [String(port), '--enable-time-skipping'], { stdio: 'ignore', env });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    return await waitForPort(port, 60_000);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Resolves the test server's runtime classpath from Maven Central into the cache; a no-op when found. */
export async function installTestServer(log: Log): Promise<ResolvedExecutable> {
  const found = resolveTestServer();
  if (found.type === 'existing-path') {
    log(`Temporal test server: ${found.path} (${found.source})`);
    return found;
  }
  const mvn = which('mvn');
  const java = which('java') ?? (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined);
  if (!mvn || !java) {
    log('Temporal test server: Maven or Java is missing; tests will let @temporalio/testing download the server.');
    return found;
  }
  const target = cachedTestServerDir();
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`Temporal test server: resolving ${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} and its runtime dependencies`);
  try {
    writeFileSync(path.join(staging, 'pom.xml'), testServerPom());
    run(
      mvn,
      ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${path.join(staging, 'lib')}`],
      { cwd: staging },
      log,
    );
    const jars = readdirSync(path.join(staging, 'lib'))
      .filter((f) => f.endsWith('.jar'))
      .sort();
    if (!jars.some((j) => j.startsWith('temporal-test-server-'))) throw new Error('Maven did not fetch temporal-test-server');
    writeFileSync(path.join(staging, 'temporal-test-server'), launcherScript(jars), { mode: 0o755 });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const launcher = cachedTestServerLauncher();
  // Class-data sharing: record the classes one start loads, so later starts map them instead of parsing jars.
  const archive = path.join(target, 'classes.jsa');
  const cold = await timeTestServerStart(launcher, { ...process.env, EPA_FLOW_CDS_DUMP: archive });
  const warm = existsSync(archive) ? await timeTestServerStart(launcher) : undefined;
  log(
    `Temporal test server: ${launcher}; listening after ${cold} ms without CDS` +
      (warm === undefined ? ' (no CDS archive was written)' : `, ${warm} ms with it`),
  );
  return { type: 'existing-path', path: launcher, source: 'cache' };
}
