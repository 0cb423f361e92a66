/**
 * The file store's claims: the sent-record contract (one attempt holds a message at a time, a
 * lapsed lease frees it, a sent record ends every claim), and files are owner-only. Real files in a
 * temporary directory.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SentStore } from '../../src/store/sent-record';
import { sentCopiesContract, sentRecordContract } from '../support/sent-record-contract';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-sent-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

sentRecordContract((now) => new SentStore(dir, now));
describe('the copies contract on files', () => {
  sentCopiesContract(() => new SentStore(dir));

  test('copies are owner-only, one directory per EPA, and their file names hold no ULN', async () => {
    const store = new SentStore(path.join(dir, 'sent'));
    await store.keep({
      epaId: 'epa-1234567890',
      key: 'k',
      role: 'apprentice',
      kind: 'deadlineNear',
      to: { name: 'A', email: 'a@x.example' },
      subject: 's',
      text: 't',
      keptAt: '2027-03-15T09:00:00.000Z',
    });
    const copies = path.join(dir, 'sent', 'copies');
    const [epaDir] = readdirSync(copies);
    expect(epaDir).not.toContain('1234567890');
    expect(statSync(path.join(copies, epaDir!)).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(path.join(copies, epaDir!))) {
      expect(f).not.toContain('1234567890');
      expect(statSync(path.join(copies, epaDir!, f)).mode & 0o777).toBe(0o600);
    }
  });
});

test('records and claims are owner-only (0600 files, 0700 directories)', async () => {
  const store = new SentStore(path.join(dir, 'sent'));
  await store.claim('epa-5/k/apprentice', 'a', 30_000);
  await store.record('epa-5/k/apprentice', 'a', { messageId: '<m@x>' });
  const shard = readdirSync(path.join(dir, 'sent'))[0]!;
  expect(statSync(path.join(dir, 'sent')).mode & 0o777).toBe(0o700);
  expect(statSync(path.join(dir, 'sent', shard)).mode & 0o777).toBe(0o700);
  for (const f of readdirSync(path.join(dir, 'sent', shard)))
    expect(statSync(path.join(dir, 'sent', shard, f)).mode & 0o777).toBe(0o600);
});
