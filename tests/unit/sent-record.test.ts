/**
 * The sent store's claims: one attempt holds a message at a time, a lapsed lease frees it, a sent
 * record ends every claim, and files are owner-only. Real files in a temporary directory.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SentStore } from '../../src/store/sent-record';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-sent-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a live claim makes other attempts busy; its owner may claim again; a record makes every later claim "sent"', async () => {
  const store = new SentStore(dir);
  expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/1', 30_000)).toEqual({ outcome: 'claimed' });
  expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/2', 30_000)).toMatchObject({ outcome: 'busy', owner: 'wf/1/1' });
  expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/1', 30_000)).toEqual({ outcome: 'claimed' });
  expect(await store.claim('epa-1/invite:x/employer', 'wf/2/1', 30_000)).toEqual({ outcome: 'claimed' }); // another message
  await store.record('epa-1/invite:x/apprentice', 'wf/1/1', { messageId: '<m@x>' });
  expect(await store.has('epa-1/invite:x/apprentice')).toBe(true);
  expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/3', 30_000)).toEqual({ outcome: 'sent' });
});

test('a lease that is not renewed lapses (a worker died mid-send); renewal keeps it; release frees it at once', async () => {
  let now = 1_000_000;
  const store = new SentStore(dir, () => now);
  const key = 'epa-2/reminder/employer';
  expect(await store.claim(key, 'a', 10_000)).toEqual({ outcome: 'claimed' });
  now += 8_000;
  expect(await store.renew(key, 'a', 10_000)).toBe(true);
  now += 8_000; // 16 s after the claim, 8 s after the renewal: still held
  expect(await store.claim(key, 'b', 10_000)).toMatchObject({ outcome: 'busy' });
  now += 3_000; // lapsed
  expect(await store.claim(key, 'b', 10_000)).toEqual({ outcome: 'claimed' });
  expect(await store.renew(key, 'a', 10_000)).toBe(false); // a learns it lost the claim
  await store.release(key, 'a'); // not a's to release
  expect(await store.claim(key, 'c', 10_000)).toMatchObject({ outcome: 'busy', owner: 'b' });
  await store.release(key, 'b');
  expect(await store.claim(key, 'c', 10_000)).toEqual({ outcome: 'claimed' });
});

test('50 attempts racing for one message: exactly one claims it', async () => {
  const store = new SentStore(dir);
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => store.claim('epa-3/invite/assessor', `attempt-${i}`, 30_000)),
  );
  expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
  expect(results.filter((r) => r.outcome === 'busy')).toHaveLength(49);
});

test('racing for a lapsed claim: exactly one takes it over', async () => {
  let now = 0;
  const store = new SentStore(dir, () => now);
  await store.claim('epa-4/k/apprentice', 'dead', 1_000);
  now = 5_000;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => store.claim('epa-4/k/apprentice', `retry-${i}`, 30_000)),
  );
  expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
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
