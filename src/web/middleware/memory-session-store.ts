/**
 * Staff sessions in this process's memory (the embedded default, without a database): bounded and
 * swept. A session lives until its cookie's expiry (renewed as staff use the pages); expired ones
 * are dropped as they are read and swept every minute; past `capacity` the least recently saved
 * goes first. Only signed-in staff have a session (the sign-in form's CSRF secret is a cookie), so
 * anonymous visitors never add one.
 */
import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';

type Callback = (err?: unknown) => void;

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { session: Session; expires: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    /** A session without an expiry on its cookie lasts this long. */
    private readonly maxAgeMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
    sweepEveryMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  /** How many sessions are held (for tests and the start-up line). */
  get size(): number {
    return this.sessions.size;
  }

  /** Drops every expired session. */
  sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.sessions) if (entry.expires <= now) this.sessions.delete(id);
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    const cookie = (session as { cookie?: { expires?: Date | string | null } }).cookie;
    const expires = cookie?.expires ? new Date(cookie.expires).getTime() : this.now() + this.maxAgeMs;
    // Re-inserted, so the Map's order is the order of last save: the oldest is first to go.
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, { session, expires });
    while (this.sessions.size > this.capacity) this.sessions.delete(this.sessions.keys().next().value!);
    callback();
  }

  get(sessionId: string, callback: (err: unknown, session?: Session | null) => void): void {
    const entry = this.sessions.get(sessionId);
    if (entry && entry.expires <= this.now()) this.sessions.delete(sessionId);
    callback(null, entry && entry.expires > this.now() ? entry.session : null);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.sessions.delete(sessionId);
    callback();
  }

  /** Stops the sweep (the timer is unref'd, so a process exits without it). */
  close(): void {
    clearInterval(this.sweeper);
  }
}
