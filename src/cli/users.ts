/** `epa users add | list | disable | enable | reset | role`: staff accounts for the web pages (PostgreSQL with EPA_DATABASE_URL, else users.json in the data directory), each change on the accounts' audit list. */
import os from 'node:os';
import type { Command } from 'commander';
import {
  addAccount,
  changeAccountRole,
  disableAccount,
  enableAccount,
  listUsers,
  resetAccountPassword,
  staffRoles,
  type Accounts,
  type Actor,
} from '../app/users';
import { loadConfig } from '../config';
import { openUsers } from '../store/stores';
import type { Io } from './io';
import { table } from './table';

export function addUserCommands(program: Command, io: Io): void {
  /** The accounts and their audit list: in PostgreSQL with a database (every API host sees them), files otherwise. */
  const withStore = async <T>(fn: (accounts: Accounts) => Promise<T>): Promise<T> => {
    const { users, accountAudit, close } = await openUsers(loadConfig());
    try {
      return await fn({ users, audit: accountAudit });
    } finally {
      await close();
    }
  };
  const users = program.command('users').description('staff accounts for the web pages: admin (read and record) or ops (read)');
  users
    .command('add <username>')
    .description('add an account; its password is printed once (or give --password-stdin)')
    .requiredOption('--role <role>', `${staffRoles.join(' or ')}`)
    .requiredOption('--name <name>', 'the name shown on pages and recorded as "by"')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (username: string, opts: { role: string; name: string; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? io.readStdin().replace(/\r?\n$/, '') : undefined;
      const added = await withStore((store) =>
        addAccount(store, cli(), { username, name: opts.name, role: opts.role, ...(password && { password }) }),
      );
      io.stdout(
        `added ${added.user.username} (${added.user.role})` +
          (password ? '\n' : `\npassword: ${added.password}\n(shown once: give it to ${added.user.name} privately)\n`),
      );
    });
  users
    .command('list')
    .description('every account: name, role, disabled or not')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const list = await withStore((store) => listUsers(store.users));
      io.stdout(
        opts.json
          ? JSON.stringify(list, null, 2) + '\n'
          : table(
              list.map((u) => ({
                username: u.username,
                name: u.name,
                role: u.role,
                status: u.disabled ? 'disabled' : 'active',
                'password set': u.passwordChangedAt.slice(0, 10),
              })),
            ) + '\n',
      );
    });
  users
    .command('disable <username>')
    .description('stop an account signing in and end its sessions at once (what it recorded still names it)')
    .action(async (username: string) => {
      const user = await withStore((store) => disableAccount(store, cli(), username));
      io.stdout(`disabled ${user.username}\n`);
    });
  users
    .command('enable <username>')
    .description('let a disabled account sign in again with the password it had (reset gives it a new one)')
    .action(async (username: string) => {
      const user = await withStore((store) => enableAccount(store, cli(), username));
      io.stdout(`enabled ${user.username}\n`);
    });
  users
    .command('reset <username>')
    .description('a new password (printed once), the account enabled again, its old sessions ended')
    .action(async (username: string) => {
      const { user, password } = await withStore((store) => resetAccountPassword(store, cli(), username));
      io.stdout(`reset ${user.username}\npassword: ${password}\n(shown once)\n`);
    });
  users
    .command('role <username> <role>')
    .description(`give an account another role (${staffRoles.join(' or ')}); its sessions end at once`)
    .action(async (username: string, role: string) => {
      const user = await withStore((store) => changeAccountRole(store, cli(), username, role));
      io.stdout(`${user.username} is now ${user.role} (signed out everywhere)\n`);
    });
}

/** Who a change from the command line is recorded as: the command line, and the operating-system account that ran it. */
function cli(): Actor {
  let who = 'unknown';
  try {
    who = os.userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the command line alone.
  }
  return { name: `the command line (${who.slice(0, 40)})` };
}
