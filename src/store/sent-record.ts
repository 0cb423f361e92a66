/**
 * The sent record (the port SentRecordStore, activities/sent-record.ts) in files, for one worker
 * host or several that share the directory (PostgreSQL: src/store/pg-sent-record.ts).
 *
 * Files: `<dir>/<h2>/<hash>.json` is the sent record, written to a temporary name, fsynced and
 * renamed into place, so it exists whole or not at all and survives kill -9. Claims live in
 * `<dir>/<h2>/<hash>.claims/<generation>`: a new claim is a hard link to the next generation number,
 * which the file system lets exactly one contender create, so two attempts never both hold one.
 * Workers on several machines must share the directory (or use a store with the same contract).
 * Everything is created owner-only (0700 directories, 0600 files): it names recipients.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { MessageClaim, SentCopies, SentCopy, SentRecordStore } from '../../activities/sent-record';

interface Claim {
  owner: string;
  until: number;
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

const sha = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Also the copies of what was sent (SentCopies): `<dir>/copies/<sha256(epaId)>/<sha256(key/role)>.json`,
 * one directory per EPA, so an erasure removes the EPA's directory whole.
 */
export class SentStore implements SentRecordStore, SentCopies {
  constructor(
    readonly dir: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private paths(key: string): { record: string; claims: string } {
    const h = createHash('sha256').update(key).digest('hex');
    const shard = path.join(this.dir, h.slice(0, 2));
    return { record: path.join(shard, `${h}.json`), claims: path.join(shard, `${h}.claims`) };
  }

  async has(key: string): Promise<boolean> {
    try {
      await fs.access(this.paths(key).record);
      return true;
    } catch {
      return false;
    }
  }

  /** The newest claim generation and what it says, if any. */
  private async top(claims: string): Promise<{ generation: number; claim: Claim | undefined } | undefined> {
    let names: string[];
    try {
      names = await fs.readdir(claims);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
    const generations = names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => b - a);
    const generation = generations[0];
    if (generation === undefined) return undefined;
    try {
      return { generation, claim: JSON.parse(await fs.readFile(path.join(claims, String(generation)), 'utf8')) as Claim };
    } catch (err) {
      if (isCode(err, 'ENOENT')) return { generation, claim: undefined }; // released meanwhile: free
      throw err;
    }
  }

  private async writeAtomically(file: string, content: string, create: boolean): Promise<boolean> {
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!create) {
      await fs.rename(tmp, file);
      return true;
    }
    try {
      await fs.link(tmp, file); // fails if the name exists: exactly one contender creates it
      return true;
    } catch (err) {
      if (isCode(err, 'EEXIST')) return false;
      throw err;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async claim(key: string, owner: string, leaseMs: number): Promise<MessageClaim> {
    if (await this.has(key)) return { outcome: 'sent' };
    const { claims } = this.paths(key);
    await fs.mkdir(claims, { recursive: true, mode: DIR_MODE });
    const current = await this.top(claims);
    const claim: Claim = { owner, until: this.now() + leaseMs };
    if (current?.claim) {
      if (current.claim.owner === owner) {
        await this.writeAtomically(path.join(claims, String(current.generation)), JSON.stringify(claim), false);
        return { outcome: 'claimed' };
      }
      if (current.claim.until > this.now()) return { outcome: 'busy', owner: current.claim.owner, until: current.claim.until };
    }
    const generation = (current?.generation ?? 0) + 1;
    if (!(await this.writeAtomically(path.join(claims, String(generation)), JSON.stringify(claim), true))) {
      const winner = await this.top(claims);
      return {
        outcome: 'busy',
        owner: winner?.claim?.owner ?? 'another attempt',
        until: winner?.claim?.until ?? this.now() + leaseMs,
      };
    }
    // An attempt whose lease lapsed may have recorded the message after our first look.
    if (await this.has(key)) {
      await this.release(key, owner);
      return { outcome: 'sent' };
    }
    return { outcome: 'claimed' };
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const { claims } = this.paths(key);
    const current = await this.top(claims);
    if (current?.claim?.owner !== owner) return false;
    await this.writeAtomically(
      path.join(claims, String(current.generation)),
      JSON.stringify({ owner, until: this.now() + leaseMs }),
      false,
    );
    return true;
  }

  async record(key: string, _owner: string, details: Record<string, string>): Promise<void> {
    const { record, claims } = this.paths(key);
    await fs.mkdir(path.dirname(record), { recursive: true, mode: DIR_MODE });
    await this.writeAtomically(record, JSON.stringify({ key, ...details, sentAt: new Date(this.now()).toISOString() }), false);
    await fs.rm(claims, { recursive: true, force: true });
  }

  async release(key: string, owner: string): Promise<void> {
    const { claims } = this.paths(key);
    const current = await this.top(claims);
    if (current?.claim?.owner === owner) await fs.rm(path.join(claims, String(current.generation)), { force: true });
  }

  private copyPath(epaId: string, key: string, role: string): { dir: string; file: string } {
    const dir = path.join(this.dir, 'copies', sha(epaId));
    return { dir, file: path.join(dir, `${sha(`${key}/${role}`)}.json`) };
  }

  async keep(copy: SentCopy): Promise<void> {
    const { dir, file } = this.copyPath(copy.epaId, copy.key, copy.role);
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    await this.writeAtomically(file, JSON.stringify(copy), false);
  }

  async read(epaId: string, key: string, role: string): Promise<SentCopy | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.copyPath(epaId, key, role).file, 'utf8')) as SentCopy;
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  async list(epaId: string): Promise<SentCopy[]> {
    const { dir } = this.copyPath(epaId, '', '');
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return [];
      throw err;
    }
    const copies = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(async (n) => {
          try {
            return JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as SentCopy;
          } catch (err) {
            if (isCode(err, 'ENOENT')) return undefined; // erased meanwhile
            throw err;
          }
        }),
    );
    return copies.filter((c): c is SentCopy => c !== undefined);
  }

  async erase(epaId: string): Promise<number> {
    const { dir } = this.copyPath(epaId, '', '');
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return 0;
      throw err;
    }
    await fs.rm(dir, { recursive: true, force: true });
    return names.filter((n) => n.endsWith('.json')).length;
  }
}
