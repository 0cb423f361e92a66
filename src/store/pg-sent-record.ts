/**
 * The sent-message record and claims in PostgreSQL, shared by every worker host: the same contract
 * as the file store (src/store/sent-record.ts), used when EPA_DATABASE_URL is set.
 *
 * - A claim is one row per message: an insert, or an update that takes the row over only from the
 *   same owner or from a lapsed lease. PostgreSQL's row lock makes one contender win.
 * - The record is inserted the moment SMTP accepts; it deletes the claim in the same statement.
 * - Keys are stored as their sha256, so the tables hold no ULN. Lease times come from the worker's
 *   clock (as with files): keep worker hosts on NTP; a lease is 30 s by default.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { MessageClaim, SentCopies, SentCopy, SentRecordStore } from '../../activities/sent-record';

const hash = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * Also the copies of what was sent (SentCopies, migration 5): one row per message, keyed by the
 * hashes of the EPA and of the message key; the copy itself (it names the recipient) as JSON.
 */
export class PgSentStore implements SentRecordStore, SentCopies {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async has(key: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM epa_sent_message WHERE key_hash = $1', [hash(key)]);
    return (rowCount ?? 0) > 0;
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<MessageClaim> {
    const h = hash(key);
    const now = new Date(this.now());
    const until = new Date(now.getTime() + leaseMs);
    // One statement: claim, unless the message was sent or another owner's lease is live.
    const result = await this.pool.query<{ sent: boolean; owner: string | null; lease_until: Date | null; won: boolean }>(
      `WITH sent AS (SELECT 1 FROM epa_sent_message WHERE key_hash = $1),
            taken AS (
              INSERT INTO epa_message_claim AS c (key_hash, owner, lease_until)
              SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM sent)
              ON CONFLICT (key_hash) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
                WHERE c.owner = EXCLUDED.owner OR c.lease_until <= $4
              RETURNING owner)
       SELECT EXISTS (SELECT 1 FROM sent) AS sent,
              EXISTS (SELECT 1 FROM taken) AS won,
              (SELECT owner FROM epa_message_claim WHERE key_hash = $1) AS owner,
              (SELECT lease_until FROM epa_message_claim WHERE key_hash = $1) AS lease_until`,
      [h, owner, until, now],
    );
    const row = result.rows[0]!;
    if (row.sent) return { outcome: 'sent' };
    if (row.won) {
      // An attempt whose lease lapsed may have recorded the message between our look and our claim.
      if (await this.has(key)) {
        await this.release(key, owner);
        return { outcome: 'sent' };
      }
      return { outcome: 'claimed' };
    }
    // The snapshot cannot see a row a concurrent contender inserted: read it now.
    const current = await this.pool.query<{ owner: string; lease_until: Date }>(
      'SELECT owner, lease_until FROM epa_message_claim WHERE key_hash = $1',
      [h],
    );
    const holder = current.rows[0] ?? (row.owner ? { owner: row.owner, lease_until: row.lease_until! } : undefined);
    if (!holder) return await this.claim(key, owner, leaseMs); // released meanwhile: try again
    return { outcome: 'busy', owner: holder.owner, until: holder.lease_until.getTime() };
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE epa_message_claim SET lease_until = $3 WHERE key_hash = $1 AND owner = $2',
      [hash(key), owner, new Date(this.now() + leaseMs)],
    );
    return (rowCount ?? 0) > 0;
  }

  async record(key: string, _owner: string, details: Record<string, string>): Promise<void> {
    // One statement, so one round trip and one commit: the record and the claim's end together.
    await this.pool.query(
      `WITH ended AS (DELETE FROM epa_message_claim WHERE key_hash = $1)
       INSERT INTO epa_sent_message (key_hash, details, sent_at) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING`,
      [hash(key), JSON.stringify(details), new Date(this.now())],
    );
  }

  async release(key: string, owner: string): Promise<void> {
    await this.pool.query('DELETE FROM epa_message_claim WHERE key_hash = $1 AND owner = $2', [hash(key), owner]);
  }

  async keep(copy: SentCopy): Promise<void> {
    await this.pool.query(
      `INSERT INTO epa_message_copy (epa_hash, key_hash, copy, kept_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key_hash) DO UPDATE SET copy = EXCLUDED.copy, kept_at = EXCLUDED.kept_at`,
      [hash(copy.epaId), hash(`${copy.epaId}/${copy.key}/${copy.role}`), JSON.stringify(copy), new Date(copy.keptAt)],
    );
  }

  async read(epaId: string, key: string, role: string): Promise<SentCopy | undefined> {
    const { rows } = await this.pool.query<{ copy: SentCopy }>(
      'SELECT copy FROM epa_message_copy WHERE key_hash = $1 AND epa_hash = $2',
      [hash(`${epaId}/${key}/${role}`), hash(epaId)],
    );
    return rows[0]?.copy;
  }

  async list(epaId: string): Promise<SentCopy[]> {
    const { rows } = await this.pool.query<{ copy: SentCopy }>('SELECT copy FROM epa_message_copy WHERE epa_hash = $1', [
      hash(epaId),
    ]);
    return rows.map((r) => r.copy);
  }

  async erase(epaId: string): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM epa_message_copy WHERE epa_hash = $1', [hash(epaId)]);
    return rowCount ?? 0;
  }
}
