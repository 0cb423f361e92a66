/** Voiding an event recorded in error (src/epa/corrections.ts): an epa-flow rule, not a seed rule. Notice: 001 §5. */
import {
  invitesAfterVoid,
  RECORDED_KEPT,
  refold,
  trimRecorded,
  voidEvent,
  voidNames,
  type RecordedEvent,
} from '../../src/epa/corrections';
import { voidWithOwnId } from '../../src/app/epa-client';
import { EpaInputError, EpaTransitionError, newEpa, recordEvent, ruleContext } from '../../src/epa';
import { plan, st0071Gateway } from '../support/cases';

const ctx = ruleContext('ST0071', 'innovate');
const base = recordEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: '2026-11-02' }, ctx).state;
const ev = (e: Record<string, unknown>): RecordedEvent => ({ event: e as RecordedEvent['event'] });
const passed = ev({ type: 'GatewayPassed', on: '2026-11-16', eventId: 'p' });
const booked = ev({ type: 'AssessmentBooked', on: '2026-11-17', component: 'observation', at: '2027-01-12T10:00', eventId: 'b' });
const taken = ev({ type: 'AssessmentTaken', on: '2027-01-12', component: 'observation', eventId: 't' });

test('epa plan leaves out what an EventVoided names, as a live EPA does', () => {
  const events = [
    ...st0071Gateway,
    { type: 'AssessmentBooked', on: '2026-11-17', component: 'observation', at: '2027-01-12T10:00', eventId: 'b' },
  ];
  expect(plan('ST0071', events, '2026-11-18').components.observation!.attempts).toHaveLength(1);
  expect(
    plan('ST0071', [...events, { type: 'EventVoided', on: '2026-11-18', eventId: 'b', reason: 'booked in error' }], '2026-11-18')
      .components.observation!.attempts,
  ).toEqual([]);
});

test('a void works the state out again; unknown, repeated, protected and depended-on targets are refused with a reason', () => {
  const recorded = [passed, booked, taken];
  const v = voidEvent(ctx, base, recorded, 't', { reason: 'not taken', on: '2027-01-13' });
  expect(v.state.components.observation!.attempts[0]!.takenOn).toBeUndefined();
  expect(v.recorded[2]!.voided).toEqual({ reason: 'not taken', on: '2027-01-13' });
  expect(() => voidEvent(ctx, base, v.recorded, 't', { reason: 'again', on: '2027-01-13' })).toThrow(/already voided/);
  expect(() => voidEvent(ctx, base, recorded, 'zzz', { reason: 'x', on: '2027-01-13' })).toThrow(EpaInputError);
  expect(() => voidEvent(ctx, base, recorded, 'b', { reason: 'x', on: '2027-01-13' })).toThrow(
    /cannot void the AssessmentBooked .*AssessmentTaken of 2027-01-12 depends on it/,
  );
  expect(() =>
    voidEvent(
      ctx,
      base,
      [
        ...recorded,
        ev({ type: 'ContactDetailsChanged', on: '2027-01-13', role: 'apprentice', email: 'a@b.example', eventId: 'c' }),
      ],
      'c',
      { reason: 'x', on: '2027-01-13' },
    ),
  ).toThrow(EpaTransitionError);
  expect(refold(ctx, base, recorded)).toEqual(
    recordEvent(recordEvent(recordEvent(base, passed.event, ctx).state, booked.event, ctx).state, taken.event, ctx).state,
  );
});

test(`only the newest ${RECORDED_KEPT} events are kept to void; older ones are folded into the base`, () => {
  const recorded: RecordedEvent[] = [
    passed,
    ...Array.from({ length: RECORDED_KEPT + 10 }, (_, i) =>
      ev({ type: 'ReportSubmitted', on: '2026-11-20', words: 2500, eventId: `r${i}` }),
    ),
  ];
  const folded = trimRecorded(ctx, base, recorded);
  expect(recorded).toHaveLength(RECORDED_KEPT);
  expect(folded.eventCount).toBe(1 + 11);
  expect(() => voidEvent(ctx, folded, recorded, 'r0', { reason: 'x', on: '2026-11-21' })).toThrow(/older than the newest/);
  expect(refold(ctx, folded, recorded).eventCount).toBe(1 + RECORDED_KEPT + 11);
});

test('a void names its target in voids with an id of its own; one recorded before 1.1 (its eventId the target) reads the same (issue 28)', () => {
  const events = [
    ...st0071Gateway,
    { type: 'AssessmentBooked', on: '2026-11-17', component: 'observation', at: '2027-01-12T10:00', eventId: 'b' },
  ];
  const voided = plan(
    'ST0071',
    [...events, { type: 'EventVoided', on: '2026-11-18', eventId: 'v1', voids: 'b', reason: 'booked in error' }],
    '2026-11-18',
  );
  expect(voided.components.observation!.attempts).toEqual([]);
  expect(voidNames({ eventId: 'v1', voids: 'b' })).toEqual({ eventId: 'v1', voids: 'b' });
  expect(voidNames({ eventId: 'b' })).toEqual({ voids: 'b' }); // before 1.1: no id of its own
  expect(() => voidNames({})).toThrow(EpaInputError);
  // The client gives a void its own id: the Idempotency-Key, or void.<target>; the old form is read as voids.
  expect(voidWithOwnId({ voids: 'b', reason: 'in error', on: '2026-11-18' }, 'key-1')).toMatchObject({
    voids: 'b',
    eventId: 'key-1',
  });
  expect(voidWithOwnId({ voids: 'b', reason: 'in error', on: '2026-11-18' }, undefined)).toMatchObject({
    voids: 'b',
    eventId: 'void.b',
  });
  expect(voidWithOwnId({ eventId: 'b', reason: 'in error', on: '2026-11-18' }, undefined)).toMatchObject({
    voids: 'b',
    eventId: 'void.b',
  });
});

test('a void that puts the earlier assessor back re-issues the invite as an assessor change, not a move (002 Assessment Booking)', () => {
  const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
  const sam = { name: 'Sam Oduya', email: 'sam@assessors.example' };
  const first = { type: 'AssessmentBooked', on: '2026-11-17', component: 'observation', at: '2027-01-12T10:00', assessor: priya };
  const second = { ...first, on: '2026-11-18', assessor: sam };
  const before = plan('ST0071', [...st0071Gateway, first, second], '2026-11-19');
  const after = plan('ST0071', [...st0071Gateway, first], '2026-11-19');
  const sent = new Set(before.notifications.filter((n) => n.kind === 'invite').map((n) => n.key));
  const [reissued] = invitesAfterVoid(before, after, sent, 0, '7');
  expect([reissued!.kind, reissued!.assessor, reissued!.changed, reissued!.movedFrom, reissued!.sequence]).toEqual([
    'invite',
    priya,
    ['assessor'],
    undefined,
    2,
  ]);
});
