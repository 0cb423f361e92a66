/** Staff accounts: scrypt hashes, `epa users add | list | disable | reset`, and signing in. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword, signIn, verifyPassword } from '../../src/app/users';
import { main, type Io } from '../../src/cli/main';
import { FileUserStore } from '../../src/store/user-store';
import { userStoreContract } from '../support/user-store-contract';

const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-users-')), 'users.json');
const store = new FileUserStore(file);
let stdin = '';

async function epa(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => stdin, now: () => 0 };
  const before = process.env.EPA_USERS_FILE;
  process.env.EPA_USERS_FILE = file;
  try {
    return { code: await main(['node', 'epa', 'users', ...args], io), out, err };
  } finally {
    if (before === undefined) delete process.env.EPA_USERS_FILE;
    else process.env.EPA_USERS_FILE = before;
  }
}

test('a password hash is scrypt with its own salt: the same password hashes differently, and only it verifies', async () => {
  const a = await hashPassword('a long enough password');
  const b = await hashPassword('a long enough password');
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
  expect(a).not.toBe(b);
  await expect(verifyPassword('a long enough password', a)).resolves.toBe(true);
  await expect(verifyPassword('a long enough passwore', a)).resolves.toBe(false);
});

test('epa users: add prints the password once, list never shows it, disable stops sign-in, reset starts it again', async () => {
  const added = await epa(['add', 'nadia', '--role', 'admin', '--name', 'Nadia Quill']);
  expect(added.code).toBe(0);
  const password = /password: (\S+)/.exec(added.out)![1]!;
  expect(password.length).toBeGreaterThanOrEqual(20);
  expect(readFileSync(file, 'utf8')).not.toContain(password);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  await expect(signIn(store, 'nadia', password)).resolves.toMatchObject({
    username: 'nadia',
    role: 'admin',
    name: 'Nadia Quill',
  });

  const again = await epa(['add', 'nadia', '--role', 'ops', '--name', 'Someone Else']);
  expect([again.code, again.err]).toEqual([2, 'epa: username: there is already a user "nadia"\n']);
  const badRole = await epa(['add', 'olu', '--role', 'owner', '--name', 'Olu Brandt']);
  expect(badRole.code).toBe(2);
  expect(badRole.err).toContain('role');
  stdin = 'too short\n';
  const short = await epa(['add', 'olu', '--role', 'ops', '--name', 'Olu Brandt', '--password-stdin']);
  expect([short.code, short.err]).toEqual([2, 'epa: password: at least 12 characters\n']);

  const list = await epa(['list', '--json']);
  expect(JSON.parse(list.out)).toEqual([
    expect.objectContaining({ username: 'nadia', name: 'Nadia Quill', role: 'admin', disabled: false }),
  ]);
  expect(list.out).not.toContain('scrypt');

  expect((await epa(['disable', 'nadia'])).code).toBe(0);
  await expect(signIn(store, 'nadia', password)).resolves.toBeUndefined();
  expect((await epa(['list'])).out).toMatch(/nadia\s+Nadia Quill\s+admin\s+disabled/);
  const reset = await epa(['reset', 'nadia']);
  const fresh = /password: (\S+)/.exec(reset.out)![1]!;
  await expect(signIn(store, 'nadia', password)).resolves.toBeUndefined();
  await expect(signIn(store, 'nadia', fresh)).resolves.toMatchObject({ username: 'nadia' });
  const nobody = await epa(['disable', 'nobody']);
  expect([nobody.code, nobody.err]).toEqual([3, 'epa: no user "nobody"\n']);
});

describe('the users file keeps the account store contract', () => {
  let n = 0;
  userStoreContract(() => new FileUserStore(path.join(path.dirname(file), `contract-${++n}`, 'users.json')));
});
