/**
 * Staff accounts (`epa users …` and the web sign-in): named users with a role (admin: read and
 * record; ops: read), passwords hashed with scrypt (a memory-hard KDF, Node's own), accounts
 * disabled rather than deleted so what they recorded still names them.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { EpaInputError, fromZodError } from '../epa/errors';

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
    name: z.string().trim().min(1, 'give the name to show').max(200),
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

/** Disables an account: it can no longer sign in; what it recorded still names it. */
export async function disableUser(store: UserStore, username: string): Promise<StaffUserView> {
  const user = { ...(await existing(store, username)), disabled: true };
  await store.put(user);
  return view(user);
}

/** A new password (generated unless given), and the account enabled again. */
export async function resetPassword(
  store: UserStore,
  username: string,
  password = generatePassword(),
  now = new Date(),
): Promise<{ user: StaffUserView; password: string }> {
  const checked = Password.safeParse(password);
  if (!checked.success) throw new EpaInputError(checked.error.issues[0]!.message, 'password');
  const user: StaffUser = {
    ...(await existing(store, username)),
    passwordHash: await hashPassword(password),
    disabled: false,
    passwordChangedAt: now.toISOString(),
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
