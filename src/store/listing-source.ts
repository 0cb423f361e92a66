/**
 * Where a process lists EPAs from (src/app/listings.ts): the listing index when a database is
 * configured (EPA_DATABASE_URL, its schema migrated), Temporal's visibility otherwise.
 */
import type { Pool } from 'pg';
import type { Config } from '../config';
import { VisibilityListings, type EpaListings } from '../app/listings';
import type { EpaClient, EpaListing } from '../temporal/epa-client';
import { databasePool } from './database';
import { requireMigrated } from './migrations';
import { PgListingIndex, rowFromListing } from './pg-listing-index';

export interface OpenListings {
  listings: EpaListings;
  /** The pool behind the index, when there is one. */
  pool?: Pool;
  close(): Promise<void>;
}

export async function openListings(config: Config, epa: Pick<EpaClient, 'list' | 'count'>): Promise<OpenListings> {
  const pool = databasePool(config);
  if (!pool) return { listings: new VisibilityListings(epa), close: async () => undefined };
  try {
    await requireMigrated(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return { listings: new PgListingIndex(pool), pool, close: () => pool.end() };
}

/**
 * `epa-flow reindex`: every EPA in Temporal's visibility written to the listing index where the
 * index has no row for it (EPAs started before the index, or before a database was configured), and
 * EPAs whose workflow has closed marked ended. Rows the workflows wrote themselves are left alone.
 */
export async function reindexFromVisibility(
  epa: Pick<EpaClient, 'iterate'>,
  index: PgListingIndex,
  progress?: (seen: number) => void,
): Promise<{ seen: number; written: number }> {
  let seen = 0;
  let written = 0;
  let batch: EpaListing[] = [];
  const flush = async (): Promise<void> => {
    written += (await index.backfill(batch.map(rowFromListing))).written;
    batch = [];
    progress?.(seen);
  };
  for await (const listing of epa.iterate({})) {
    seen++;
    batch.push(listing);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return { seen, written };
}
