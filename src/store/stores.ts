/**
 * The stores a process opens from its configuration: with a database (EPA_DATABASE_URL, its schema
 * migrated) the listing index, staff accounts and staff sessions in PostgreSQL, shared by every API
 * process; without one, the embedded defaults: lists from Temporal's visibility, accounts in the
 * users file, sessions in the process's memory.
 */
import type { SessionStore } from '@fastify/session';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { VisibilityListings, type EpaListings } from '../app/listings';
import type { EpaClient, EpaListing } from '../app/epa-client';
import { databasePool } from './database';
import { requireMigrated } from './migrations';
import { PgListingIndex, rowFromListing } from './pg-listing-index';
import { PgAccountAudit, PgSessionStore, PgUserStore } from './pg-staff';
import type { AccountAudit, UserStore } from '../app/users';
import { FileUserStore } from './user-store';
import { accountAuditFileFor, FileAccountAudit } from './account-audit';
import type { SentCopies } from '../../activities/sent-record';
import { PgSentStore } from './pg-sent-record';
import { SentStore } from './sent-record';

/** How long a staff session lasts without use (renewed as staff work). */
export const STAFF_SESSION_MS = 8 * 60 * 60 * 1000;

export interface OpenStores {
  listings: EpaListings;
  users: UserStore;
  /** The audit list of changes to accounts. */
  accountAudit: AccountAudit;
  /** The copies of the messages sent, as the workers keep them (the data directory's files, or PostgreSQL). */
  sentCopies: SentCopies;
  /** Where staff sessions live: undefined for the process's memory. */
  sessions?: SessionStore;
  /** The stores in words, for start-up lines. */
  describe: string;
  close(): Promise<void>;
}

/** The database's pool, its schema checked: refused (and closed) when `epa-flow migrate` has not run. */
async function migratedPool(config: Config): Promise<Pool | undefined> {
  const pool = databasePool(config);
  if (!pool) return undefined;
  try {
    await requireMigrated(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

export async function openStores(config: Config, epa: Pick<EpaClient, 'list' | 'count'>): Promise<OpenStores> {
  const pool = await migratedPool(config);
  if (!pool) {
    return {
      listings: new VisibilityListings(epa),
      users: new FileUserStore(config.usersFile),
      accountAudit: new FileAccountAudit(accountAuditFileFor(config.usersFile)),
      sentCopies: new SentStore(config.sentDir),
      describe: `lists from Temporal's visibility; staff accounts in ${config.usersFile}; sessions in memory`,
      close: async () => undefined,
    };
  }
  return {
    listings: new PgListingIndex(pool),
    users: new PgUserStore(pool),
    accountAudit: new PgAccountAudit(pool),
    sentCopies: new PgSentStore(pool),
    sessions: new PgSessionStore(pool, STAFF_SESSION_MS),
    describe: 'lists from the listing index in PostgreSQL; staff accounts and sessions in PostgreSQL',
    close: () => pool.end(),
  };
}

/** Lists only (the CLI): the listing index with a database, Temporal's visibility otherwise. */
export async function openListings(
  config: Config,
  epa: Pick<EpaClient, 'list' | 'count'>,
): Promise<{ listings: EpaListings; close(): Promise<void> }> {
  const pool = await migratedPool(config);
  if (!pool) return { listings: new VisibilityListings(epa), close: async () => undefined };
  return { listings: new PgListingIndex(pool), close: () => pool.end() };
}

/** Staff accounts and their audit list only (`epa users`): in PostgreSQL with a database, files beside each other otherwise. */
export async function openUsers(
  config: Config,
): Promise<{ users: UserStore; accountAudit: AccountAudit; close(): Promise<void> }> {
  const pool = await migratedPool(config);
  if (!pool)
    return {
      users: new FileUserStore(config.usersFile),
      accountAudit: new FileAccountAudit(accountAuditFileFor(config.usersFile)),
      close: async () => undefined,
    };
  return { users: new PgUserStore(pool), accountAudit: new PgAccountAudit(pool), close: () => pool.end() };
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
