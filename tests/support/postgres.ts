/**
 * A PostgreSQL server of the test file's own (Debian's, started by src/cluster/postgres.ts on a free
 * loopback port) with one database, for the file's tests; stopped and removed after them
 * (KEEP=1 keeps its folder and prints it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { startPostgres, type LocalPostgres } from '../../src/cluster/postgres';
import { freePort } from '../../src/temporal/binaries';

/** Starts the server before the file's tests; `pool()` is the database's pool once it is up. */
export function usePostgres(database: string, options: { poolSize?: number } = {}): () => Pool {
  let dir: string;
  let pg: LocalPostgres;
  let pool: Pool | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `${database}-`));
    pg = await startPostgres({ dir: path.join(dir, 'postgres'), port: await freePort() });
    await pg.ensureDatabase(database);
    pool = new Pool({ connectionString: pg.url(database), max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // idle clients cut off when the server stops at the end
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await pg?.stop();
    if (process.env.KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  });
  return () => {
    if (!pool) throw new Error('PostgreSQL is not up yet');
    return pool;
  };
}
