/**
 * The PostgreSQL sent record (EPA_DATABASE_URL): the same contract as the file store, on a real
 * PostgreSQL server, plus its migrations (numbered, run once, refused when newer than the code).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { startPostgres, type LocalPostgres } from '../../src/cluster/postgres';
import { MIGRATIONS, migrate, requireMigrated } from '../../src/store/migrations';
import { PgSentStore } from '../../src/store/pg-sent-record';
import { freePort } from '../../src/temporal/binaries';
import { sentRecordContract } from '../support/sent-record-contract';

let dir: string;
let pg: LocalPostgres;
let pool: Pool;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-pg-'));
  pg = await startPostgres({ dir: path.join(dir, 'postgres'), port: await freePort() });
  await pg.ensureDatabase('epa_contract');
  pool = new Pool({ connectionString: pg.url('epa_contract'), max: 20 });
  pool.on('error', () => undefined); // idle clients cut off when the server stops at the end
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await pg?.stop();
  if (process.env.KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
});

test('migrations: refused before they run, applied once in order, refused when the database is newer than the code', async () => {
  await expect(requireMigrated(pool)).rejects.toThrow(/schema version 0; this epa-flow needs 1: run `epa-flow migrate`/);
  const first = await migrate(pool);
  expect(first.applied.map((m) => m.version)).toEqual([1]);
  expect(await migrate(pool)).toEqual({ applied: [], current: 1 });
  await expect(requireMigrated(pool)).resolves.toBeUndefined();
  const later = [...MIGRATIONS, { version: 2, name: 'a later table', sql: 'CREATE TABLE epa_later (id int)' }];
  expect((await migrate(pool, later)).applied.map((m) => m.version)).toEqual([2]);
  await expect(migrate(pool)).rejects.toThrow(/schema version 2, newer than this epa-flow knows \(1\)/);
  await pool.query('DROP TABLE epa_later; DELETE FROM epa_schema_version WHERE version = 2');
});

test('a failing migration changes nothing and says which one failed', async () => {
  const broken = [
    ...MIGRATIONS,
    { version: 2, name: 'broken', sql: 'CREATE TABLE epa_half (id int); SELECT no_such_function()' },
  ];
  await expect(migrate(pool, broken)).rejects.toThrow(/migration 2 \(broken\) failed/);
  const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('epa_half')::text AS t");
  expect(rows[0]!.t).toBeNull();
  expect((await migrate(pool)).current).toBe(1);
});

describe('the sent-record contract on PostgreSQL', () => {
  beforeEach(async () => {
    await migrate(pool);
    await pool.query('TRUNCATE epa_sent_message, epa_message_claim');
  });
  sentRecordContract((now) => new PgSentStore(pool, now));

  test('the tables hold no message key, only its hash', async () => {
    const store = new PgSentStore(pool);
    await store.claim('epa-1234567890/invite/apprentice', 'a', 30_000);
    await store.record('epa-1234567890/invite/apprentice', 'a', { messageId: '<m@x>', role: 'apprentice' });
    const dump = JSON.stringify((await pool.query('SELECT * FROM epa_sent_message')).rows);
    expect(dump).not.toContain('1234567890');
    expect(dump).toContain('"role":"apprentice"');
  });
});
