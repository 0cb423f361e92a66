/**
 * Staff accounts, stored as one owner-only JSON file (`<data dir>/users.json`), written whole to a
 * temporary name and renamed into place so it is never half-written. The same port
 * (UserStore, src/app/users.ts) on PostgreSQL is src/store/pg-staff.ts. Holds password hashes, never passwords.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StaffUser, UserStore } from '../app/users';

export class FileUserStore implements UserStore {
  /** Writes one at a time, so two changes never overwrite each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async list(): Promise<StaffUser[]> {
    try {
      return (JSON.parse(await fs.readFile(this.file, 'utf8')) as { users: StaffUser[] }).users;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async get(username: string): Promise<StaffUser | undefined> {
    return (await this.list()).find((u) => u.username === username);
  }

  put(user: StaffUser): Promise<void> {
    const write = this.queue.then(async () => {
      const users = (await this.list()).filter((u) => u.username !== user.username);
      users.push(user);
      users.sort((a, b) => a.username.localeCompare(b.username));
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify({ users }, null, 2) + '\n', { mode: 0o600 });
      await fs.rename(tmp, this.file);
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}
