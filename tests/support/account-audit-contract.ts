/**
 * The contract of the audit list of changes to accounts (AccountAudit, src/app/users.ts) that every
 * adapter must pass: the JSON-lines file (tests/unit/accounts.test.ts) and PostgreSQL
 * (tests/cluster/pg-staff.test.ts). `make()` returns a fresh, empty list and an empty account store.
 */
import {
  addAccount,
  changeAccountRole,
  disableAccount,
  resetAccountPassword,
  type AccountAudit,
  type AccountChange,
  type UserStore,
} from '../../src/app/users';

const change = (n: number, extra: Partial<AccountChange> = {}): AccountChange => ({
  at: new Date(Date.UTC(2027, 2, 15, 9, 0, n)).toISOString(),
  by: { username: 'amira', name: 'Amira Sollen' },
  account: { username: `user${String(n).padStart(2, '0')}`, name: `Person ${n}` },
  change: 'disabled',
  ...extra,
});

export function accountAuditContract(make: () => Promise<{ audit: AccountAudit; users: UserStore }>): void {
  test('changes read back as written, newest first, at most the number asked for', async () => {
    const { audit } = await make();
    expect(await audit.recent(10)).toEqual([]);
    const first = change(1, { change: 'added', role: 'ops', passwordGenerated: true });
    const second = change(2, { change: 'role-changed', from: 'ops', role: 'admin' });
    const third = change(3, {
      change: 'password-reset',
      passwordGenerated: false,
      enabledAgain: true,
      by: { name: 'the command line (root)' },
    });
    for (const c of [first, second, third]) await audit.append(c);
    expect(await audit.recent(10)).toEqual([third, second, first]);
    expect(await audit.recent(2)).toEqual([third, second]);
  });

  test('a change written in the same millisecond as another still comes after it', async () => {
    const { audit } = await make();
    await audit.append(change(1, { change: 'disabled' }));
    await audit.append(change(1, { change: 'enabled' }));
    expect((await audit.recent(5)).map((c) => c.change)).toEqual(['enabled', 'disabled']);
  });

  test('twenty changes written at once are all kept', async () => {
    const { audit } = await make();
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.append(change(i))));
    const kept = await audit.recent(100);
    expect(kept.map((c) => c.account.username).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `user${String(i).padStart(2, '0')}`),
    );
  });

  test('the use cases write each change there, and never a password or a hash', async () => {
    const { audit, users } = await make();
    const accounts = { users, audit };
    const by = { username: 'amira', name: 'Amira Sollen' };
    await addAccount(accounts, { name: 'the command line (root)' }, { username: 'amira', name: 'Amira Sollen', role: 'admin' });
    const added = await addAccount(accounts, by, { username: 'zoe', name: 'Zoe Kent', role: 'ops' });
    await changeAccountRole(accounts, by, 'zoe', 'admin');
    const reset = await resetAccountPassword(accounts, by, 'zoe', 'a temporary password typed in');
    await disableAccount(accounts, by, 'zoe');
    const kept = await audit.recent(10);
    expect(kept.map((c) => [c.by.name, c.change, c.account.username])).toEqual([
      ['Amira Sollen', 'disabled', 'zoe'],
      ['Amira Sollen', 'password-reset', 'zoe'],
      ['Amira Sollen', 'role-changed', 'zoe'],
      ['Amira Sollen', 'added', 'zoe'],
      ['the command line (root)', 'added', 'amira'],
    ]);
    const text = JSON.stringify(kept);
    for (const secret of [added.password, reset.password, 'scrypt$']) expect(text).not.toContain(secret);
  });
}
