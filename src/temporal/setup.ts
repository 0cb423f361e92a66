/**
 * The install step (`npm install` → postinstall, or `npm run setup`): obtains both Temporal servers.
 * Idempotent: with everything cached it only looks the servers up. Fails loudly under CI (CI=true)
 * or EPA_FLOW_REQUIRE_SERVERS=1 when a server can't be obtained, since tests there have no internet.
 */
import { installTemporalCli, installTestServer, resolveTemporalCli, resolveTestServer, cacheDir } from './binaries';

async function main(): Promise<number> {
  const log = (line: string): void => console.log(`[epa-flow setup] ${line}`);
  const started = Date.now();
  if (process.env.EPA_FLOW_SKIP_SETUP === '1') {
    log('skipped (EPA_FLOW_SKIP_SETUP=1)');
    return 0;
  }
  log(`cache: ${cacheDir()}`);
  const cli = process.argv.includes('--check') ? resolveTemporalCli() : installTemporalCli(log);
  const testServer = process.argv.includes('--check') ? resolveTestServer() : await installTestServer(log);
  const missing = [
    cli.type === 'cached-download' ? 'Temporal CLI' : undefined,
    testServer.type === 'cached-download' ? 'Temporal test server' : undefined,
  ].filter((m): m is string => m !== undefined);
  log(`CLI: ${cli.type === 'existing-path' ? cli.path : 'SDK download'}`);
  log(`test server: ${testServer.type === 'existing-path' ? testServer.path : 'SDK download'}`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const required = process.env.CI === 'true' || process.env.EPA_FLOW_REQUIRE_SERVERS === '1';
  if (missing.length > 0 && required) {
    console.error(`[epa-flow setup] could not obtain: ${missing.join(', ')} (required here: no downloads at run time)`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`[epa-flow setup] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
