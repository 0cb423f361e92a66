/** `npm run setup:cluster`: builds and caches the Temporal server, its schema tool and schema files (Go module proxy). */
import { installClusterBinaries, postgresBinDir } from './binaries';

const log = (line: string): void => console.log(`[epa-flow setup:cluster] ${line}`);
try {
  installClusterBinaries(log);
  const pg = postgresBinDir();
  log(pg ? `PostgreSQL: ${pg}` : "PostgreSQL: not installed (run `bash scripts/install-system-deps.sh`: Debian's postgresql)");
  if (!pg) process.exitCode = 1;
} catch (err) {
  console.error(`[epa-flow setup:cluster] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
