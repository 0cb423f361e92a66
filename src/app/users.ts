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
