/**
 * The audit list of changes to staff accounts (AccountAudit, src/app/users.ts) as one owner-only
 * JSON-lines file beside the users file (`<data dir>/account-changes.jsonl`): a change is one line
 * appended, never rewritten. The same port on PostgreSQL is PgAccountAudit (src/store/pg-staff.ts).
 * Holds who changed which account, when and how: never a password or a hash.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AccountAudit, AccountChange } from '../app/users';

export class FileAccountAudit implements AccountAudit {
  /** Appends one at a time, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  append(change: AccountChange): Promise<void> {
    const write = this.queue.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await fs.appendFile(this.file, JSON.stringify(change) + '\n', { mode: 0o600 });
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  async recent(limit: number): Promise<AccountChange[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // A line cut short (the process stopped mid-append) is skipped, not a failure of the page.
    const changes: AccountChange[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        changes.push(JSON.parse(line) as AccountChange);
      } catch {
        continue;
      }
    }
    return changes.reverse().slice(0, limit);
  }
}

/** Where the audit list lives without a database: beside the users file. */
export const accountAuditFileFor = (usersFile: string): string => path.join(path.dirname(usersFile), 'account-changes.jsonl');

/** The audit list in this process's memory: for an API built without stores (tests, embedded tools). */
export class MemoryAccountAudit implements AccountAudit {
  private readonly changes: AccountChange[] = [];

  async append(change: AccountChange): Promise<void> {
    this.changes.push(structuredClone(change));
  }

  async recent(limit: number): Promise<AccountChange[]> {
    return this.changes
      .slice()
      .reverse()
      .slice(0, limit)
      .map((c) => structuredClone(c));
  }
}
