/** The PostgreSQL pool for epa-flow's own tables, from EPA_DATABASE_URL (see docs/operations.md, Production). */
import { Pool } from 'pg';
import type { Config } from '../config';

export function databasePool(config: Config): Pool | undefined {
  if (!config.EPA_DATABASE_URL) return undefined;
  const pool = new Pool({
    connectionString: config.EPA_DATABASE_URL,
    max: config.EPA_DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    application_name: 'epa-flow',
  });
  // An idle client's connection dropping (the database restarting) is not this process's end:
  // the pool replaces it, and the next query reports any lasting outage.
  pool.on('error', () => undefined);
  return pool;
}

/** Where the URL points, without its password: for start-up lines and errors. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return '(unparsable EPA_DATABASE_URL)';
  }
}
