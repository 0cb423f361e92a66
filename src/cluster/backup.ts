/**
 * Backup and restore of everything durable: Temporal's two databases and epa-flow's own, dumped
 * together (`pg_dump -Fc`) and restored together into a fresh PostgreSQL. The cluster tests restore
 * into a new cluster and check that every EPA resumes (docs/operations.md, Backups and restore).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { postgresBinDir } from './binaries';
import type { LocalPostgres } from './postgres';
import { APP_DATABASE } from './stack';
import { TEMPORAL_DATABASES } from './temporal-server';

export const BACKED_UP = [TEMPORAL_DATABASES.persistence, TEMPORAL_DATABASES.visibility, APP_DATABASE] as const;

function run(program: string, args: string[], pg: LocalPostgres): void {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL's programs are not installed");
  // The password through the environment, never on the command line.
  const result = spawnSync(path.join(bin, program), args, {
    env: { ...process.env, PGPASSWORD: pg.password },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${program} failed: ${(result.stderr || String(result.error)).trim()}`);
}

const connection = (pg: LocalPostgres): string[] => ['-h', '127.0.0.1', '-p', String(pg.port), '-U', pg.user];

/** One custom-format dump per database into `dir` (`<database>.dump`). */
export function backupDatabases(pg: LocalPostgres, dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return BACKED_UP.map((db) => {
    const file = path.join(dir, `${db}.dump`);
    run('pg_dump', [...connection(pg), '-Fc', '-f', file, db], pg);
    return file;
  });
}

/** Restores every dump into a PostgreSQL that has none of the databases yet. */
export async function restoreDatabases(pg: LocalPostgres, dir: string): Promise<void> {
  for (const db of BACKED_UP) {
    await pg.ensureDatabase(db);
    run('pg_restore', [...connection(pg), '--no-owner', '--exit-on-error', '-d', db, path.join(dir, `${db}.dump`)], pg);
  }
}
