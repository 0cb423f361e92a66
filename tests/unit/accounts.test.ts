/**
 * The account use cases every door calls (src/app/users.ts: the accounts page and `epa users`):
 * adding, disabling, enabling, resetting and changing the role of an account, the rules that keep
 * an admin in charge, and the audit list each change is written to (its file adapter here, its
 * PostgreSQL adapter in tests/cluster/pg-staff.test.ts, one contract).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  accountChanges,
  addAccount,
  changeAccountRole,
  checkNewAccount,
  describeAccountChange,
  disableAccount,
  enableAccount,
  resetAccountPassword,
  signIn,
  type Accounts,
  type StaffUser,
} from '../../src/app/users';
import { FileAccountAudit, MemoryAccountAudit } from '../../src/store/account-audit';
import { FileUserStore } from '../../src/store/user-store';
import { accountAuditContract } from '../support/account-audit-contract';

const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-accounts-'));
let n = 0;
const fresh = (): Accounts => {
  const sub = path.join(dir, `case-${++n}`);
  return { users: new FileUserStore(path.join(sub, 'users.json')), audit: new FileAccountAudit(path.join(sub, 'changes.jsonl')) };
};
const AMIRA = { username: 'amira', name: 'Amira Sollen' };
const CLI = { name: 'the command line (root)' };
const AT = new Date('2027-03-15T12:00:00Z');

/** Two accounts: Amira, the one admin, and Olu, ops. */
async function team(): Promise<Accounts & { olu: string }> {
  const a = fresh();
  await addAccount(a, CLI, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: 'amira long password' }, AT);
  const olu = await addAccount(a, AMIRA, { username: 'olu', name: 'Olu Ferris', role: 'ops' }, AT);
  return { ...a, olu: olu.password };
}

const stored = async (a: Accounts, username: string): Promise<StaffUser> => (await a.users.get(username))!;

describe('the audit list in a file keeps the contract', () => {
  accountAuditContract(async () => {
    const a = fresh();
    return { audit: a.audit, users: a.users };
  });

  test('the file is owner-only, one change a line; a line cut short is skipped', async () => {
    const file = path.join(dir, 'cut', 'changes.jsonl');
    const audit = new FileAccountAudit(file);
    await audit.append({ at: AT.toISOString(), by: AMIRA, account: { username: 'olu', name: 'Olu Ferris' }, change: 'disabled' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, '{"at":"2027-03-15T12:0');
    expect((await audit.recent(5)).map((c) => c.change)).toEqual(['disabled']);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('"change":"disabled"');
  });
});

describe('the audit list in memory keeps the contract', () => {
  accountAuditContract(async () => ({ audit: new MemoryAccountAudit(), users: fresh().users }));
});

test('a new account: every problem with the form at once, in words', async () => {
  const a = await team();
  expect(await checkNewAccount(a.users, { username: 'Olu Ferris', name: ' ', role: 'owner', password: 'short' })).toEqual([
    { field: 'name', text: 'Enter the person’s full name' },
    { field: 'username', text: expect.stringMatching(/^Enter a username of 2 to 40 characters: lower-case letters/) },
    { field: 'role', text: 'Choose a role' },
    { field: 'password', text: 'The password must be at least 12 characters' },
  ]);
  expect(await checkNewAccount(a.users, { username: 'olu', name: 'Olu Again', role: 'ops' })).toEqual([
    { field: 'username', text: 'There is already an account with the username olu: choose another' },
  ]);
  expect(await checkNewAccount(a.users, { username: 'zoe', name: 'Zoe Kent', role: 'ops' })).toEqual([]);
  expect(await checkNewAccount(a.users, { username: 'zoe', name: 'Zoe \u202eKent', role: 'ops' })).toEqual([
    { field: 'name', text: expect.stringContaining('U+202E') },
  ]);
});

test('adding an account: it signs in with the password returned once, and the audit list says who added it as what', async () => {
  const a = await team();
  await expect(signIn(a.users, 'olu', a.olu)).resolves.toMatchObject({ username: 'olu', role: 'ops' });
  const [latest] = await accountChanges(a);
  expect(latest).toEqual({
    at: AT.toISOString(),
    by: AMIRA,
    account: { username: 'olu', name: 'Olu Ferris' },
    change: 'added',
    role: 'ops',
    passwordGenerated: true,
  });
  expect(describeAccountChange(latest!)).toBe('Amira Sollen added Olu Ferris (olu) as ops, with a generated password');
  await expect(addAccount(a, AMIRA, { username: 'olu', name: 'Olu Two', role: 'ops' })).rejects.toThrow(
    'there is already a user "olu"',
  );
  expect(await accountChanges(a)).toHaveLength(2);
});

test('disabling: the account cannot sign in, its sessions end; enabling lets it sign in again with its password', async () => {
  const a = await team();
  const before = (await stored(a, 'olu')).sessionGeneration ?? 0;
  await disableAccount(a, AMIRA, 'olu', AT);
  expect(await stored(a, 'olu')).toMatchObject({ disabled: true, sessionGeneration: before + 1 });
  await expect(signIn(a.users, 'olu', a.olu)).resolves.toBeUndefined();
  await expect(disableAccount(a, AMIRA, 'olu')).rejects.toThrow('Olu Ferris’s account is already disabled');
  await enableAccount(a, AMIRA, 'olu', AT);
  await expect(signIn(a.users, 'olu', a.olu)).resolves.toMatchObject({ username: 'olu' });
  await expect(enableAccount(a, AMIRA, 'olu')).rejects.toThrow('Olu Ferris’s account is not disabled');
  expect((await accountChanges(a)).slice(0, 2).map(describeAccountChange)).toEqual([
    'Amira Sollen enabled Olu Ferris (olu) again',
    'Amira Sollen disabled Olu Ferris (olu): signed out everywhere',
  ]);
});

test('an admin cannot disable their own account, nor leave the service without an active admin', async () => {
  const a = await team();
  await expect(disableAccount(a, AMIRA, 'amira')).rejects.toThrow('You cannot disable your own account: ask another admin');
  await expect(changeAccountRole(a, AMIRA, 'amira', 'ops')).rejects.toThrow(
    'You are the only active admin: make another account an admin before you change your own role',
  );
  expect(await stored(a, 'amira')).toMatchObject({ role: 'admin', disabled: false });
  // With a second admin, Amira may step down (and is signed out); the last admin left may not be disabled by anyone on the pages.
  await changeAccountRole(a, AMIRA, 'olu', 'admin');
  await changeAccountRole(a, AMIRA, 'amira', 'ops');
  expect((await stored(a, 'amira')).role).toBe('ops');
  await expect(disableAccount(a, AMIRA, 'olu')).rejects.toThrow(
    'Olu Ferris is the only active admin: make another account an admin first',
  );
  // The command line is the way back in: it may.
  await disableAccount(a, CLI, 'olu');
  expect((await stored(a, 'olu')).disabled).toBe(true);
  expect((await accountChanges(a, 1))[0]).toMatchObject({ by: CLI, change: 'disabled' });
});

test('a role change: in words when it is the same role or no role; the audit list has both roles', async () => {
  const a = await team();
  await expect(changeAccountRole(a, AMIRA, 'olu', 'ops')).rejects.toThrow('Olu Ferris is already ops: choose the other role');
  await expect(changeAccountRole(a, AMIRA, 'olu', 'owner')).rejects.toThrow('the role is admin or ops');
  await expect(changeAccountRole(a, AMIRA, 'nobody', 'ops')).rejects.toThrow('no user "nobody"');
  await changeAccountRole(a, AMIRA, 'olu', 'admin');
  expect(describeAccountChange((await accountChanges(a, 1))[0]!)).toBe(
    'Amira Sollen changed the role of Olu Ferris (olu) from ops to admin: signed out everywhere',
  );
});

test('a password reset: typed or generated, the old one stops working, sessions end, a disabled account is enabled again', async () => {
  const a = await team();
  await expect(resetAccountPassword(a, AMIRA, 'olu', 'too short')).rejects.toThrow('The password must be at least 12 characters');
  const generation = (await stored(a, 'olu')).sessionGeneration ?? 0;
  const typed = await resetAccountPassword(a, AMIRA, 'olu', 'a temporary password', AT);
  expect(typed.password).toBe('a temporary password');
  await expect(signIn(a.users, 'olu', a.olu)).resolves.toBeUndefined();
  await expect(signIn(a.users, 'olu', 'a temporary password')).resolves.toMatchObject({ username: 'olu' });
  expect((await stored(a, 'olu')).sessionGeneration).toBe(generation + 1);

  await disableAccount(a, AMIRA, 'olu');
  const generated = await resetAccountPassword(a, AMIRA, 'olu', undefined, AT);
  expect(generated.password.length).toBeGreaterThanOrEqual(20);
  await expect(signIn(a.users, 'olu', generated.password)).resolves.toMatchObject({ username: 'olu' });
  const [latest, , earlier] = await accountChanges(a);
  expect(latest).toMatchObject({ change: 'password-reset', passwordGenerated: true, enabledAgain: true });
  expect(earlier).toMatchObject({ change: 'password-reset', passwordGenerated: false });
  expect(earlier).not.toHaveProperty('enabledAgain');
  expect(describeAccountChange(latest!)).toBe(
    'Amira Sollen reset the password of Olu Ferris (olu) (generated) and enabled the account again: signed out everywhere',
  );
  expect(JSON.stringify(await accountChanges(a))).not.toContain('a temporary password');
});
