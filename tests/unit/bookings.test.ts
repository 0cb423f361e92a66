/**
 * Bookings a person can trust: a reschedule remembers what it moved; an assessor replaced by a
 * reschedule is sent a CANCEL; a booking on a weekend, a bank holiday or outside the EPAO's booking
 * hours is a warning (an EPAO setting, not a seed rule). Notice: 001 §5.
 */
import { londonInstant } from '../../src/calendar';
import { plan, st0071Gateway, type RawEvent } from '../support/cases';

const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
const sam = { name: 'Sam Oduya', email: 'sam@assessors.example' };
const booked = (on: string, at: string, assessor?: typeof priya): RawEvent => ({
  type: 'AssessmentBooked',
  component: 'observation',
  on,
  at,
  ...(assessor && { assessor }),
});

test('a reschedule with another assessor: REQUEST to the new one, CANCEL (same UID and SEQUENCE) to the one replaced', () => {
  const v = plan(
    'ST0071',
    [...st0071Gateway, booked('2026-11-17', '2027-01-12T10:00', priya), booked('2026-11-20', '2027-01-19T10:00', sam)],
    '2026-11-21',
  );
  const invites = v.notifications.filter((n) => n.kind === 'invite' || n.kind === 'inviteCancelled');
  expect(invites.map((n) => [n.key, n.kind, n.to, n.assessor?.email, n.sequence, n.movedFrom])).toEqual([
    ['invite:observation-1:1', 'invite', ['apprentice', 'employer', 'assessor'], sam.email, 1, '2027-01-12T10:00'],
    ['invite:observation-1:1:cancel-replaced-assessor', 'inviteCancelled', ['assessor'], priya.email, 1, undefined],
  ]);
  const cancel = invites[1]!;
  expect([cancel.inviteUid, cancel.assessmentAt, cancel.at]).toEqual([
    'observation-1',
    '2027-01-12T10:00',
    londonInstant('2026-11-20'),
  ]);
});

test('the same assessor, or a first booking: no CANCEL; the invite says where it moved from only after a reschedule', () => {
  const same = plan(
    'ST0071',
    [
      ...st0071Gateway,
      booked('2026-11-17', '2027-01-12T10:00', priya),
      booked('2026-11-20', '2027-01-19T10:00', { ...priya, email: 'PRIYA@assessors.example' }),
    ],
    '2026-11-21',
  );
  expect(same.notifications.filter((n) => n.kind === 'inviteCancelled')).toEqual([]);
  const first = plan('ST0071', [...st0071Gateway, booked('2026-11-17', '2027-01-12T10:00', priya)], '2026-11-18');
  expect(first.notifications.find((n) => n.kind === 'invite')?.movedFrom).toBeUndefined();
});

test('an assessor-only change: the invite names what changed (the assessor), no earlier time; the one replaced gets the CANCEL (002 Assessment Booking)', () => {
  const v = plan(
    'ST0071',
    [...st0071Gateway, booked('2026-11-17', '2027-01-12T10:00', priya), booked('2026-11-20', '2027-01-12T10:00', sam)],
    '2026-11-21',
  );
  const invites = v.notifications.filter((n) => n.kind === 'invite' || n.kind === 'inviteCancelled');
  expect(invites.map((n) => [n.key, n.to, n.assessor?.email, n.sequence, n.movedFrom, n.changed])).toEqual([
    ['invite:observation-1:1', ['apprentice', 'employer', 'assessor'], sam.email, 1, undefined, ['assessor']],
    ['invite:observation-1:1:cancel-replaced-assessor', ['assessor'], priya.email, 1, undefined, undefined],
  ]);
  const moved = plan(
    'ST0071',
    [...st0071Gateway, booked('2026-11-17', '2027-01-12T10:00', priya), booked('2026-11-20', '2027-01-19T10:00', priya)],
    '2026-11-21',
  ).notifications.find((n) => n.kind === 'invite')!;
  expect([moved.movedFrom, moved.changed]).toEqual(['2027-01-12T10:00', ['time']]);
});

test('bookings on a weekend, a bank holiday or outside 08:00–18:00 are warnings, marked as an EPAO setting', () => {
  const at = (when: string) =>
    plan('ST0071', [...st0071Gateway, booked('2026-11-17', when)], '2026-11-18').warnings.map((w) => [
      w.rule,
      w.source,
      w.message,
    ]);
  expect(at('2027-01-16T10:00')).toEqual([
    ['bookingOnNonWorkingDay', 'EPAO setting', 'Practical observation with Q&A booked for 2027-01-16, a weekend'],
  ]);
  expect(at('2026-12-28T10:00')).toEqual([
    [
      'bookingOnNonWorkingDay',
      'EPAO setting',
      'Practical observation with Q&A booked for 2026-12-28, a bank holiday (Boxing Day (substitute day))',
    ],
  ]);
  expect(at('2027-01-12T18:30')).toEqual([
    ['bookingOutsideHours', 'EPAO setting', 'Practical observation with Q&A booked for 18:30, outside 08:00–18:00'],
  ]);
  expect(at('2027-01-12T07:59')).toHaveLength(1);
  expect(at('2027-01-12T08:00')).toEqual([]);
  expect(plan('ST0071', [...st0071Gateway, booked('2026-11-17', '2027-01-12T10:00')], '2026-11-18').violations).toEqual([]); // warnings, never violations
});
