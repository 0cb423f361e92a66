/**
 * epa-flow's own tables in PostgreSQL, as numbered migrations (`epa-flow migrate`). Each runs once,
 * in a transaction, in order; the version table records which have run. Several processes may run
 * `migrate` at once: an advisory lock makes the second wait and then find nothing to do.
 * Never edit a migration that has shipped: add the next number.
 */
import type { Pool, PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sent messages and their claims',
    sql: `
      -- One row per message the SMTP server accepted (250): the exactly-once record. The key is the
      -- sha256 of the message key, so the table holds no ULN; details name the role and kind only.
      CREATE TABLE epa_sent_message (
        key_hash    text PRIMARY KEY,
        details     jsonb NOT NULL,
        sent_at     timestamptz NOT NULL
      );
      -- The attempt sending a message now, and until when its lease holds.
      CREATE TABLE epa_message_claim (
        key_hash    text PRIMARY KEY,
        owner       text NOT NULL,
        lease_until timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'the listing index',
    sql: `
      -- One row per EPA, written by its workflow (src/store/pg-listing-index.ts). Keys are sortKey()s
      -- (accents dropped, lower case) compared by code point (COLLATE "C"), as the code compares them.
      CREATE TABLE epa_listing (
        epa_id            text PRIMARY KEY,
        uln               text COLLATE "C" NOT NULL,
        apprentice_key    text COLLATE "C" NOT NULL,
        standard          text NOT NULL,
        standard_key      text COLLATE "C" NOT NULL,
        epao              text NOT NULL,
        employer_key      text NOT NULL,
        employer_sort     text COLLATE "C" NOT NULL,
        provider_key      text COLLATE "C" NOT NULL,
        stage             text NOT NULL,
        stage_key         text COLLATE "C" NOT NULL,
        running           boolean NOT NULL,
        overdue           boolean NOT NULL,
        overdue_since     timestamptz,
        earliest_missed   date,
        must_act          text,
        next_deadline_at  timestamptz,
        next_deadline_due date,
        booking_days      date[] NOT NULL,
        row               jsonb NOT NULL,
        started_at        timestamptz NOT NULL,
        version           bigint NOT NULL,
        updated_at        timestamptz NOT NULL
      );
      -- The ops board (running and overdue, most overdue first), whole and by who must act or standard.
      CREATE INDEX epa_listing_board ON epa_listing (earliest_missed, apprentice_key, uln) WHERE running AND overdue;
      CREATE INDEX epa_listing_board_owner ON epa_listing (must_act, earliest_missed, apprentice_key, uln) WHERE running AND overdue;
      CREATE INDEX epa_listing_board_standard ON epa_listing (standard, earliest_missed, apprentice_key, uln) WHERE running AND overdue;
      -- The finder's orders, and the next 14 days.
      CREATE INDEX epa_listing_apprentice ON epa_listing (apprentice_key, uln);
      CREATE INDEX epa_listing_next ON epa_listing (next_deadline_due, uln);
      CREATE INDEX epa_listing_next_at ON epa_listing (next_deadline_at) WHERE running;
      CREATE INDEX epa_listing_stage ON epa_listing (stage);
      CREATE INDEX epa_listing_employer ON epa_listing (employer_key);
      CREATE INDEX epa_listing_booking_days ON epa_listing USING gin (booking_days) WHERE running;
    `,
  },
  {
    version: 3,
    name: 'staff accounts and sessions',
    sql: `
      -- Staff accounts (src/store/pg-staff.ts): the account as JSON, with its password hash only.
      CREATE TABLE epa_staff_user (
        username    text PRIMARY KEY,
        account     jsonb NOT NULL,
        updated_at  timestamptz NOT NULL
      );
      -- Sign-in sessions shared by every API process, keyed by the sha256 of the session id.
      CREATE TABLE epa_staff_session (
        sid_hash    text PRIMARY KEY,
        session     jsonb NOT NULL,
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX epa_staff_session_expires ON epa_staff_session (expires_at);
    `,
  },
  {
    version: 4,
    name: 'the audit list of changes to accounts',
    sql: `
      -- Who changed which staff account, when and how (src/store/pg-staff.ts): appended, never
      -- updated; the change as JSON, never a password or a hash. Read newest first by id.
      CREATE TABLE epa_account_change (
        id        bigserial PRIMARY KEY,
        at        timestamptz NOT NULL,
        username  text NOT NULL,
        change    jsonb NOT NULL
      );
      CREATE INDEX epa_account_change_username ON epa_account_change (username, id);
    `,
  },
  {
    version: 5,
    name: 'copies of the messages sent',
    sql: `
      -- Each message as it was sent (src/store/pg-sent-record.ts): the staff pages show it from
      -- here. Keyed by the sha256 of the EPA's workflow id and of the message key (no ULN in a
      -- key); the copy names its recipient, so epa-flow erase deletes an EPA's rows.
      CREATE TABLE epa_message_copy (
        key_hash  text PRIMARY KEY,
        epa_hash  text NOT NULL,
        copy      jsonb NOT NULL,
        kept_at   timestamptz NOT NULL
      );
      CREATE INDEX epa_message_copy_epa ON epa_message_copy (epa_hash);
    `,
  },
  {
    version: 6,
    name: 'who must act on every missed deadline',
    sql: `
      -- Everyone who must act on any of an EPA's missed deadlines (the board's "who must act"), as
      -- written with each row (src/store/pg-listing-index.ts). Rows already here get it from their
      -- missed deadlines' keys, as the rules core gives each key its owner (src/epa/deadlines.ts);
      -- a row some older writer puts in later has none (NULL), and is filtered by must_act, as before.
      ALTER TABLE epa_listing ADD COLUMN must_act_any text[];
      UPDATE epa_listing SET must_act_any = ARRAY(
        SELECT DISTINCT CASE split_part(m->>'key', '.', 1)
          WHEN 'gatewayFormDue' THEN 'employer'
          WHEN 'projectCompletionDue' THEN 'apprentice'
          WHEN 'reportDue' THEN 'apprentice'
          WHEN 'portfolioDue' THEN 'apprentice'
          WHEN 'reworkDue' THEN 'apprentice'
          WHEN 'resitDeadline' THEN 'apprentice'
          ELSE 'epaoAdmin'
        END
        FROM jsonb_array_elements(row->'missed') AS m
      );
      CREATE INDEX epa_listing_board_owners ON epa_listing USING gin (must_act_any) WHERE running AND overdue;
    `,
  },
  {
    version: 7,
    name: 'case owners and open tasks in the listing index',
    sql: `
      -- Each EPA's case owner (a staff username) and its open tasks (src/epa/tasks.ts; the tasks
      -- themselves are in row->'tasks'): the board's "To handle" list, by owner, oldest due first.
      -- Rows written before have no owner and no tasks until their EPA writes its row again.
      ALTER TABLE epa_listing ADD COLUMN case_owner text;
      ALTER TABLE epa_listing ADD COLUMN open_tasks integer NOT NULL DEFAULT 0;
      ALTER TABLE epa_listing ADD COLUMN first_task_due date;
      CREATE INDEX epa_listing_tasks ON epa_listing (first_task_due) WHERE running AND open_tasks > 0;
      CREATE INDEX epa_listing_tasks_owner ON epa_listing (case_owner, first_task_due) WHERE running AND open_tasks > 0;
    `,
  },
];

/** An arbitrary constant: the advisory lock every migrator takes. */
const MIGRATION_LOCK = 7_355_608_101;

export interface MigrationReport {
  applied: Migration[];
  current: number;
}

export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS epa_schema_version (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM epa_schema_version')).rows.map((r) => r.version),
    );
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new Error(`the database is at schema version ${newest}, newer than this epa-flow knows (${known}): upgrade epa-flow`);
    }
    const applied: Migration[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO epa_schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
      applied.push(m);
    }
    return { applied, current: Math.max(newest, ...applied.map((m) => m.version)) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Refuses to run on a database whose schema is older than this code needs (run `epa-flow migrate`). */
export async function requireMigrated(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  const needed = Math.max(...migrations.map((m) => m.version));
  let current = 0;
  try {
    const row = (await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM epa_schema_version')).rows[0];
    current = row?.v ?? 0;
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // 42P01: no version table yet
  }
  if (current < needed) {
    throw new Error(`the database is at schema version ${current}; this epa-flow needs ${needed}: run \`epa-flow migrate\``);
  }
}
