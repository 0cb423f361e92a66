/**
 * Idempotent events: an event may carry an `eventId` (the API's Idempotency-Key). The same id sent
 * again with the same event is a repeat: accepted, applied once, nothing sent twice. The same id
 * with a different event is refused (`duplicate_event_id`): one of the two is a mistake.
 * Pure and sandbox-safe: a fingerprint is a hash of the event's canonical JSON.
 */
import { EpaDuplicateEventError } from './errors';

/** An event id (events.ts `eventId`): 1 to 100 letters, digits and . _ : - (a UUID fits). */
export const EVENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;
export const EVENT_ID_MESSAGE = 'an event id of 1 to 100 letters, digits and . _ : -';

/** Event ids an EPA remembers (the newest), carried across continue-as-new. */
export const EVENT_IDS_KEPT = 1000;

/** eventId → fingerprint of the event first recorded under it. */
export type SeenEventIds = Record<string, string>;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A stable fingerprint of what an event says (its type and fields; not its id, nor who sent it). */
export function eventFingerprint(type: string, payload: Record<string, unknown>): string {
  const { eventId: _id, by: _by, ...rest } = payload;
  const text = canonical({ ...rest, type });
  // FNV-1a, 2 × 32 bits: plenty to tell two events sent under one id apart.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The event's id, when it has one. */
export function eventIdOf(payload: unknown): string | undefined {
  const id = payload !== null && typeof payload === 'object' ? (payload as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * `new` (no id, or an id not seen before), `repeat` (seen, same event), or EpaDuplicateEventError
 * (seen with a different event).
 */
export function checkEventId(seen: Readonly<SeenEventIds>, type: string, payload: Record<string, unknown>): 'new' | 'repeat' {
  const id = eventIdOf(payload);
  if (id === undefined || !Object.hasOwn(seen, id)) return 'new';
  if (seen[id] === eventFingerprint(type, payload)) return 'repeat';
  throw new EpaDuplicateEventError(`event id "${id}" was already used for a different event: send a new id for a new event`);
}

/** Remembers an accepted event's id, keeping the newest EVENT_IDS_KEPT. */
export function rememberEventId(seen: SeenEventIds, type: string, payload: Record<string, unknown>): void {
  const id = eventIdOf(payload);
  if (id === undefined) return;
  seen[id] = eventFingerprint(type, payload);
  const ids = Object.keys(seen);
  for (const old of ids.slice(0, Math.max(0, ids.length - EVENT_IDS_KEPT))) delete seen[old];
}
