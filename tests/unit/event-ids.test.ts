/** Idempotent events (src/epa/event-ids.ts): an epa-flow rule, not a seed rule. */
import { EpaDuplicateEventError } from '../../src/epa/errors';
import { checkEventId, eventFingerprint, EVENT_IDS_KEPT, rememberEventId, type SeenEventIds } from '../../src/epa/event-ids';
import { parseEvent } from '../../src/epa/event-check';
import { EpaEvent } from '../../src/epa/events';

test('the fingerprint is what the event says: key order, its id and who sent it do not matter; any field does', () => {
  const a = eventFingerprint('AssessmentBooked', {
    on: '2027-01-05',
    component: 'observation',
    at: '2027-01-26T10:00',
    eventId: 'x',
    by: 'ann',
  });
  expect(eventFingerprint('AssessmentBooked', { at: '2027-01-26T10:00', component: 'observation', on: '2027-01-05' })).toBe(a);
  expect(eventFingerprint('AssessmentBooked', { on: '2027-01-05', component: 'observation', at: '2027-01-26T11:00' })).not.toBe(
    a,
  );
  expect(eventFingerprint('AssessmentTaken', { on: '2027-01-05', component: 'observation', at: '2027-01-26T10:00' })).not.toBe(a);
  expect(eventFingerprint('Withdrawn', { on: '2027-01-05', reason: 'x', override: { reason: 'a' } })).not.toBe(
    eventFingerprint('Withdrawn', { on: '2027-01-05', reason: 'x', override: { reason: 'b' } }),
  );
});

test('new, repeat, or refused; the newest ids are kept', () => {
  const seen: SeenEventIds = {};
  const booked = { on: '2027-01-05', component: 'observation', at: '2027-01-26T10:00', eventId: 'evt-1' };
  expect(checkEventId(seen, 'AssessmentBooked', booked)).toBe('new');
  rememberEventId(seen, 'AssessmentBooked', booked);
  expect(checkEventId(seen, 'AssessmentBooked', { ...booked })).toBe('repeat');
  expect(() => checkEventId(seen, 'AssessmentBooked', { ...booked, at: '2027-01-27T10:00' })).toThrow(EpaDuplicateEventError);
  expect(checkEventId(seen, 'AssessmentBooked', { ...booked, eventId: undefined })).toBe('new'); // no id: never a repeat
  for (let i = 0; i < EVENT_IDS_KEPT + 5; i++) rememberEventId(seen, 'GatewayPassed', { on: '2027-01-05', eventId: `n-${i}` });
  expect(Object.keys(seen)).toHaveLength(EVENT_IDS_KEPT);
  expect(seen['evt-1']).toBeUndefined();
});

test('eventId is part of the vocabulary in both checks, and malformed ids are refused alike', () => {
  const ok = { type: 'GatewayPassed', on: '2027-01-05', eventId: '0b5f3c1e-6a7d-4c1e-9d2a-5f6e7a8b9c0d' };
  expect(parseEvent(ok, 'event')).toEqual(EpaEvent.parse(ok));
  for (const eventId of ['', 'has space', 'x'.repeat(101), 42]) {
    expect(EpaEvent.safeParse({ ...ok, eventId }).success).toBe(false);
    expect(() => parseEvent({ ...ok, eventId }, 'event')).toThrow(/event\.eventId/);
  }
});
