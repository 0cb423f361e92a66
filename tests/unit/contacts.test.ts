/**
 * A contact's corrected email moves their live invites (src/epa/contacts.ts, activities/invite.ts):
 * a CANCEL at the old address that says nothing personal, the invite re-issued to the new one (same
 * UID, higher SEQUENCE). An epa-flow rule, not a seed rule; the invites are 002 Assessment Booking's.
 */
import ICAL from 'ical.js';
import { buildInvite } from '../../activities/invite';
import { renderMessage } from '../../activities/templates';
import type { DeliveryRequest } from '../../activities/types';
import { londonInstant } from '../../src/calendar';
import { emailMoved, invitesAfterContactChange } from '../../src/epa/contacts';
import { keysSentUnder, withInviteOffsets } from '../../src/epa/corrections';
import { recipientsFor } from '../../src/epa/recipients';
import { plan, st0071Gateway } from '../support/cases';

const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
const people = {
  apprentice: { name: 'Ada Testwell', email: 'ada@old.example' },
  employer: { name: 'Noor Castellan', email: 'noor@brightside.example', organisation: 'Brightside Lettings' },
  provider: { name: 'Femi Arkwright', email: 'femi@northgate.example', organisation: 'Northgate College' },
  epaoAdmin: { name: 'EPA Admin', email: 'admin@epao.example' },
};
const view = plan(
  'ST0071',
  [
    ...st0071Gateway,
    {
      type: 'AssessmentBooked',
      on: '2026-11-17',
      component: 'observation',
      at: '2027-01-12T10:00',
      location: '4 Quay Street, Bristol',
      assessor: priya,
    },
  ],
  '2026-11-18',
);
const invite = view.notifications.find((n) => n.kind === 'invite')!;
const now = londonInstant('2026-11-20', '12:00');

test('only a changed address (case aside) moves invites', () => {
  const after = { ...people, apprentice: { ...people.apprentice, email: 'ada@new.example' } };
  expect(emailMoved(people, after, 'apprentice')).toEqual({ from: 'ada@old.example', to: 'ada@new.example' });
  expect(
    emailMoved(people, { ...people, apprentice: { ...people.apprentice, email: 'ADA@old.example' } }, 'apprentice'),
  ).toBeUndefined();
  expect(emailMoved(people, after, 'employer')).toBeUndefined();
});

test('a live invite: CANCEL at the old address, the same invite re-issued to the new one, both one SEQUENCE up', () => {
  const moves = invitesAfterContactChange(view.notifications, new Set([invite.key]), 'apprentice', 'ada@old.example', now, '9');
  expect(moves.map((n) => [n.kind, n.key, n.to, n.sequence, n.inviteUid, n.address])).toEqual([
    [
      'inviteCancelledAtOldAddress',
      'invite:observation-1:0:old-address-apprentice-9',
      ['apprentice'],
      1,
      'observation-1',
      { role: 'apprentice', email: 'ada@old.example' },
    ],
    ['invite', 'invite:observation-1:0:readdressed-apprentice-9', ['apprentice'], 1, 'observation-1', undefined],
  ]);
  // The old address gets only that address; the new one comes from the people as they now are.
  const after = { ...people, apprentice: { ...people.apprentice, email: 'ada@new.example' } };
  expect(recipientsFor(moves[0]!, after)).toEqual([{ role: 'apprentice', name: '', email: 'ada@old.example' }]);
  expect(recipientsFor(moves[1]!, after)).toEqual([{ role: 'apprentice', name: 'Ada Testwell', email: 'ada@new.example' }]);
  // Not sent yet, not to this role, or taken place: nothing to move.
  expect(invitesAfterContactChange(view.notifications, new Set(), 'apprentice', 'ada@old.example', now, '9')).toEqual([]);
  expect(invitesAfterContactChange(view.notifications, new Set([invite.key]), 'provider', 'x@y.example', now, '9')).toEqual([]);
  expect(
    invitesAfterContactChange(
      view.notifications,
      new Set([invite.key]),
      'apprentice',
      'ada@old.example',
      londonInstant('2027-01-13'),
      '9',
    ),
  ).toEqual([]);
  // The assessment's offset rises by one: what was sent stays sent under its new key.
  expect(keysSentUnder(view.notifications, {}, { 'observation-1': 1 }, new Set([invite.key]))).toEqual([
    withInviteOffsets([invite], { 'observation-1': 1 })[0]!.key,
  ]);
});

test('the CANCEL at the old address carries only the date and the EPAO’s name; the re-issue is a REQUEST with the same UID', () => {
  const [cancel, reissue] = invitesAfterContactChange(
    view.notifications,
    new Set([invite.key]),
    'apprentice',
    'ada@old.example',
    now,
    '9',
  );
  const context = {
    standard: 'ST0071',
    standardTitle: 'Customer Service Specialist',
    epaoName: 'Innovate Awarding',
    epaoEmail: 'admin@epao.example',
    apprenticeName: 'Ada Testwell',
    employerName: 'Brightside Lettings',
  };
  const request = (n: typeof cancel): DeliveryRequest => ({
    epaId: 'epa-9123456786',
    notification: n!,
    recipients: recipientsFor(n!, { ...people, apprentice: { ...people.apprentice, email: 'ada@new.example' } }),
    context,
    requestedAt: now,
  });
  const ics = buildInvite(request(cancel), { name: 'Innovate EPA Team', email: 'epa@innovate.example' })!;
  const message = renderMessage(request(cancel), request(cancel).recipients[0]!);
  expect(ics.method).toBe('CANCEL');
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content)).getFirstSubcomponent('vevent')!);
  expect([event.uid, event.sequence, event.startDate.toString(), event.startDate.isDate]).toEqual([
    'epa-9123456786-observation-1@epa-flow',
    1,
    '2027-01-12',
    true,
  ]);
  expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(['mailto:ada@old.example']);
  for (const text of [ics.content.replace(/^UID:.*$/m, ''), message.subject, message.text, message.html]) {
    for (const personal of [
      'Ada',
      'Testwell',
      'Priya',
      'Quay',
      'Bristol',
      'Brightside',
      'ST0071',
      'Customer Service',
      '10:00',
      '9123456786',
    ])
      expect([personal, text.includes(personal)]).toEqual([personal, false]);
  }
  expect(message.subject).toBe('Cancelled: an appointment on Tuesday 12 January 2027');
  expect(message.text).toContain('sent to this address by Innovate Awarding in error');
  const request2 = buildInvite(request(reissue))!;
  expect(request2.method).toBe('REQUEST');
  const reissued = new ICAL.Event(new ICAL.Component(ICAL.parse(request2.content)).getFirstSubcomponent('vevent')!);
  expect([reissued.uid, reissued.sequence, reissued.startDate.toString()]).toEqual([event.uid, 1, '2027-01-12T10:00:00']);
  expect(reissued.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(['mailto:ada@new.example']);
  const words = renderMessage(request(reissue), request(reissue).recipients[0]!);
  expect(words.text).toContain('this invite replaces the one sent to the earlier address');
  expect(`${words.subject}\n${words.text}`).not.toMatch(/moved|rescheduled|new time/i);
});
