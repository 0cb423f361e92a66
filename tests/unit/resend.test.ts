/**
 * Sending a failed message again (MessageSentAgain, src/epa/resend.ts, issue 29 part 4): which
 * messages may be sent again (refusals in words), the key it goes under, the message as it goes,
 * the zod and zod-free checks agreeing, the rules unmoved, and its timeline entry and display name.
 */
import { eventName } from '../../src/epa/display-names';
import { MessageSentAgain } from '../../src/epa/events';
import { parseEvent } from '../../src/epa/event-check';
import type { Notification } from '../../src/epa/notifications';
import {
  isAgainOf,
  messageAgain,
  nextAgainKey,
  originalKey,
  resendRefusal,
  supersededInvite,
  type LoggedMessage,
} from '../../src/epa/resend';
import { timelineEntry } from '../../src/epa/timeline';
import { timelineItems } from '../../src/app/case-file';
import { plan, st0071Gateway } from '../support/cases';

const at = '2027-01-04T09:00:00.000Z';
const failed: LoggedMessage = {
  key: 'deadlineNear:reportDue:2027-02-01',
  kind: 'deadlineNear',
  role: 'employer',
  status: 'failed',
  at,
};
const log = (...more: LoggedMessage[]): LoggedMessage[] => [{ ...failed, role: 'apprentice', status: 'sent' }, failed, ...more];

test('the display name and the event in words on the timeline', () => {
  expect(eventName('MessageSentAgain')).toBe('Message sent again');
});

test('a message that failed for good can be sent again; one delivered, expired, unknown or of another recipient cannot, said in words', () => {
  expect(resendRefusal(log(), failed.key, 'employer')).toBeUndefined();
  expect(resendRefusal(log(), failed.key, 'apprentice')).toMatch(
    /^This message was delivered .* only a message that failed can be$/,
  );
  expect(resendRefusal(log(), failed.key, 'provider')).toBe('This EPA has no such message: choose one from its messages');
  expect(resendRefusal(log(), 'invite:observation-1:0', 'employer')).toMatch(/no such message/);
  expect(resendRefusal([{ ...failed, status: 'expired' }], failed.key, 'employer')).toMatch(/moment had passed/);
  expect(resendRefusal([{ ...failed, kind: 'inviteCancelledAtOldAddress' }], failed.key, 'employer')).toMatch(
    /no longer the contact’s/,
  );
});

test('once sent again and delivered it is not offered again, from the original nor from a failed earlier try', () => {
  const again1 = { ...failed, key: `${failed.key}/again-1`, at: '2027-01-05T10:30:00.000Z' };
  // The first try failed too: the original and that try may both be sent again.
  expect(resendRefusal(log(again1), failed.key, 'employer')).toBeUndefined();
  expect(resendRefusal(log(again1), again1.key, 'employer')).toBeUndefined();
  const again2 = { ...failed, key: `${failed.key}/again-2`, status: 'sent', at: '2027-01-06T11:00:00.000Z' };
  const refused = 'This message has been sent again already and was delivered Wednesday 6 January 2027 at 11:00am';
  expect(resendRefusal(log(again1, again2), failed.key, 'employer')).toBe(refused);
  expect(resendRefusal(log(again1, again2), again1.key, 'employer')).toBe(refused);
  // The invite re-issued to a corrected address counts as sent again.
  const readdressed = { ...failed, key: `${failed.key}:readdressed-employer-7`, status: 'sent' };
  expect(resendRefusal(log(readdressed), failed.key, 'employer')).toMatch(/went again to the corrected address/);
});

test('one sent again and not yet answered is under way: not sent a second time', () => {
  const sent = new Set([failed.key, `${failed.key}/again-1`]);
  expect(resendRefusal(log(), failed.key, 'employer', sent)).toMatch(/being sent again now/);
  expect(resendRefusal(log({ ...failed, key: `${failed.key}/again-1` }), failed.key, 'employer', sent)).toBeUndefined();
});

test('each sending again has a new key: the original with /again-<n>, n one above any used', () => {
  expect(nextAgainKey(failed.key, new Set([failed.key]), log())).toBe(`${failed.key}/again-1`);
  expect(nextAgainKey(failed.key, new Set([`${failed.key}/again-1`]), log())).toBe(`${failed.key}/again-2`);
  expect(nextAgainKey(failed.key, new Set(), log({ ...failed, key: `${failed.key}/again-1` }))).toBe(`${failed.key}/again-2`);
  expect(originalKey(`${failed.key}/again-12`)).toBe(failed.key);
  expect(isAgainOf(`${failed.key}/again-3`, failed.key)).toBe(true);
  expect(isAgainOf(`${failed.key}/again-3x`, failed.key)).toBe(false);
  expect(isAgainOf(`${failed.key}x/again-3`, failed.key)).toBe(false);
});

test('the message as it goes again: to that role only, at once, never expired; a rebooked invite is out of date', () => {
  const invite: Notification = {
    key: 'invite:observation-1:0',
    kind: 'invite',
    at: 1,
    expiresAt: 2,
    to: ['apprentice', 'employer', 'assessor'],
    inviteUid: 'observation-1',
    sequence: 0,
  };
  expect(messageAgain(invite, 'invite:observation-1:0/again-1', 'employer', 99)).toEqual({
    key: 'invite:observation-1:0/again-1',
    kind: 'invite',
    at: 99,
    to: ['employer'],
    inviteUid: 'observation-1',
    sequence: 0,
  });
  const rebooked = { ...invite, key: 'invite:observation-1:1', sequence: 1 };
  expect(supersededInvite(invite, [invite])).toBeUndefined();
  expect(supersededInvite(invite, [invite, rebooked])).toBe(rebooked);
  expect(supersededInvite({ ...invite, inviteUid: undefined }, [rebooked])).toBeUndefined();
});

test.each([
  ['a failed message to the employer', { message: failed.key, role: 'employer' }, true, ''],
  ['with a reason', { message: failed.key, role: 'assessor', reason: 'Address corrected' }, true, ''],
  ['no message named', { role: 'employer' }, false, 'event.message'],
  ['an unknown role', { message: failed.key, role: 'landlord' }, false, 'event.role'],
  ['a reason too short', { message: failed.key, role: 'employer', reason: 'no' }, false, 'event.reason'],
  ['a key too long', { message: 'k'.repeat(301), role: 'employer' }, false, 'event.message'],
])('the workflow check and the zod schema agree on %s', (_what, fields, accepted, path) => {
  const raw = { type: 'MessageSentAgain', on: '2027-01-05', by: 'Amira Sollen', ...fields };
  expect(MessageSentAgain.safeParse(raw).success).toBe(accepted);
  if (accepted) expect(parseEvent(raw)).toMatchObject(fields);
  else expect(() => parseEvent(raw)).toThrow(expect.objectContaining({ path }));
});

test('sending again changes no stage, deadline, grade or finding; its timeline entry names the message and says it in words', () => {
  const event = { type: 'MessageSentAgain', on: '2026-11-20', message: failed.key, role: 'employer', by: 'Olu Brandt' };
  const without = plan('ST0071', st0071Gateway, '2026-11-30');
  const withIt = plan('ST0071', [...st0071Gateway, event], '2026-11-30');
  expect(withIt.stage).toBe(without.stage);
  expect(withIt.deadlines).toEqual(without.deadlines);
  expect(withIt.violations).toEqual(without.violations);
  const entry = timelineEntry({ ...event, reason: 'Address corrected' }, without, withIt, 5, Date.parse(at));
  expect(entry).toMatchObject({ message: { key: failed.key, role: 'employer' }, reason: 'Address corrected', changed: [] });
  expect(timelineEntry({ type: 'NoteAdded', on: '2026-11-20', text: 'x' }, without, withIt, 6, 0).message).toBeUndefined();
  const status = { ...withIt, timeline: [entry], overrides: [] };
  const [item] = timelineItems(status, {}, [failed]);
  expect(item).toMatchObject({
    title: 'Message sent again',
    by: 'Olu Brandt',
    reason: 'Address corrected',
    lines: ['“Deadline near” to the employer'],
  });
  const subjects = new Map([[`${failed.key}\u0000employer`, 'The project report is due soon']]);
  expect(timelineItems(status, {}, [failed], subjects)[0]!.lines).toEqual(['“The project report is due soon” to the employer']);
});
