/**
 * Sending a failed message again (the event MessageSentAgain, issue 29 part 4): which messages may
 * be sent again, and the message that goes. Pure and zod-free: the workflow's validator and handler
 * and the staff pages' check-your-answers page judge with the same functions.
 *
 * A message may be sent again when its last answer for that recipient was a failure for good (the
 * mail server refused it, e.g. 550 unknown recipient) and no copy of it has been delivered since.
 * It goes under a new key, the original's with `/again-<n>` (so the sent record, which sends each
 * key once, sends it, under a new Message-ID), to the recipient's address as it stands now.
 * Bounces after the server accepted a message (a 250, then a bounce report) are not received
 * today: such a message shows as delivered and is not offered. The hook for them: whatever reads
 * bounce reports one day tells the EPA's workflow (a signal naming the message key and role), which
 * marks that log entry `failed` with the report's reason; everything here then applies unchanged.
 */
import { instantInWords } from './display-names';
import type { Role } from './deadlines';
import type { Notification } from './notifications';

const AGAIN = /\/again-(\d+)$/;

/** The key a message was first sent under: `k/again-2` → `k`. */
export function originalKey(key: string): string {
  return key.replace(AGAIN, '');
}

/** Whether `key` is a sending again of the message first sent under `base`. */
export function isAgainOf(key: string, base: string): boolean {
  return key.startsWith(`${base}/again-`) && AGAIN.test(key) && originalKey(key) === base;
}

/** A message's line in the EPA's log, as far as these rules read it. */
export interface LoggedMessage {
  key: string;
  kind: string;
  role?: string;
  status: string;
  at: string;
}

/**
 * Why this message cannot be sent again to `role`, in words; undefined when it can. `sent`: the
 * keys the workflow has handed to delivery (its sent set): one sent again and not yet answered is
 * under way, and is not sent a second time (the pages, without it, leave that to the workflow).
 */
export function resendRefusal(
  log: readonly LoggedMessage[],
  key: string,
  role: string,
  sent?: ReadonlySet<string>,
): string | undefined {
  const entry = [...log].reverse().find((l) => l.key === key && (l.role ?? '') === role);
  if (!entry) return 'This EPA has no such message: choose one from its messages';
  if (entry.kind === 'inviteCancelledAtOldAddress')
    return 'This cancellation went to an address that is no longer the contact’s, so it is not sent again';
  if (entry.status === 'sent')
    return 'This message was delivered to the recipient’s mail server, so it is not sent again: only a message that failed can be';
  if (entry.status === 'expired') return 'This message was not sent because its moment had passed, so it is not sent again';
  const base = originalKey(key);
  const delivered = log.find(
    (l) =>
      (l.role ?? '') === role &&
      l.status === 'sent' &&
      (l.key === base || isAgainOf(l.key, base) || l.key.startsWith(`${base}:readdressed-${role}-`)),
  );
  if (delivered)
    return delivered.key.startsWith(`${base}:readdressed-`)
      ? `This message went again to the corrected address when the contact details were changed (delivered ${instantInWords(delivered.at)})`
      : `This message has been sent again already and was delivered ${instantInWords(delivered.at)}`;
  if (sent && [...sent].some((k) => isAgainOf(k, base) && !log.some((l) => l.key === k)))
    return 'This message is being sent again now: its outcome will show in the EPA’s messages';
  return undefined;
}

/** The key the next sending again of `base` goes under: `/again-<n>`, n one above any used. */
export function nextAgainKey(base: string, sent: ReadonlySet<string>, log: readonly LoggedMessage[]): string {
  let n = 1;
  const used = (k: string) => sent.has(k) || log.some((l) => l.key === k);
  while (used(`${base}/again-${n}`)) n++;
  return `${base}/again-${n}`;
}

/**
 * A later calendar message for the same assessment (a rebooking, a cancellation) in `schedule`: the
 * failed invite is out of date, and sending it again would put an old booking in the calendar.
 */
export function supersededInvite(n: Notification, schedule: readonly Notification[]): Notification | undefined {
  if (n.inviteUid === undefined) return undefined;
  return schedule.find(
    (x) =>
      x.inviteUid === n.inviteUid &&
      x.key !== n.key &&
      (x.kind === 'invite' || x.kind === 'inviteCancelled') &&
      (x.sequence ?? 0) > (n.sequence ?? 0),
  );
}

/** The message sent again: as it was, under `key`, to `role` only (at the address the role has now), at once. */
export function messageAgain(n: Notification, key: string, role: Role, at: number): Notification {
  const { expiresAt: _late, ...rest } = n;
  return { ...rest, key, to: [role], at };
}
