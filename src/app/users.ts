/**
 * Staff accounts (`epa users …` and the web sign-in): named users with a role (admin: read and
 * record; ops: read), passwords hashed with scrypt (a memory-hard KDF, Node's own), accounts
 * disabled rather than deleted so what they recorded still names them.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { EpaInputError, fromZodError } from '../epa/errors';
import { Name } from '../epa/people';

export type StaffRole = 'admin' | 'ops';

export interface StaffUser {
  username: string;
  /** The name shown on pages and recorded as `by`. */
  name: string;
  role: StaffRole;
  /** `scrypt$N$r$p$salt$hash` (below). */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string;
  /**
   * Raised when the account is disabled, its password reset or its role changed: a session holds
   * the number it signed in with, and one with an older number is signed out on its next request,
   * in every API process (each request checks it against this store). Absent on accounts made
   * before 1.1: 0.
   */
  sessionGeneration?: number;
}

/** Where accounts are kept: a users file (src/store/user-store.ts) or PostgreSQL (src/store/pg-staff.ts), chosen where a process starts. */
export interface UserStore {
  list(): Promise<StaffUser[]>;
  get(username: string): Promise<StaffUser | undefined>;
  put(user: StaffUser): Promise<void>;
}

export class UserNotFoundError extends Error {
  readonly kind = 'not_found' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UserNotFoundError';
  }
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's minimum for scrypt), 64-byte keys. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 64;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_BYTES, { ...COST, maxmem: 128 * COST.N * COST.r * 2 });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 };
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, options);
  return timingSafeEqual(key, expected);
}

/** A hash to check against when the user is unknown, so an unknown name takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, '2–40 characters: lower-case letters, digits, dot, dash, underscore');
export const Password = z.string().min(12, 'at least 12 characters').max(200, 'at most 200 characters');
export const NewUser = z
  .object({
    username: Username,
    name: Name,
    role: z.enum(['admin', 'ops']),
    password: Password.optional(),
  })
  .strict();

/** A password people can type: 20 characters from 120 random bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** What lists show: never the hash. */
export type StaffUserView = Omit<StaffUser, 'passwordHash'>;
const view = ({ passwordHash: _h, ...user }: StaffUser): StaffUserView => user;

export async function addUser(
  store: UserStore,
  raw: unknown,
  now = new Date(),
): Promise<{ user: StaffUserView; password: string }> {
  const parsed = NewUser.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const { username, name, role } = parsed.data;
  if (await store.get(username)) throw new EpaInputError(`there is already a user "${username}"`, 'username');
  const password = parsed.data.password ?? generatePassword();
  const at = now.toISOString();
  const user: StaffUser = {
    username,
    name,
    role,
    passwordHash: await hashPassword(password),
    disabled: false,
    createdAt: at,
    passwordChangedAt: at,
  };
  await store.put(user);
  return { user: view(user), password };
}

export async function listUsers(store: UserStore): Promise<StaffUserView[]> {
  return (await store.list()).map(view);
}

async function existing(store: UserStore, username: string): Promise<StaffUser> {
  const user = await store.get(username);
  if (!user) throw new UserNotFoundError(`no user "${username.slice(0, 40)}"`);
  return user;
}

/** The account's sessions end: the ones signed in before this change are refused on their next request. */
const endSessions = (user: StaffUser): Pick<StaffUser, 'sessionGeneration'> => ({
  sessionGeneration: (user.sessionGeneration ?? 0) + 1,
});

/** Disables an account: it can no longer sign in, its sessions end at once; what it recorded still names it. */
export async function disableUser(store: UserStore, username: string): Promise<StaffUserView> {
  const before = await existing(store, username);
  const user = { ...before, disabled: true, ...endSessions(before) };
  await store.put(user);
  return view(user);
}

/** A new role: the account's sessions end at once (it signs in again with the new one). */
export async function setRole(store: UserStore, username: string, role: string): Promise<StaffUserView> {
  const checked = z.enum(['admin', 'ops']).safeParse(role);
  if (!checked.success) throw new EpaInputError(`the role is ${staffRoles.join(' or ')}`, 'role');
  const before = await existing(store, username);
  const user: StaffUser = { ...before, role: checked.data, ...endSessions(before) };
  await store.put(user);
  return view(user);
}

/** A new password (generated unless given), the account enabled again, and its sessions ended. */
export async function resetPassword(
  store: UserStore,
  username: string,
  password = generatePassword(),
  now = new Date(),
): Promise<{ user: StaffUserView; password: string }> {
  const checked = Password.safeParse(password);
  if (!checked.success) throw new EpaInputError(checked.error.issues[0]!.message, 'password');
  const before = await existing(store, username);
  const user: StaffUser = {
    ...before,
    passwordHash: await hashPassword(password),
    disabled: false,
    passwordChangedAt: now.toISOString(),
    ...endSessions(before),
  };
  await store.put(user);
  return { user: view(user), password };
}

/** The signed-in user, or undefined (an unknown name, a wrong password and a disabled account look the same). */
export async function signIn(store: UserStore, username: string, password: string): Promise<StaffUserView | undefined> {
  const user = Username.safeParse(username).success ? await store.get(username) : undefined;
  dummyHash ??= hashPassword(generatePassword());
  const ok = await verifyPassword(password.slice(0, 200), user?.passwordHash ?? (await dummyHash));
  return ok && user && !user.disabled ? view(user) : undefined;
}

export const staffRoles: readonly StaffRole[] = ['admin', 'ops'];

/** What a signed-in session holds of its account: who, and the account's session generation and when it signed in. */
export interface SessionAccount {
  username: string;
  role: StaffRole;
  /** The account's `sessionGeneration` when it signed in. */
  generation?: number;
  /** When it signed in (ms since the epoch). */
  signedInAt?: number;
}

/**
 * Why a session may no longer act for its account, or undefined while it may: the account is gone
 * or disabled, its password was reset or its role changed since (its generation moved on), or the
 * session is older than its absolute lifetime, however busy it has been.
 */
export function sessionEnded(
  session: SessionAccount,
  account: StaffUser | undefined,
  absoluteMs: number,
  now: number,
): string | undefined {
  if (!account) return 'the account no longer exists';
  if (account.disabled) return 'the account is disabled';
  if ((session.generation ?? 0) !== (account.sessionGeneration ?? 0)) return 'the account changed since it signed in';
  if (account.role !== session.role) return 'the account changed since it signed in';
  if (session.signedInAt === undefined || now - session.signedInAt >= absoluteMs) return 'the session reached its lifetime';
  return undefined;
}

/*
 * Accounts changed by a person (the accounts page, `epa users`): the same rules from every door,
 * and each change written to the audit list: who did it, when, what, to which account. Never a
 * password: only whether one was generated or set.
 */

/** Who made a change: a signed-in staff account (the pages), or the command line (no username). */
export interface Actor {
  username?: string;
  name: string;
}

export type AccountChangeKind = 'added' | 'disabled' | 'enabled' | 'password-reset' | 'role-changed';

/** One entry on the audit list. */
export interface AccountChange {
  /** ISO time of the change. */
  at: string;
  by: Actor;
  /** The account changed: its username, and its name then. */
  account: { username: string; name: string };
  change: AccountChangeKind;
  /** The role given (added), the roles before and after (role-changed). */
  role?: StaffRole;
  from?: StaffRole;
  /** A reset or an add: whether the password was generated (shown once) or typed by the admin. */
  passwordGenerated?: boolean;
  /** A reset that enabled a disabled account again. */
  enabledAgain?: boolean;
}

/**
 * The audit list of changes to accounts: append-only, read newest first. Its adapters are a JSON
 * lines file (src/store/account-audit.ts) and PostgreSQL (src/store/pg-staff.ts), tested by one
 * contract (tests/support/account-audit-contract.ts).
 */
export interface AccountAudit {
  append(change: AccountChange): Promise<void>;
  /** The newest `limit` changes, newest first. */
  recent(limit: number): Promise<AccountChange[]>;
}

/** What the account use cases work on: the accounts and their audit list. */
export interface Accounts {
  users: UserStore;
  audit: AccountAudit;
}

export const roleNames: Record<StaffRole, string> = {
  admin: 'admin (reads and records)',
  ops: 'ops (reads only)',
};

/** A problem with a field of the new-account form, in words, with the field it belongs to. */
export interface FieldProblem {
  field: 'username' | 'name' | 'role' | 'password';
  text: string;
}

const USERNAME_WORDS =
  'Enter a username of 2 to 40 characters: lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit';

/** Every problem with a new account at once (the form's error summary); none: it can be added. */
export async function checkNewAccount(users: UserStore, raw: Record<string, unknown>): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const name = Name.safeParse(text(raw.name));
  if (!text(raw.name).trim()) problems.push({ field: 'name', text: 'Enter the person’s full name' });
  else if (!name.success) problems.push({ field: 'name', text: `The name ${name.error.issues[0]!.message}` });
  const username = text(raw.username);
  if (!username) problems.push({ field: 'username', text: 'Enter a username' });
  else if (!Username.safeParse(username).success) problems.push({ field: 'username', text: USERNAME_WORDS });
  else if (await users.get(username))
    problems.push({ field: 'username', text: `There is already an account with the username ${username}: choose another` });
  if (!staffRoles.includes(raw.role as StaffRole)) problems.push({ field: 'role', text: 'Choose a role' });
  if (raw.password !== undefined) {
    const problem = passwordProblem(text(raw.password));
    if (problem) problems.push({ field: 'password', text: problem });
  }
  return problems;
}

/** What is wrong with a password an admin typed, in words; undefined when it will do. */
export function passwordProblem(password: string): string | undefined {
  if (!password) return 'Enter a temporary password, or choose to have one generated';
  if (password.length < 12) return 'The password must be at least 12 characters';
  if (password.length > 200) return 'The password must be at most 200 characters';
  return undefined;
}

const accountOf = (u: StaffUserView | StaffUser) => ({ username: u.username, name: u.name });

/** Adds an account and writes it to the audit list; the password (generated unless given) is returned once. */
export async function addAccount(
  a: Accounts,
  by: Actor,
  raw: unknown,
  now = new Date(),
): Promise<{ user: StaffUserView; password: string }> {
  const added = await addUser(a.users, raw, now);
  const generated = !(raw as { password?: unknown } | undefined)?.password;
  await a.audit.append({
    at: now.toISOString(),
    by,
    account: accountOf(added.user),
    change: 'added',
    role: added.user.role,
    passwordGenerated: generated,
  });
  return added;
}

/** The active admins: an account may not be the change that leaves none. */
async function activeAdmins(users: UserStore): Promise<string[]> {
  return (await users.list()).filter((u) => u.role === 'admin' && !u.disabled).map((u) => u.username);
}

/**
 * Disables an account (it can no longer sign in; its sessions end at once). A staff member may not
 * disable their own account, nor the last active admin. (The command line, the way back in, may.)
 */
export async function disableAccount(a: Accounts, by: Actor, username: string, now = new Date()): Promise<StaffUserView> {
  const before = await existing(a.users, username);
  if (before.disabled) throw new EpaInputError(`${before.name}’s account is already disabled`, 'username');
  if (by.username !== undefined) {
    if (by.username === username) throw new EpaInputError('You cannot disable your own account: ask another admin', 'username');
    const admins = await activeAdmins(a.users);
    if (before.role === 'admin' && admins.length <= 1)
      throw new EpaInputError(`${before.name} is the only active admin: make another account an admin first`, 'username');
  }
  const user = await disableUser(a.users, username);
  await a.audit.append({ at: now.toISOString(), by, account: accountOf(user), change: 'disabled' });
  return user;
}

/** Enables a disabled account again: it signs in with the password it had (reset it to give a new one). */
export async function enableAccount(a: Accounts, by: Actor, username: string, now = new Date()): Promise<StaffUserView> {
  const before = await existing(a.users, username);
  if (!before.disabled) throw new EpaInputError(`${before.name}’s account is not disabled`, 'username');
  const user: StaffUser = { ...before, disabled: false };
  await a.users.put(user);
  await a.audit.append({ at: now.toISOString(), by, account: accountOf(user), change: 'enabled' });
  return view(user);
}

/** A new password (generated unless given), the account enabled again, its sessions ended; on the audit list. */
export async function resetAccountPassword(
  a: Accounts,
  by: Actor,
  username: string,
  password?: string,
  now = new Date(),
): Promise<{ user: StaffUserView; password: string }> {
  if (password !== undefined) {
    const problem = passwordProblem(password);
    if (problem) throw new EpaInputError(problem, 'password');
  }
  const before = await existing(a.users, username);
  const reset = await resetPassword(a.users, username, password ?? generatePassword(), now);
  await a.audit.append({
    at: now.toISOString(),
    by,
    account: accountOf(reset.user),
    change: 'password-reset',
    passwordGenerated: password === undefined,
    ...(before.disabled && { enabledAgain: true }),
  });
  return reset;
}

/**
 * A new role (its sessions end at once). A staff member who is the last active admin may not give
 * up the role (nor may anyone take it from them but the command line).
 */
export async function changeAccountRole(
  a: Accounts,
  by: Actor,
  username: string,
  role: string,
  now = new Date(),
): Promise<StaffUserView> {
  const before = await existing(a.users, username);
  if (!staffRoles.includes(role as StaffRole)) throw new EpaInputError(`the role is ${staffRoles.join(' or ')}`, 'role');
  if (before.role === role) throw new EpaInputError(`${before.name} is already ${role}: choose the other role`, 'role');
  if (by.username !== undefined && before.role === 'admin' && !before.disabled) {
    const admins = await activeAdmins(a.users);
    if (admins.length <= 1)
      throw new EpaInputError(
        by.username === username
          ? 'You are the only active admin: make another account an admin before you change your own role'
          : `${before.name} is the only active admin: make another account an admin first`,
        'role',
      );
  }
  const user = await setRole(a.users, username, role);
  await a.audit.append({
    at: now.toISOString(),
    by,
    account: accountOf(user),
    change: 'role-changed',
    from: before.role,
    role: user.role,
  });
  return user;
}

/** One account, without its hash (the pages' account page): not found in words otherwise. */
export async function getAccount(users: UserStore, username: string): Promise<StaffUserView> {
  return view(await existing(users, username));
}

/** The newest changes on the audit list, newest first. */
export async function accountChanges(a: Accounts, limit = 50): Promise<AccountChange[]> {
  return a.audit.recent(Math.max(1, Math.min(limit, 500)));
}

/** A change on the audit list in words: "Amira Sollen disabled Olu Ferris (olu)". */
export function describeAccountChange(c: AccountChange): string {
  const who = c.by.name;
  const whom = `${c.account.name} (${c.account.username})`;
  switch (c.change) {
    case 'added':
      return `${who} added ${whom} as ${c.role ?? 'a user'}${c.passwordGenerated ? ', with a generated password' : ', with a password they set'}`;
    case 'disabled':
      return `${who} disabled ${whom}: signed out everywhere`;
    case 'enabled':
      return `${who} enabled ${whom} again`;
    case 'password-reset':
      return `${who} reset the password of ${whom}${c.passwordGenerated ? ' (generated)' : ' (set by them)'}${c.enabledAgain ? ' and enabled the account again' : ''}: signed out everywhere`;
    case 'role-changed':
      return `${who} changed the role of ${whom} from ${c.from ?? 'another role'} to ${c.role ?? 'another role'}: signed out everywhere`;
  }
}
