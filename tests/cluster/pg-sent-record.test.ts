/**
 * The PostgreSQL sent record (EPA_DATABASE_URL): the same contract as the file store, on a real
 * PostgreSQL server, plus its migrations (numbered, run once, refused when newer than the code).
 */
import type { Pool } from 'pg';
import { usePostgres } from '../support/postgres';
import { MIGRATIONS, migrate, requireMigrated } from '../../src/store/migrations';
import { PgSentStore } from '../../src/store/pg-sent-record';
import { sentCopiesContract, sentRecordContract } from '../support/sent-record-contract';

const database = usePostgres('epa_contract', { poolSize: 20 });
let pool: Pool;

beforeAll(async () => {
  pool = database();
});

const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));

test('migrations: refused before they run, applied once in order, refused when the database is newer than the code', async () => {
  await expect(requireMigrated(pool)).rejects.toThrow(
    new RegExp(`schema version 0; this epa-flow needs ${NEWEST}: run \`epa-flow migrate\``),
  );
  const first = await migrate(pool);
  expect(first.applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
  expect(first.applied.map((m) => m.version)).toEqual(Array.from({ length: NEWEST }, (_, i) => i + 1));
  expect(await migrate(pool)).toEqual({ applied: [], current: NEWEST });
  await expect(requireMigrated(pool)).resolves.toBeUndefined();
  const next = NEWEST + 1;
  const later = [...MIGRATIONS, { version: next, name: 'a later table', sql: 'CREATE TABLE epa_later (id int)' }];
  expect((await migrate(pool, later)).applied.map((m) => m.version)).toEqual([next]);
  await expect(migrate(pool)).rejects.toThrow(
    new RegExp(`schema version ${next}, newer than this epa-flow knows \\(${NEWEST}\\)`),
  );
  await pool.query(`DROP TABLE epa_later; DELETE FROM epa_schema_version WHERE version = ${next}`);
});

test('a failing migration changes nothing and says which one failed', async () => {
  const next = NEWEST + 1;
  const broken = [
    ...MIGRATIONS,
    { version: next, name: 'broken', sql: 'CREATE TABLE epa_half (id int); SELECT no_such_function()' },
  ];
  await expect(migrate(pool, broken)).rejects.toThrow(new RegExp(`migration ${next} \\(broken\\) failed`));
  const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('epa_half')::text AS t");
  expect(rows[0]!.t).toBeNull();
  expect((await migrate(pool)).current).toBe(NEWEST);
});

describe('the sent-record contract on PostgreSQL', () => {
  beforeEach(async () => {
    await migrate(pool);
    await pool.query('TRUNCATE epa_sent_message, epa_message_claim, epa_message_copy');
  });
  sentRecordContract((now) => new PgSentStore(pool, now));
  sentCopiesContract(() => new PgSentStore(pool));

  test('the tables hold no message key, only its hash', async () => {
    const store = new PgSentStore(pool);
    await store.claim('epa-1234567890/invite/apprentice', 'a', 30_000);
    await store.record('epa-1234567890/invite/apprentice', 'a', { messageId: '<m@x>', role: 'apprentice' });
    const dump = JSON.stringify((await pool.query('SELECT * FROM epa_sent_message')).rows);
    expect(dump).not.toContain('1234567890');
    expect(dump).toContain('"role":"apprentice"');
  });
});
