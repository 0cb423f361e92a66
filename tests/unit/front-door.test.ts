/**
 * The front door's pure parts: the one name check (src/epa/names.ts), JSON depth counted before
 * parsing (src/api/server.ts), EPA_TRUST_PROXY and the session lifetime settings (src/config.ts),
 * when a session ends (src/app/users.ts), the bounded, swept memory session store, and
 * `epa users role`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session } from 'fastify';
import { jsonDepth } from '../../src/api/server';
import { addUser, sessionEnded, type StaffUser } from '../../src/app/users';
import { main, type Io } from '../../src/cli/main';
import { loadConfig } from '../../src/config';
import { EpaStartSchema } from '../../src/epa/people';
import { nameProblem } from '../../src/epa/names';
import { FileUserStore } from '../../src/store/user-store';
import { MemorySessionStore } from '../../src/web/middleware/memory-session-store';
import { epaStart } from '../support/people';

test('names: accents, apostrophes, hyphens, other scripts and emoji are kept; control characters, bidi overrides and lone surrogates are refused', () => {
  for (const ok of ["Siobhán O'Neill-Ní Bhriain", 'Zoë Łukasiewicz', 'محمد الأحمد', '王小明', 'Ana 👩🏽‍🔧 Silva', 'Acme (UK) Ltd.'])
    expect(nameProblem(ok)).toBeUndefined();
  expect(nameProblem('Bram\u0000Okafor')).toBe('must not contain control characters (found U+0000 at character 5)');
  expect(nameProblem('Bram\nOkafor')).toContain('U+000A');
  expect(nameProblem('Bram\u009bOkafor')).toContain('U+009B');
  for (const bidi of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])
    expect(nameProblem(`Invoice ${bidi}fdp.exe`)).toMatch(/^must not contain bidirectional overrides/);
  expect(nameProblem('Bram \ud83dOkafor')).toBe('must not contain half a character (a lone surrogate, U+D83D, at character 6)');
  expect(nameProblem('\udc00')).toContain('U+DC00');
});

test('the start schema refuses such a name at its field (the API, the forms, the import and the CLI all parse with it)', () => {
  const bad = EpaStartSchema.safeParse(
    epaStart({ employer: { organisation: 'Acme\u202e Ltd', name: 'Ola Berg', email: 'ola@employer.example' } }),
  );
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]).toMatchObject({ path: ['employer', 'organisation'], message: expect.stringContaining('U+202E') });
  expect(
    EpaStartSchema.safeParse(epaStart({ apprentice: { name: ' Zoë Ní Bhriain ', email: 'zoe@apprentice.example' } })).data
      ?.apprentice.name,
  ).toBe('Zoë Ní Bhriain');
});

test('JSON depth is counted before parsing: brackets inside strings and escaped quotes do not count; it stops past the limit', () => {
  expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
  expect(jsonDepth('{"a":"[[[[{{{{\\"[[["}')).toBe(1);
  expect(jsonDepth('"plain"')).toBe(0);
  expect(jsonDepth('['.repeat(100_000), 32)).toBe(33);
});

test('EPA_TRUST_PROXY: off unless set; true, or addresses and CIDR ranges; anything else refused in words', () => {
  const env = (v?: string) => loadConfig({ ...(v !== undefined && { EPA_TRUST_PROXY: v }) }).EPA_TRUST_PROXY;
  expect(env()).toBe(false);
  expect(env('false')).toBe(false);
  expect(env('true')).toBe(true);
  expect(env('127.0.0.1')).toEqual(['127.0.0.1']);
  expect(env('10.0.0.0/8, ::1,loopback')).toEqual(['10.0.0.0/8', '::1', 'loopback']);
  expect(() => env('proxy.internal')).toThrow('configuration: EPA_TRUST_PROXY: "proxy.internal" is not an address or CIDR range');
  expect(loadConfig({}).EPA_SESSION_ABSOLUTE_HOURS).toBe(12);
  expect(loadConfig({ EPA_SESSION_ABSOLUTE_HOURS: '4' }).EPA_SESSION_ABSOLUTE_HOURS).toBe(4);
  expect(() => loadConfig({ EPA_SESSION_ABSOLUTE_HOURS: '500' })).toThrow('EPA_SESSION_ABSOLUTE_HOURS');
});

test('a session ends when its account is gone, disabled, changed (generation or role) or past its absolute lifetime', () => {
  const account: StaffUser = {
    username: 'mira',
    name: 'Mira Osei',
    role: 'admin',
    passwordHash: 'x',
    disabled: false,
    createdAt: '2026-12-01T09:00:00.000Z',
    passwordChangedAt: '2026-12-01T09:00:00.000Z',
  };
  const session = { username: 'mira', role: 'admin' as const, generation: 0, signedInAt: 1_000 };
  const HOUR = 3_600_000;
  expect(sessionEnded(session, account, 12 * HOUR, 1_000 + 11 * HOUR)).toBeUndefined();
  expect(sessionEnded(session, account, 12 * HOUR, 1_000 + 12 * HOUR)).toBe('the session reached its lifetime');
  expect(sessionEnded(session, undefined, 12 * HOUR, 2_000)).toBe('the account no longer exists');
  expect(sessionEnded(session, { ...account, disabled: true }, 12 * HOUR, 2_000)).toBe('the account is disabled');
  expect(sessionEnded(session, { ...account, sessionGeneration: 1 }, 12 * HOUR, 2_000)).toBe(
    'the account changed since it signed in',
  );
  expect(sessionEnded(session, { ...account, role: 'ops' }, 12 * HOUR, 2_000)).toBe('the account changed since it signed in');
  // A session from before 1.1 (no sign-in time) ends: it signs in again once.
  expect(sessionEnded({ username: 'mira', role: 'admin' }, account, 12 * HOUR, 2_000)).toBe('the session reached its lifetime');
});

test('the memory session store is bounded (the least recently saved goes first) and sweeps what has expired', () => {
  let now = 0;
  const store = new MemorySessionStore(1_000, 3, () => now);
  const save = (id: string, expires?: number) =>
    store.set(id, { cookie: expires === undefined ? {} : { expires: new Date(expires) } } as unknown as Session, () => undefined);
  const has = (id: string) => {
    let found = false;
    store.get(id, (_e, s) => (found = !!s));
    return found;
  };
  save('a');
  save('b');
  save('c');
  save('a'); // saved again: now the most recent
  save('d');
  expect(store.size).toBe(3);
  expect(['a', 'b', 'c', 'd'].map(has)).toEqual([true, false, true, true]);
  save('e', 5_000);
  now = 1_000;
  store.sweep();
  expect(store.size).toBe(1);
  expect(has('e')).toBe(true);
  now = 5_000;
  expect(has('e')).toBe(false);
  expect(store.size).toBe(0);
  store.close();
});

test('epa users role: a new role, said plainly; an unknown role or user refused in words', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-role-')), 'users.json');
  await addUser(new FileUserStore(file), {
    username: 'mira',
    name: 'Mira Osei',
    role: 'admin',
    password: 'a long enough password',
  });
  const epa = async (args: string[]) => {
    let out = '';
    let err = '';
    const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => '', now: () => 0 };
    process.env.EPA_USERS_FILE = file;
    try {
      return { code: await main(['node', 'epa', 'users', ...args], io), out, err };
    } finally {
      delete process.env.EPA_USERS_FILE;
    }
  };
  expect(await epa(['role', 'mira', 'ops'])).toMatchObject({ code: 0, out: 'mira is now ops (signed out everywhere)\n' });
  const account = await new FileUserStore(file).get('mira');
  expect(account).toMatchObject({ role: 'ops', sessionGeneration: 1 });
  const wrong = await epa(['role', 'mira', 'owner']);
  expect(wrong.code).not.toBe(0);
  expect(wrong.err).toContain('the role is admin or ops');
  const nobody = await epa(['role', 'nobody', 'ops']);
  expect(nobody.err).toContain('no user "nobody"');
});
