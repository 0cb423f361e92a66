/**
 * The port the delivery activity (delivery.ts) keeps its exactly-once promise through: the durable
 * record of sent messages, and the claims that stop two attempts sending one message. Its adapters
 * are in src/store: files (sent-record.ts) and PostgreSQL (pg-sent-record.ts); the worker chooses.
 *
 * Contract (any store):
 * - `claim(key, owner, leaseMs)` before talking to SMTP: `claimed` (send it), `sent` (an earlier
 *   attempt already did), or `busy` (another attempt holds a live lease: do not send, retry later).
 *   The owner is one activity attempt (workflow, activity id, attempt number).
 * - `renew` while sending (the activity renews as it heartbeats); a lease that is not renewed
 *   lapses, so a worker that died mid-send does not block the message for ever.
 * - `record` the moment the SMTP server answers 250; `release` after a failed send.
 */
export type MessageClaim = { outcome: 'claimed' } | { outcome: 'sent' } | { outcome: 'busy'; owner: string; until: number };

export interface SentRecordStore {
  has(key: string): Promise<boolean>;
  claim(key: string, owner: string, leaseMs: number): Promise<MessageClaim>;
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  record(key: string, owner: string, details: Record<string, string>): Promise<void>;
  release(key: string, owner: string): Promise<void>;
}
