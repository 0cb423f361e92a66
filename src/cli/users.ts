/** `epa users add | list | disable | reset | role`: staff accounts for the web pages (PostgreSQL with EPA_DATABASE_URL, else users.json in the data directory). */
import type { Command } from 'commander';
import { addUser, disableUser, listUsers, resetPassword, setRole, staffRoles, type UserStore } from '../app/users';
import { loadConfig } from '../config';
import { openUsers } from '../store/stores';
import type { Io } from './io';
import { table } from './table';

export function addUserCommands(program: Command, io: Io): void {
  /** The accounts: in PostgreSQL with a database (every API host sees them), the users file otherwise. */
  const withStore = async <T>(fn: (store: UserStore) => Promise<T>): Promise<T> => {
    const { users, close } = await openUsers(loadConfig());
    try {
      return await fn(users);
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
        addUser(store, { username, name: opts.name, role: opts.role, ...(password && { password }) }),
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
      const list = await withStore((store) => listUsers(store));
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
      const user = await withStore((store) => disableUser(store, username));
      io.stdout(`disabled ${user.username}\n`);
    });
  users
    .command('reset <username>')
    .description('a new password (printed once), the account enabled again, its old sessions ended')
    .action(async (username: string) => {
      const { user, password } = await withStore((store) => resetPassword(store, username));
      io.stdout(`reset ${user.username}\npassword: ${password}\n(shown once)\n`);
    });
  users
    .command('role <username> <role>')
    .description(`give an account another role (${staffRoles.join(' or ')}); its sessions end at once`)
    .action(async (username: string, role: string) => {
      const user = await withStore((store) => setRole(store, username, role));
      io.stdout(`${user.username} is now ${user.role} (signed out everywhere)\n`);
    });
}
