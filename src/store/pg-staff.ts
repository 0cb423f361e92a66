/**
 * Staff accounts and their sign-in sessions in PostgreSQL (EPA_DATABASE_URL), so that several
 * `epa-flow api` processes behind one proxy share them: an account added with `epa users add` on
 * any host signs in on every host, and a session started on one is honoured by the others (no
 * sticky sessions). The embedded defaults stay the users file and sessions in memory.
 *
 * - Accounts hold a password hash (scrypt, src/app/users.ts), never a password.
 * - A session row is keyed by the sha256 of its id: the id in the cookie is the secret, and a copy
 *   of the table does not give live sessions away. Rows past their expiry are never returned and are
 *   deleted as new sessions are saved.
 */
import { createHash } from 'node:crypto';
import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { Pool } from 'pg';
import type { AccountAudit, AccountChange, StaffUser, UserStore } from '../app/users';

export class PgUserStore implements UserStore {
  constructor(private readonly pool: Pool) {}

  async list(): Promise<StaffUser[]> {
    const { rows } = await this.pool.query<{ account: StaffUser }>('SELECT account FROM epa_staff_user ORDER BY username');
    return rows.map((r) => r.account);
  }

  async get(username: string): Promise<StaffUser | undefined> {
    const { rows } = await this.pool.query<{ account: StaffUser }>('SELECT account FROM epa_staff_user WHERE username = $1', [
      username,
    ]);
    return rows[0]?.account;
  }

  async put(user: StaffUser): Promise<void> {
    await this.pool.query(
      `INSERT INTO epa_staff_user (username, account, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (username) DO UPDATE SET account = EXCLUDED.account, updated_at = now()`,
      [user.username, JSON.stringify(user)],
    );
  }
}

/** The audit list of changes to accounts: one row per change, in the order written (its id), read newest first. */
export class PgAccountAudit implements AccountAudit {
  constructor(private readonly pool: Pool) {}

  async append(change: AccountChange): Promise<void> {
    await this.pool.query('INSERT INTO epa_account_change (at, username, change) VALUES ($1, $2, $3)', [
      change.at,
      change.account.username,
      JSON.stringify(change),
    ]);
  }

  async recent(limit: number): Promise<AccountChange[]> {
    const { rows } = await this.pool.query<{ change: AccountChange }>(
      'SELECT change FROM epa_account_change ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => r.change);
  }
}

const sessionKey = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');
type Callback = (err?: unknown) => void;

/** @fastify/session's store interface on PostgreSQL. */
export class PgSessionStore implements SessionStore {
  private saves = 0;

  constructor(
    private readonly pool: Pool,
    /** A session without an expiry on its cookie lasts this long. */
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const cookie = (session as { cookie?: { expires?: Date | string | null } }).cookie;
    const expires = cookie?.expires ? new Date(cookie.expires) : new Date(this.now() + this.maxAgeMs);
    const save = this.pool.query(
      `INSERT INTO epa_staff_session (sid_hash, session, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (sid_hash) DO UPDATE SET session = EXCLUDED.session, expires_at = EXCLUDED.expires_at`,
      [sessionKey(sessionId), JSON.stringify(session), expires],
    );
    // Now and then, the sessions that have expired go.
    const sweep =
      ++this.saves % 100 === 1
        ? this.pool.query('DELETE FROM epa_staff_session WHERE expires_at <= $1', [new Date(this.now())])
        : Promise.resolve();
    Promise.all([save, sweep]).then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  get(sessionId: string, callback: (err: unknown, session?: Session | null) => void): void {
    this.pool
      .query<{ session: Session }>('SELECT session FROM epa_staff_session WHERE sid_hash = $1 AND expires_at > $2', [
        sessionKey(sessionId),
        new Date(this.now()),
      ])
      .then(
        ({ rows }) => callback(null, rows[0]?.session ?? null),
        (err: unknown) => callback(err),
      );
  }

  destroy(sessionId: string, callback: Callback): void {
    this.pool.query('DELETE FROM epa_staff_session WHERE sid_hash = $1', [sessionKey(sessionId)]).then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }
}
