/**
 * Nothing a person can send may leave an EPA with a date the rules cannot compute: accepted dates
 * are bounded to what the working-day calendar covers (and the error says so), and every date the
 * rules derive from an accepted event can be computed. Inside a workflow such a failure would fail
 * every workflow task (an EPA that can never be read, corrected or withdrawn).
 * Not a seed rule: a bound of epa-flow's calendar.
 */
import fc from 'fast-check';
import { acceptedDates, addDays, daysBetween, endOfLondonDay } from '../../src/calendar';
import { EpaInputError, EpaTransitionError, newEpa, parseEvent, recordEvent, ruleContext, view } from '../../src/epa';
import { EpaEvent } from '../../src/epa/events';
import { EpaStartSchema } from '../../src/epa/people';
import { FINDINGS_KEPT } from '../../src/epa/state';
import { epaStart } from '../support/people';
import { eventStep, eventsFrom } from '../support/arbitraries';

const outside = [
  '1999-12-31',
  '2000-06-01',
  acceptedDates.from.replace(/-01-01$/, '-00-00'),
  addDays(acceptedDates.from, -1),
  addDays(acceptedDates.to, 1),
  '2099-01-01',
  '9999-12-25',
].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !d.endsWith('-00-00'));

test('dates outside the calendar are refused, naming the range, by the zod schemas and the workflow check alike', () => {
  for (const on of outside) {
    const raw = { type: 'GatewayPassed', on };
    const zod = EpaEvent.safeParse(raw);
    expect(zod.success).toBe(false);
    expect(zod.error!.issues[0]!.message).toContain(`between ${acceptedDates.from} and ${acceptedDates.to}`);
    expect(() => parseEvent(raw, 'event')).toThrow(new EpaInputError(zod.error!.issues[0]!.message, 'event.on'));
  }
  const booking = { type: 'AssessmentBooked', on: '2027-01-05', component: 'observation', at: '2099-01-26T10:00' };
  expect(() => parseEvent(booking, 'event')).toThrow(/event\.at: must be between/);
  expect(EpaEvent.safeParse(booking).success).toBe(false);
  expect(EpaStartSchema.safeParse(epaStart({ gatewaySubmittedOn: '9999-12-25' })).success).toBe(false);
  // The edges themselves are accepted.
  for (const on of [acceptedDates.from, acceptedDates.to])
    expect(parseEvent({ type: 'GatewayPassed', on }, 'event')).toEqual({ type: 'GatewayPassed', on });
});

test('inherited property names (constructor, toString, __proto__) are unknown fields, not known ones', () => {
  for (const raw of [
    { type: 'GatewayPassed', on: '2027-01-12', constructor: 1 },
    { type: 'GatewayPassed', on: '2027-01-12', toString: 'x' },
    JSON.parse('{"type":"GatewayPassed","on":"2027-01-12","__proto__":{"x":1}}'),
  ]) {
    expect(() => parseEvent(raw, 'event')).toThrow(/unknown field/);
    expect(EpaEvent.safeParse(raw).success).toBe(false);
  }
});

const span = daysBetween(acceptedDates.from, acceptedDates.to);
/** Anywhere in the accepted range, with its edges weighted in. */
const base = fc.oneof(
  fc.integer({ min: 0, max: span }).map((n) => addDays(acceptedDates.from, n)),
  fc.integer({ min: 0, max: 30 }).map((n) => addDays(acceptedDates.from, n)),
  fc.integer({ min: 0, max: 400 }).map((n) => addDays(acceptedDates.to, -n)),
);
const step = eventStep(
  [
    'GatewayPassed',
    'GatewayRejected',
    'GatewaySubmitted',
    'AssessmentBooked',
    'AssessmentTaken',
    'GradeRecorded',
    'ResultPublished',
    'ReworkSubmitted',
    'ReportSubmitted',
    'PortfolioSubmitted',
    'ShowcaseSubmitted',
    'CertificateClaimed',
    'CertificateReceived',
    'ExtenuatingCircumstances',
    'AssessmentCancelled',
  ],
  ['observation', 'project', 'discussion', 'showcase', 'practical'],
  { gap: 60, ahead: 200 },
);
const cases = fc.tuple(fc.constantFrom(['ST0071', 'innovate'], ['ST0072', 'nqual']), base, fc.array(step, { maxLength: 25 }));

test('property: every event accepted anywhere in the range leaves a state whose deadlines and notifications can be computed', () => {
  let accepted = 0;
  fc.assert(
    fc.property(cases, ([[standard, epao], start, steps]) => {
      const ctx = ruleContext(standard!, epao!);
      let state = recordEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: start }, ctx).state;
      view(state, ctx, endOfLondonDay(start));
      for (const raw of eventsFrom(start, steps, { override: { reason: 'property test' } })) {
        try {
          state = recordEvent(state, raw, ctx).state;
        } catch (err) {
          if (err instanceof EpaInputError || err instanceof EpaTransitionError) continue;
          throw err;
        }
        accepted++;
        view(state, ctx, endOfLondonDay(String(raw.on))); // must not throw
      }
    }),
    { numRuns: Number(process.env.EPA_FUZZ_RUNS ?? 2000) },
  );
  expect(accepted).toBeGreaterThan(1000);
});

test('findings stay bounded however many overridden violations an EPA collects (the rest stay in history)', () => {
  const ctx = ruleContext('ST0071', 'innovate');
  let state = recordEvent(newEpa(ctx), { type: 'GatewaySubmitted', on: '2027-01-04' }, ctx).state;
  state = recordEvent(state, { type: 'GatewayPassed', on: '2027-01-05' }, ctx).state;
  const reason = 'r'.repeat(2000);
  for (let i = 0; i < 3 * FINDINGS_KEPT; i++) {
    state = recordEvent(
      state,
      {
        type: 'AssessmentBooked',
        on: '2027-01-06',
        component: 'observation',
        at: `2027-01-${String(10 + (i % 10)).padStart(2, '0')}T10:00`,
        override: { reason },
      },
      ctx,
    ).state;
  }
  expect(state.violations).toHaveLength(FINDINGS_KEPT);
  expect(state.findingsDropped).toBeGreaterThanOrEqual(2 * FINDINGS_KEPT);
  expect(state.violations[FINDINGS_KEPT - 1]!.event).toBe(state.eventCount - 1); // the newest are kept
});
