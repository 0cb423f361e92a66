/**
 * The accounts page (admins): every staff account, and the audit list of changes to them; add an
 * account, disable or enable one, reset its password, change its role. Each change is a form, then
 * a check-your-answers page, then the use case (src/app/users.ts, as `epa users` calls it). A
 * password (generated or typed) is shown once, on the page the change answers with: never kept in
 * the session, never in a redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountChanges,
  addAccount,
  changeAccountRole,
  checkNewAccount,
  describeAccountChange,
  disableAccount,
  enableAccount,
  getAccount,
  listUsers,
  resetAccountPassword,
  roleNames,
  Username,
  UserNotFoundError,
  type Accounts,
  type Actor,
  type FieldProblem,
  type StaffUserView,
} from '../../app/users';
import { httpStatusOf } from '../../app/errors';
import { EpaInputError } from '../../epa/errors';
import { londonDateTimeText } from '../filters';
import { requireStaff } from '../middleware/session';
import { render, type PageContext } from '../render';

type Posted = Record<string, string | undefined>;
interface ErrorLink {
  text: string;
  href: string;
}

const ADMINS_ONLY = 'Only admins can see and change staff accounts. Ask an admin if an account needs a change.';

/** The posted fields as strings (a field that is not one is treated as missing). */
const fieldsOf = (req: FastifyRequest): Posted =>
  Object.fromEntries(
    Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
  );

/** A typed password, or undefined to have one generated (a blank box). */
const typedPassword = (p: Posted): string | undefined => (p.password ? p.password : undefined);

export function accountRoutes(app: FastifyInstance, ctx: PageContext, accounts: Accounts, now: () => number): void {
  const admin = requireStaff('admin', ADMINS_ONLY);
  const guarded = { preHandler: admin };
  const posting = { preHandler: [admin, app.csrfProtection] };
  const actor = (req: FastifyRequest): Actor => ({ username: req.session.user!.username, name: req.session.user!.name });
  const at = () => new Date(now());

  /** The account named in the address: one that exists, or not found in words. */
  const accountIn = async (req: FastifyRequest): Promise<StaffUserView> => {
    const { username } = req.params as { username: string };
    if (!Username.safeParse(username).success) throw new UserNotFoundError('There is no account with that username.');
    try {
      return await getAccount(accounts.users, username);
    } catch (err) {
      if (err instanceof UserNotFoundError) throw new UserNotFoundError(`There is no account with the username ${username}.`);
      throw err;
    }
  };

  /** A check-your-answers page: what will change, to whom, what happens next, and the button that does it. */
  const check = (
    req: FastifyRequest,
    reply: FastifyReply,
    page: {
      title: string;
      caption?: string;
      rows: { key: string; value: string }[];
      next: string[];
      action: string;
      button: string;
      warning?: boolean;
      hidden?: Record<string, string>;
      changeable?: boolean;
      errors?: ErrorLink[];
    },
  ) => render(req, reply, ctx, 'pages/account-check.njk', { hidden: {}, errors: [], ...page });

  const refused = (err: unknown): ErrorLink | undefined =>
    err instanceof EpaInputError ? { text: err.detail, href: '#confirm' } : undefined;

  // The list: accounts by name, and the newest changes to them.
  app.get('/accounts', guarded, async (req, reply) => {
    const flash = req.session.flash;
    if (flash) req.session.flash = undefined;
    const users = (await listUsers(accounts.users)).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    const changes = (await accountChanges(accounts, 50)).map((c) => ({
      when: londonDateTimeText(c.at),
      text: describeAccountChange(c),
    }));
    return render(req, reply, ctx, 'pages/accounts.njk', {
      flash,
      accounts: users.map((u) => ({
        ...u,
        roleText: roleNames[u.role],
        passwordSet: londonDateTimeText(u.passwordChangedAt),
        you: u.username === req.session.user!.username,
      })),
      changes,
    });
  });

  // Add an account: the form, its check, then the account and its password shown once.
  const showNew = (req: FastifyRequest, reply: FastifyReply, posted: Posted, problems: FieldProblem[]) =>
    render(req, reply, ctx, 'pages/account-new.njk', {
      posted,
      errors: problems.map((p) => ({ text: p.text, href: `#${p.field === 'role' ? 'role' : p.field}` })),
      fieldErrors: Object.fromEntries(problems.map((p) => [p.field, p.text])),
      roles: roleNames,
    });
  const newAccountOf = (p: Posted) => ({
    name: (p.name ?? '').trim(),
    username: (p.username ?? '').trim().toLowerCase(),
    role: p.role ?? '',
    ...(typedPassword(p) !== undefined && { password: typedPassword(p) }),
  });
  const checkNew = (req: FastifyRequest, reply: FastifyReply, raw: ReturnType<typeof newAccountOf>, errors: ErrorLink[] = []) =>
    check(req, reply, {
      title: 'Check the new account',
      rows: [
        { key: 'Full name', value: raw.name },
        { key: 'Username', value: raw.username },
        { key: 'Role', value: roleNames[raw.role as 'admin'] ?? raw.role },
        {
          key: 'Password',
          value: raw.password ? 'The temporary password you typed (not shown)' : 'Generated, and shown once on the next page',
        },
      ],
      next: [
        `${raw.name} can sign in as soon as you add the account.`,
        'Give them the password privately (not by email): it is not shown anywhere else.',
        'The account is added to the list of changes to accounts, with your name.',
      ],
      action: '/accounts/new/confirm',
      button: 'Add account',
      hidden: { name: raw.name, username: raw.username, role: raw.role, ...(raw.password && { password: raw.password }) },
      changeable: true,
      errors,
    });

  app.get('/accounts/new', guarded, async (req, reply) => showNew(req, reply, {}, []));

  app.post('/accounts/new', posting, async (req, reply) => {
    const posted = fieldsOf(req);
    const raw = newAccountOf(posted);
    const problems = await checkNewAccount(accounts.users, raw);
    if (problems.length) return showNew(req, reply.code(httpStatusOf('invalid_input')), { ...posted, password: '' }, problems);
    return checkNew(req, reply, raw);
  });

  app.post('/accounts/new/confirm', posting, async (req, reply) => {
    const posted = fieldsOf(req);
    const raw = newAccountOf(posted);
    if (posted.action === 'change') return showNew(req, reply, { ...posted, password: '' }, []);
    // Checked again: someone may have taken the username since the check page, or the form was altered.
    const problems = await checkNewAccount(accounts.users, raw);
    if (problems.length) return showNew(req, reply.code(httpStatusOf('invalid_input')), { ...posted, password: '' }, problems);
    const { user, password } = await addAccount(accounts, actor(req), raw, at());
    return render(req, reply, ctx, 'pages/account-done.njk', {
      title: `Account added for ${user.name}`,
      account: user,
      roleText: roleNames[user.role],
      password: raw.password ? undefined : password,
      typed: Boolean(raw.password),
    });
  });

  // Disable and enable: a check page, then the change and a banner on the list.
  const disablePage = (req: FastifyRequest, reply: FastifyReply, user: StaffUserView, errors: ErrorLink[] = []) =>
    check(req, reply, {
      title: `Disable ${user.name}’s account?`,
      rows: [
        { key: 'Full name', value: user.name },
        { key: 'Username', value: user.username },
        { key: 'Role', value: roleNames[user.role] },
      ],
      next: [
        `${user.name} is signed out at once, on every device, and can no longer sign in.`,
        'What they recorded still names them. You can enable the account again later.',
      ],
      action: `/accounts/${user.username}/disable`,
      button: 'Disable account',
      warning: true,
      errors,
    });
  app.get('/accounts/:username/disable', guarded, async (req, reply) => disablePage(req, reply, await accountIn(req)));
  app.post('/accounts/:username/disable', posting, async (req, reply) => {
    const user = await accountIn(req);
    try {
      await disableAccount(accounts, actor(req), user.username, at());
    } catch (err) {
      const why = refused(err);
      if (!why) throw err;
      return disablePage(req, reply.code(httpStatusOf('invalid_input')), user, [why]);
    }
    req.session.flash = { title: `${user.name}’s account is disabled: they have been signed out everywhere`, warnings: [] };
    return reply.redirect('/accounts');
  });

  const enablePage = (req: FastifyRequest, reply: FastifyReply, user: StaffUserView, errors: ErrorLink[] = []) =>
    check(req, reply, {
      title: `Enable ${user.name}’s account again?`,
      rows: [
        { key: 'Full name', value: user.name },
        { key: 'Username', value: user.username },
        { key: 'Role', value: roleNames[user.role] },
      ],
      next: [
        `${user.name} can sign in again with the password they had.`,
        'If they no longer know it, reset their password instead: that enables the account too.',
      ],
      action: `/accounts/${user.username}/enable`,
      button: 'Enable account',
      errors,
    });
  app.get('/accounts/:username/enable', guarded, async (req, reply) => enablePage(req, reply, await accountIn(req)));
  app.post('/accounts/:username/enable', posting, async (req, reply) => {
    const user = await accountIn(req);
    try {
      await enableAccount(accounts, actor(req), user.username, at());
    } catch (err) {
      const why = refused(err);
      if (!why) throw err;
      return enablePage(req, reply.code(httpStatusOf('invalid_input')), user, [why]);
    }
    req.session.flash = { title: `${user.name}’s account is enabled: they can sign in again`, warnings: [] };
    return reply.redirect('/accounts');
  });

  // A new role: the choice, its check, then the change.
  const showRole = (req: FastifyRequest, reply: FastifyReply, user: StaffUserView, chosen: string | undefined, error?: string) =>
    render(req, reply, ctx, 'pages/account-role.njk', {
      account: user,
      chosen: chosen ?? user.role,
      roles: roleNames,
      errors: error ? [{ text: error, href: '#role' }] : [],
      error,
    });
  const rolePage = (
    req: FastifyRequest,
    reply: FastifyReply,
    user: StaffUserView,
    role: 'admin' | 'ops',
    errors: ErrorLink[] = [],
  ) =>
    check(req, reply, {
      title: `Change ${user.name}’s role?`,
      rows: [
        { key: 'Full name', value: user.name },
        { key: 'Role now', value: roleNames[user.role] },
        { key: 'New role', value: roleNames[role] },
      ],
      next: [
        `${user.name} is signed out at once, on every device, and signs in again with the new role.`,
        role === 'admin'
          ? 'As an admin they can record events, start EPAs and change accounts.'
          : 'As ops they can read EPAs but not record events or change accounts.',
      ],
      action: `/accounts/${user.username}/role/confirm`,
      button: 'Change role',
      hidden: { role },
      errors,
    });
  app.get('/accounts/:username/role', guarded, async (req, reply) => showRole(req, reply, await accountIn(req), undefined));
  app.post('/accounts/:username/role', posting, async (req, reply) => {
    const user = await accountIn(req);
    const { role } = fieldsOf(req);
    if (role !== 'admin' && role !== 'ops') return showRole(req, reply.code(400), user, undefined, 'Choose a role');
    if (role === user.role)
      return showRole(req, reply.code(400), user, role, `${user.name} is already ${role}: choose the other role`);
    return rolePage(req, reply, user, role);
  });
  app.post('/accounts/:username/role/confirm', posting, async (req, reply) => {
    const user = await accountIn(req);
    const { role } = fieldsOf(req);
    try {
      await changeAccountRole(accounts, actor(req), user.username, role ?? '', at());
    } catch (err) {
      const why = refused(err);
      if (!why) throw err;
      if (role !== 'admin' && role !== 'ops') return showRole(req, reply.code(400), user, undefined, why.text);
      return rolePage(req, reply.code(httpStatusOf('invalid_input')), user, role, [why]);
    }
    req.session.flash = {
      title: `${user.name} is now ${role}: they have been signed out and sign in again with the new role`,
      warnings: [],
    };
    return reply.redirect('/accounts');
  });

  // A password reset: a typed temporary password or a generated one, its check, then the password shown once.
  const showReset = (req: FastifyRequest, reply: FastifyReply, user: StaffUserView, error?: string) =>
    render(req, reply, ctx, 'pages/account-reset.njk', {
      account: user,
      errors: error ? [{ text: error, href: '#password' }] : [],
      error,
    });
  const resetPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    user: StaffUserView,
    password?: string,
    errors: ErrorLink[] = [],
  ) =>
    check(req, reply, {
      title: `Reset ${user.name}’s password?`,
      rows: [
        { key: 'Full name', value: user.name },
        { key: 'Username', value: user.username },
        {
          key: 'New password',
          value: password ? 'The temporary password you typed (not shown)' : 'Generated, and shown once on the next page',
        },
      ],
      next: [
        `${user.name} is signed out at once, on every device; their old password stops working.`,
        ...(user.disabled ? ['Their account is disabled: the reset enables it again.'] : []),
        'Give them the new password privately (not by email).',
      ],
      action: `/accounts/${user.username}/reset/confirm`,
      button: 'Reset password',
      warning: true,
      hidden: password ? { password } : {},
      errors,
    });
  app.get('/accounts/:username/reset', guarded, async (req, reply) => showReset(req, reply, await accountIn(req)));
  app.post('/accounts/:username/reset', posting, async (req, reply) => {
    const user = await accountIn(req);
    const posted = fieldsOf(req);
    const password = typedPassword(posted);
    if (password !== undefined && (password.length < 12 || password.length > 200))
      return showReset(
        req,
        reply.code(400),
        user,
        password.length < 12 ? 'The password must be at least 12 characters' : 'The password must be at most 200 characters',
      );
    return resetPage(req, reply, user, password);
  });
  app.post('/accounts/:username/reset/confirm', posting, async (req, reply) => {
    const user = await accountIn(req);
    const typed = typedPassword(fieldsOf(req));
    let password: string;
    try {
      ({ password } = await resetAccountPassword(accounts, actor(req), user.username, typed, at()));
    } catch (err) {
      if (err instanceof EpaInputError) return showReset(req, reply.code(400), user, err.detail);
      throw err;
    }
    return render(req, reply, ctx, 'pages/account-done.njk', {
      title: `${user.name}’s password is reset`,
      account: { ...user, disabled: false },
      roleText: roleNames[user.role],
      password: typed ? undefined : password,
      typed: Boolean(typed),
      reset: true,
      self: user.username === req.session.user!.username,
    });
  });
}
