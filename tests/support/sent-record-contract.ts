/**
 * The sent-record contract (activities/sent-record.ts) as tests any store must pass: the file store
 * (tests/unit/sent-record.test.ts) and the PostgreSQL store (tests/cluster/pg-sent-record.test.ts).
 * `make(now)` returns a fresh, empty store whose clock is `now`.
 */
import type { SentCopies, SentCopy, SentRecordStore } from '../../activities/sent-record';

export function sentRecordContract(make: (now?: () => number) => SentRecordStore | Promise<SentRecordStore>): void {
  test('a live claim makes other attempts busy; its owner may claim again; a record makes every later claim "sent"', async () => {
    const store = await make();
    expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/1', 30_000)).toEqual({ outcome: 'claimed' });
    expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/2', 30_000)).toMatchObject({ outcome: 'busy', owner: 'wf/1/1' });
    expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/1', 30_000)).toEqual({ outcome: 'claimed' });
    expect(await store.claim('epa-1/invite:x/employer', 'wf/2/1', 30_000)).toEqual({ outcome: 'claimed' }); // another message
    await store.record('epa-1/invite:x/apprentice', 'wf/1/1', { messageId: '<m@x>' });
    expect(await store.has('epa-1/invite:x/apprentice')).toBe(true);
    expect(await store.has('epa-1/invite:x/employer')).toBe(false);
    expect(await store.claim('epa-1/invite:x/apprentice', 'wf/1/3', 30_000)).toEqual({ outcome: 'sent' });
  });

  test('a lease that is not renewed lapses (a worker died mid-send); renewal keeps it; release frees it at once', async () => {
    let now = 1_000_000;
    const store = await make(() => now);
    const key = 'epa-2/reminder/employer';
    expect(await store.claim(key, 'a', 10_000)).toEqual({ outcome: 'claimed' });
    now += 8_000;
    expect(await store.renew(key, 'a', 10_000)).toBe(true);
    now += 8_000; // 16 s after the claim, 8 s after the renewal: still held
    expect(await store.claim(key, 'b', 10_000)).toMatchObject({ outcome: 'busy', until: 1_018_000 });
    now += 3_000; // lapsed
    expect(await store.claim(key, 'b', 10_000)).toEqual({ outcome: 'claimed' });
    expect(await store.renew(key, 'a', 10_000)).toBe(false); // a learns it lost the claim
    await store.release(key, 'a'); // not a's to release
    expect(await store.claim(key, 'c', 10_000)).toMatchObject({ outcome: 'busy', owner: 'b' });
    await store.release(key, 'b');
    expect(await store.claim(key, 'c', 10_000)).toEqual({ outcome: 'claimed' });
  });

  test('50 attempts racing for one message: exactly one claims it', async () => {
    const store = await make();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.claim('epa-3/invite/assessor', `attempt-${i}`, 30_000)),
    );
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'busy')).toHaveLength(49);
  });

  test('racing for a lapsed claim: exactly one takes it over', async () => {
    let now = 0;
    const store = await make(() => now);
    await store.claim('epa-4/k/apprentice', 'dead', 1_000);
    now = 5_000;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.claim('epa-4/k/apprentice', `retry-${i}`, 30_000)),
    );
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
  });

  test('a message recorded by an attempt whose lease lapsed is "sent" to the attempt that took the claim over', async () => {
    let now = 0;
    const store = await make(() => now);
    await store.claim('epa-6/k/apprentice', 'slow', 1_000);
    now = 5_000;
    expect(await store.claim('epa-6/k/apprentice', 'retry', 30_000)).toEqual({ outcome: 'claimed' });
    await store.record('epa-6/k/apprentice', 'slow', { messageId: '<late@x>' }); // its 250 came in after all
    expect(await store.claim('epa-6/k/apprentice', 'retry', 30_000)).toEqual({ outcome: 'sent' });
    expect(await store.renew('epa-6/k/apprentice', 'retry', 30_000)).toBe(false);
  });
}

/** The copies contract (SentCopies, activities/sent-record.ts): the file store and PostgreSQL alike. */
export function sentCopiesContract(make: () => SentCopies | Promise<SentCopies>): void {
  const copy = (over: Partial<SentCopy> = {}): SentCopy => ({
    epaId: 'epa-1234567890',
    key: 'invite:observation-1:0',
    role: 'apprentice',
    kind: 'invite',
    to: { name: 'Ann Apprentice', email: 'ann@apprentice.example' },
    subject: 'Your observation is booked',
    text: 'Dear Ann,\n\nYour observation is booked.',
    invite: { method: 'REQUEST', at: '2027-03-23T10:00', durationMinutes: 90, location: 'Unit 4' },
    keptAt: '2027-03-15T09:00:00.000Z',
    ...over,
  });

  test('a kept copy reads back whole, by EPA, message key and role; another role or EPA has none', async () => {
    const store = await make();
    await store.keep(copy());
    expect(await store.read('epa-1234567890', 'invite:observation-1:0', 'apprentice')).toEqual(copy());
    expect(await store.read('epa-1234567890', 'invite:observation-1:0', 'employer')).toBeUndefined();
    expect(await store.read('epa-9999999999', 'invite:observation-1:0', 'apprentice')).toBeUndefined();
  });

  test('keeping a message again replaces its copy (a resend keeps what it sent)', async () => {
    const store = await make();
    await store.keep(copy());
    await store.keep(copy({ to: { name: 'Ann Apprentice', email: 'ann@new.example' }, keptAt: '2027-03-16T09:00:00.000Z' }));
    expect((await store.read('epa-1234567890', 'invite:observation-1:0', 'apprentice'))?.to.email).toBe('ann@new.example');
    expect(await store.list('epa-1234567890')).toHaveLength(1);
  });

  test("list gives one EPA's copies only; erase deletes them all, says how many, and leaves other EPAs' alone", async () => {
    const store = await make();
    await store.keep(copy());
    await store.keep(copy({ role: 'employer', to: { name: 'Emp', email: 'e@employer.example' } }));
    await store.keep(copy({ key: 'deadlineNear:x', kind: 'deadlineNear', invite: undefined }));
    await store.keep(copy({ epaId: 'epa-2222222222' }));
    const mine = await store.list('epa-1234567890');
    expect(mine.map((c) => `${c.key}/${c.role}`).sort()).toEqual([
      'deadlineNear:x/apprentice',
      'invite:observation-1:0/apprentice',
      'invite:observation-1:0/employer',
    ]);
    expect(mine.find((c) => c.key === 'deadlineNear:x')?.invite).toBeUndefined();
    expect(await store.erase('epa-1234567890')).toBe(3);
    expect(await store.list('epa-1234567890')).toEqual([]);
    expect(await store.read('epa-1234567890', 'invite:observation-1:0', 'apprentice')).toBeUndefined();
    expect(await store.erase('epa-1234567890')).toBe(0);
    expect(await store.list('epa-2222222222')).toHaveLength(1);
  });
}
