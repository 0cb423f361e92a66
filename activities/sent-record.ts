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

/** A sent message's calendar invite, in the terms staff read it: a request or a cancellation, when and where. */
export interface SentInvite {
  method: 'REQUEST' | 'CANCEL';
  /** The assessment's London date-time (YYYY-MM-DDTHH:mm), its length and place, as the invite had them. */
  at?: string;
  durationMinutes?: number;
  location?: string;
}

/**
 * One message as it was sent (or last tried: a failed message keeps what it tried to send): what
 * the EPA page's message page shows, instead of rendering the schedule again.
 */
export interface SentCopy {
  /** The workflow id (`epa-<ULN>`), the notification key and the recipient's role: with them, the message key. */
  epaId: string;
  key: string;
  role: string;
  kind: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  invite?: SentInvite;
  /** When this copy was written (ISO instant): just before the message was handed to SMTP. */
  keptAt: string;
}

/**
 * The port the delivery activity keeps each message's copy through, and the staff pages read it
 * from (src/app/epas.ts `epaMessage`): kept for as long as the EPA's records are (`epa-flow erase`
 * deletes them). Adapters: files (src/store/sent-record.ts) and PostgreSQL (pg-sent-record.ts).
 *
 * Contract: `keep` replaces any earlier copy of the same message (a resend keeps what it sent);
 * `read` returns it, or undefined; `erase` deletes every copy of one EPA and says how many.
 */
export interface SentCopies {
  keep(copy: SentCopy): Promise<void>;
  read(epaId: string, key: string, role: string): Promise<SentCopy | undefined>;
  /** Every copy kept for one EPA (any order). */
  list(epaId: string): Promise<SentCopy[]>;
  erase(epaId: string): Promise<number>;
}
