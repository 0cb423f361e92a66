/**
 * The staff account store's contract (UserStore, src/app/users.ts) as tests any store must pass: the
 * users file (tests/unit/users.test.ts) and PostgreSQL (tests/cluster/pg-staff.test.ts). `make()`
 * returns a fresh, empty store.
 */
import { addUser, disableUser, resetPassword, setRole, signIn, type StaffUser, type UserStore } from '../../src/app/users';

const account = (username: string, extra: Partial<StaffUser> = {}): StaffUser => ({
  username,
  name: `Name of ${username}`,
  role: 'ops',
  passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
  disabled: false,
  createdAt: '2026-12-01T09:00:00.000Z',
  passwordChangedAt: '2026-12-01T09:00:00.000Z',
  ...extra,
});

export function userStoreContract(make: () => UserStore | Promise<UserStore>): void {
  test('put adds or replaces an account by username; get and list read it back, listed by username', async () => {
    const store = await make();
    expect(await store.list()).toEqual([]);
    expect(await store.get('zoe')).toBeUndefined();
    await store.put(account('zoe'));
    await store.put(account('abel', { role: 'admin' }));
    await store.put(account('zoe', { disabled: true }));
    expect((await store.list()).map((u) => [u.username, u.role, u.disabled])).toEqual([
      ['abel', 'admin', false],
      ['zoe', 'ops', true],
    ]);
    expect(await store.get('zoe')).toEqual(account('zoe', { disabled: true }));
  });

  test('twenty accounts added at once are all kept', async () => {
    const store = await make();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(account(`user${String(i).padStart(2, '0')}`))));
    expect((await store.list()).map((u) => u.username)).toEqual(
      Array.from({ length: 20 }, (_, i) => `user${String(i).padStart(2, '0')}`),
    );
  });

  test('the account rules hold on it: sign in, disable, reset; the password itself is never stored', async () => {
    const store = await make();
    const { password } = await addUser(store, { username: 'mira', name: 'Mira Osei', role: 'admin' });
    await expect(signIn(store, 'mira', password)).resolves.toMatchObject({ username: 'mira', role: 'admin' });
    expect(JSON.stringify(await store.list())).not.toContain(password);
    await disableUser(store, 'mira');
    await expect(signIn(store, 'mira', password)).resolves.toBeUndefined();
    const reset = await resetPassword(store, 'mira');
    await expect(signIn(store, 'mira', reset.password)).resolves.toMatchObject({ username: 'mira' });
    await expect(signIn(store, 'mira', password)).resolves.toBeUndefined();
  });

  test('disabling, resetting and a new role each raise the session generation the store keeps (sessions before it end)', async () => {
    const store = await make();
    const { user } = await addUser(store, { username: 'tomas', name: 'Tomás Ruiz', role: 'ops' });
    expect(user.sessionGeneration ?? 0).toBe(0);
    const generation = async () => (await store.get('tomas'))?.sessionGeneration ?? 0;
    await setRole(store, 'tomas', 'admin');
    expect(await generation()).toBe(1);
    expect((await store.get('tomas'))?.role).toBe('admin');
    await disableUser(store, 'tomas');
    expect(await generation()).toBe(2);
    await resetPassword(store, 'tomas');
    expect(await generation()).toBe(3);
    expect((await store.list()).find((u) => u.username === 'tomas')?.sessionGeneration).toBe(3);
    await expect(setRole(store, 'tomas', 'owner')).rejects.toThrow('the role is admin or ops');
    expect(await generation()).toBe(3);
  });

  test('a name with a control character, a right-to-left override or a lone surrogate is refused in words, and nothing stored', async () => {
    const store = await make();
    for (const [name, found] of [
      ['Mira\u0000 Osei', 'U+0000'],
      ['Mira \u202eiesO', 'U+202E'],
      ['Mira \ud800Osei', 'U+D800'],
    ] as const)
      await expect(addUser(store, { username: 'mira', name, role: 'ops' })).rejects.toThrow(found);
    expect(await store.list()).toEqual([]);
  });
}
