/**
 * Route tests: the accounts page (src/web/routes/accounts.ts) on in-memory fakes through
 * app.inject. Admins add, disable and enable, reset and change the role of accounts, each through
 * a check-your-answers page and onto the audit list; ops staff get a 403 page in words; bad or
 * tampered input gets its error in words; a password is shown once and never kept.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { FakeAccountAudit, FakeUserStore } from '../support/fake-epa-service';
import { signIn } from '../support/pages';
import { ADMIN, OPS, hiddenFields, pagesApp, session } from '../support/web-app';

let app: FastifyInstance;
let users: FakeUserStore;
let audit: FakeAccountAudit;

beforeEach(async () => {
  ({ app, users, audit } = await pagesApp());
});
afterEach(async () => {
  await app.close();
});

/** Posts a page's hidden fields (its CSRF token, what a check page carries) and `fields` to `action`, as its form would. */
const submit = (cookie: string, page: LightMyRequestResponse, action: string, fields: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: action,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...hiddenFields(page.body), ...fields }).toString(),
  });

/** The page's text without tags, spaces run together: what a reader sees. */
const text = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

const errorSummary = (html: string) =>
  [...(/govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map(
    (m) => [m[1], m[2]!.trim().replace(/&rsquo;|&#39;/g, '’')],
  );

test('ops staff get a 403 page in words; a visitor is sent to sign in; only admins see the Accounts link', async () => {
  const ops = await session(app, OPS);
  for (const url of ['/accounts', '/accounts/new', '/accounts/amira/disable', '/accounts/amira/reset']) {
    const res = await ops.get(url);
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('Only admins can see and change staff accounts. Ask an admin if an account needs a change.');
  }
  const epas = await ops.get('/epas');
  const post = await submit(ops.cookie, epas, '/accounts/amira/disable');
  expect(post.statusCode).toBe(403);
  await expect(users.get('amira')).resolves.toMatchObject({ disabled: false });
  expect(epas.body).not.toContain('href="/accounts"');

  const anonymous = await app.inject({ method: 'GET', url: '/accounts' });
  expect([anonymous.statusCode, anonymous.headers.location]).toEqual([302, '/login?returnTo=%2Faccounts']);
  const admin = await session(app, ADMIN);
  expect((await admin.get('/epas')).body).toContain('href="/accounts"');
});

test('the accounts page lists every account as a card with what an admin can do to it (never disabling themselves)', async () => {
  const admin = await session(app, ADMIN);
  const res = await admin.get('/accounts');
  expect(res.statusCode).toBe(200);
  const page = text(res.body);
  expect(page).toContain('2 accounts');
  expect(page).toContain('Amira Sollen (you)');
  expect(page).toMatch(/Olu Ferris.*Username olu.*Role ops \(reads only\).*Status Active/);
  expect(res.body).toContain('href="/accounts/olu/disable"');
  expect(res.body).not.toContain('href="/accounts/amira/disable"');
  expect(page).toContain('No account has been changed yet.');
  expect(res.body).not.toContain('scrypt');
});

test('adding a colleague: every problem at once, then a check page, then the password shown once; they sign in with it', async () => {
  const admin = await session(app, ADMIN);
  const form = await admin.get('/accounts/new');
  const bad = await submit(admin.cookie, form, '/accounts/new', {
    name: ' ',
    username: 'Sam Okafor',
    role: 'owner',
    password: 'short',
  });
  expect(bad.statusCode).toBe(400);
  expect(errorSummary(bad.body)).toEqual([
    ['#name', 'Enter the person’s full name'],
    ['#username', expect.stringMatching(/^Enter a username of 2 to 40 characters/)],
    ['#role', 'Choose a role'],
    ['#password', 'The password must be at least 12 characters'],
  ]);
  expect(bad.body).not.toContain('value="short"');
  const taken = await submit(admin.cookie, form, '/accounts/new', { name: 'Olu Two', username: 'olu', role: 'ops' });
  expect(errorSummary(taken.body)).toEqual([['#username', 'There is already an account with the username olu: choose another']]);

  const checkPage = await submit(admin.cookie, form, '/accounts/new', {
    name: 'Sam Okafor',
    username: 'Sam.Okafor',
    role: 'ops',
  });
  expect(checkPage.statusCode).toBe(200);
  const check = text(checkPage.body);
  expect(check).toContain('Check the new account');
  expect(check).toMatch(
    /Full name Sam Okafor Username sam\.okafor Role ops \(reads only\) Password Generated, and shown once on the next page/,
  );
  expect(check).toContain('What happens next');
  expect(await users.get('sam.okafor')).toBeUndefined();

  // "Change the details" goes back to the form as filled in.
  const back = await submit(admin.cookie, checkPage, '/accounts/new/confirm', { action: 'change' });
  expect(back.body).toContain('value="Sam Okafor"');
  expect(await users.get('sam.okafor')).toBeUndefined();

  const done = await submit(admin.cookie, checkPage, '/accounts/new/confirm', { action: 'confirm' });
  expect(done.statusCode).toBe(200);
  expect(text(done.body)).toContain('Account added for Sam Okafor');
  const password = /id="new-password"[^>]*>([^<]+)</.exec(done.body)![1]!;
  expect(password.length).toBeGreaterThanOrEqual(20);
  expect(String(done.headers['set-cookie'] ?? '')).not.toContain(password);
  expect((await signIn(app, 'sam.okafor', password)).res.statusCode).toBe(302);

  // Posting the check page again adds nothing: the username is taken now.
  const twice = await submit(admin.cookie, checkPage, '/accounts/new/confirm', { action: 'confirm' });
  expect(twice.statusCode).toBe(400);
  expect(errorSummary(twice.body)[0]).toEqual([
    '#username',
    'There is already an account with the username sam.okafor: choose another',
  ]);

  expect(audit.changes).toEqual([
    {
      at: expect.any(String),
      by: { username: 'amira', name: 'Amira Sollen' },
      account: { username: 'sam.okafor', name: 'Sam Okafor' },
      change: 'added',
      role: 'ops',
      passwordGenerated: true,
    },
  ]);
  const list = await admin.get('/accounts');
  expect(text(list.body)).toContain(
    '15 March 2027 at 12:00 Amira Sollen added Sam Okafor (sam.okafor) as ops, with a generated password',
  );
  expect(list.body).not.toContain(password);
});

test('adding with a typed temporary password: it is never shown back', async () => {
  const admin = await session(app, ADMIN);
  const form = await admin.get('/accounts/new');
  const checkPage = await submit(admin.cookie, form, '/accounts/new', {
    name: 'Tess Ng',
    username: 'tess',
    role: 'admin',
    password: 'a temporary password for tess',
  });
  expect(text(checkPage.body)).toContain('The temporary password you typed (not shown)');
  const done = await submit(admin.cookie, checkPage, '/accounts/new/confirm', { action: 'confirm' });
  expect(done.body).not.toContain('a temporary password for tess');
  expect((await signIn(app, 'tess', 'a temporary password for tess')).res.statusCode).toBe(302);
  expect(audit.changes[0]).toMatchObject({ change: 'added', role: 'admin', passwordGenerated: false });
});

test('disabling a colleague signs them out at once and stops their sign-in; enabling lets them back; the banner takes focus', async () => {
  const admin = await session(app, ADMIN);
  const olu = await session(app, OPS);
  expect((await olu.get('/epas')).statusCode).toBe(200);

  const confirm = await admin.get('/accounts/olu/disable');
  expect(text(confirm.body)).toContain('Disable Olu Ferris’s account?');
  expect(text(confirm.body)).toContain('Olu Ferris is signed out at once, on every device, and can no longer sign in.');
  const res = await submit(admin.cookie, confirm, '/accounts/olu/disable');
  expect([res.statusCode, res.headers.location]).toEqual([302, '/accounts']);

  expect((await olu.get('/epas')).headers.location).toBe('/login?returnTo=%2Fepas');
  expect((await signIn(app, OPS.username, OPS.password)).res.statusCode).toBe(401);

  const list = await admin.get('/accounts');
  expect(list.body).toMatch(
    /<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"[^>]*id="account-changed" tabindex="-1" autofocus/,
  );
  expect(text(list.body)).toContain('Olu Ferris’s account is disabled: they have been signed out everywhere');
  expect(text(list.body)).toMatch(/Olu Ferris.*Status Disabled: cannot sign in/);
  expect(list.body).toContain('href="/accounts/olu/enable"');
  // Shown once.
  expect((await admin.get('/accounts')).body).not.toContain('govuk-notification-banner');

  const again = await submit(admin.cookie, confirm, '/accounts/olu/disable');
  expect(again.statusCode).toBe(400);
  expect(errorSummary(again.body)).toEqual([['#confirm', 'Olu Ferris’s account is already disabled']]);

  const enable = await admin.get('/accounts/olu/enable');
  expect((await submit(admin.cookie, enable, '/accounts/olu/enable')).statusCode).toBe(302);
  expect((await signIn(app, OPS.username, OPS.password)).res.statusCode).toBe(302);
  expect(audit.changes.map((c) => c.change)).toEqual(['disabled', 'enabled']);
});

test('an admin cannot disable themselves, nor step down as the only admin: said in words, nothing changed', async () => {
  const admin = await session(app, ADMIN);
  const confirm = await admin.get('/accounts/amira/disable');
  const self = await submit(admin.cookie, confirm, '/accounts/amira/disable');
  expect(self.statusCode).toBe(400);
  expect(errorSummary(self.body)).toEqual([['#confirm', 'You cannot disable your own account: ask another admin']]);

  const form = await admin.get('/accounts/amira/role');
  const checkPage = await submit(admin.cookie, form, '/accounts/amira/role', { role: 'ops' });
  expect(text(checkPage.body)).toContain('Change Amira Sollen’s role?');
  const demote = await submit(admin.cookie, checkPage, '/accounts/amira/role/confirm');
  expect(demote.statusCode).toBe(400);
  expect(errorSummary(demote.body)).toEqual([
    ['#confirm', 'You are the only active admin: make another account an admin before you change your own role'],
  ]);
  expect(await users.get('amira')).toMatchObject({ role: 'admin', disabled: false });
  expect(audit.changes).toEqual([]);
  expect((await admin.get('/epas')).statusCode).toBe(200);
});

test('a new role: the same role is refused in words; the change signs them out and is on the audit list', async () => {
  const admin = await session(app, ADMIN);
  const olu = await session(app, OPS);
  const form = await admin.get('/accounts/olu/role');
  expect(form.body).toMatch(/value="ops" checked/);
  const same = await submit(admin.cookie, form, '/accounts/olu/role', { role: 'ops' });
  expect(same.statusCode).toBe(400);
  expect(errorSummary(same.body)).toEqual([['#role', 'Olu Ferris is already ops: choose the other role']]);
  const none = await submit(admin.cookie, form, '/accounts/olu/role', {});
  expect(errorSummary(none.body)).toEqual([['#role', 'Choose a role']]);

  const checkPage = await submit(admin.cookie, form, '/accounts/olu/role', { role: 'admin' });
  expect(text(checkPage.body)).toMatch(/Role now ops \(reads only\) New role admin \(reads and records\)/);
  // A role tampered with on the check page: refused in words.
  const tampered = await submit(admin.cookie, checkPage, '/accounts/olu/role/confirm', { role: 'owner' });
  expect(tampered.statusCode).toBe(400);
  expect(text(tampered.body)).toContain('the role is admin or ops');
  const res = await submit(admin.cookie, checkPage, '/accounts/olu/role/confirm');
  expect(res.statusCode).toBe(302);
  expect((await olu.get('/epas')).statusCode).toBe(302);
  expect(await users.get('olu')).toMatchObject({ role: 'admin' });
  expect(text((await admin.get('/accounts')).body)).toContain(
    'Amira Sollen changed the role of Olu Ferris (olu) from ops to admin: signed out everywhere',
  );
});

test('a password reset: generated and shown once, or typed; the old password and sessions end; a disabled account is enabled', async () => {
  const admin = await session(app, ADMIN);
  const olu = await session(app, OPS);
  const form = await admin.get('/accounts/olu/reset');
  const short = await submit(admin.cookie, form, '/accounts/olu/reset', { password: 'short' });
  expect(short.statusCode).toBe(400);
  expect(errorSummary(short.body)).toEqual([['#password', 'The password must be at least 12 characters']]);

  const checkPage = await submit(admin.cookie, form, '/accounts/olu/reset', { password: '' });
  expect(text(checkPage.body)).toContain('New password Generated, and shown once on the next page');
  const done = await submit(admin.cookie, checkPage, '/accounts/olu/reset/confirm');
  expect(done.statusCode).toBe(200);
  const password = /id="new-password"[^>]*>([^<]+)</.exec(done.body)![1]!;
  expect(text(done.body)).toContain('Olu Ferris has been signed out everywhere; their old password no longer works.');
  expect((await olu.get('/epas')).statusCode).toBe(302);
  expect((await signIn(app, OPS.username, OPS.password)).res.statusCode).toBe(401);
  expect((await signIn(app, OPS.username, password)).res.statusCode).toBe(302);

  // Disabled, then reset with a typed password: enabled again, and the password never shown back.
  const disable = await admin.get('/accounts/olu/disable');
  await submit(admin.cookie, disable, '/accounts/olu/disable');
  const form2 = await admin.get('/accounts/olu/reset');
  const check2 = await submit(admin.cookie, form2, '/accounts/olu/reset', { password: 'olu temporary password' });
  expect(text(check2.body)).toContain('Their account is disabled: the reset enables it again.');
  const done2 = await submit(admin.cookie, check2, '/accounts/olu/reset/confirm');
  expect(done2.body).not.toContain('olu temporary password');
  expect((await signIn(app, OPS.username, 'olu temporary password')).res.statusCode).toBe(302);

  expect(audit.changes.map((c) => [c.change, c.passwordGenerated, c.enabledAgain])).toEqual([
    ['password-reset', true, undefined],
    ['disabled', undefined, undefined],
    ['password-reset', false, true],
  ]);
  expect(JSON.stringify(audit.changes)).not.toContain(password);
  expect(JSON.stringify(audit.changes)).not.toContain('olu temporary password');
});

test('an unknown account, a form without its CSRF token and a field sent twice get their answers in words, never a 500', async () => {
  const admin = await session(app, ADMIN);
  const unknown = await admin.get('/accounts/nobody/disable');
  expect(unknown.statusCode).toBe(404);
  expect(text(unknown.body)).toContain('There is no account with the username nobody.');
  const odd = await admin.get('/accounts/..%2Fetc/reset');
  expect(odd.statusCode).toBe(404);
  expect(text(odd.body)).toContain('There is no account with that username.');

  const noToken = await app.inject({
    method: 'POST',
    url: '/accounts/olu/disable',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  });
  expect(noToken.statusCode).toBe(403);
  expect(text(noToken.body)).toContain('The form has expired');
  const form = await admin.get('/accounts/olu/role');
  const twice = await app.inject({
    method: 'POST',
    url: '/accounts/olu/role',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `${new URLSearchParams(hiddenFields(form.body)).toString()}&role=admin&role=ops`,
  });
  expect(twice.statusCode).toBe(400);
  expect(text(twice.body)).toContain('The field "role" was sent more than once');
  expect(await users.get('olu')).toMatchObject({ role: 'ops', disabled: false });
  expect(audit.changes).toEqual([]);
});
