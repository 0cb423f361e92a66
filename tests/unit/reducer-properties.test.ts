/** Properties of the whole rules core (all seeds): deterministic, and it refuses only with its own errors. */
import fc from 'fast-check';
import { EpaInputError, EpaTransitionError, eventTypes, planCase } from '../../src/epa';

const components = ['observation', 'project', 'discussion', 'showcase', 'bogus'];
const day = fc
  .integer({ min: 0, max: 500 })
  .map((n) => new Date(Date.UTC(2026, 10, 1) + n * 86400000).toISOString().slice(0, 10));
const weirdDate = fc.constantFrom('2026-02-30', '2027-13-01', 'yesterday', '', '2027-1-1');
const event = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...eventTypes), fc.string()),
    on: fc.oneof({ weight: 9, arbitrary: day }, { weight: 1, arbitrary: weirdDate }),
    component: fc.constantFrom(...components),
    at: fc.oneof(
      day.map((d) => `${d}T10:00`),
      fc.constantFrom('2027-01-01T25:00', 'soon'),
    ),
    grade: fc.constantFrom('Fail', 'Pass', 'Distinction', 'Merit'),
    passCriteriaMet: fc.boolean(),
    distinctionCriteriaMet: fc.integer({ min: -1, max: 12 }),
    words: fc.integer({ min: -5, max: 4000 }),
    pieces: fc.integer({ min: 0, max: 30 }),
    reason: fc.constantFrom('because', ''),
    exceptionalCircumstances: fc.boolean(),
    override: fc.constant({ reason: 'admin override' }),
    junk: fc.anything(),
  },
  { requiredKeys: ['type', 'on'] },
);
/** Mostly well-formed lifecycles in date order, so the reducer gets deep, not just refused at once. */
const orderedEvents = fc.array(event, { maxLength: 40 }).map((events) => {
  const sorted = [...events].sort((a, b) => String(a.on).localeCompare(String(b.on)));
  return sorted;
});
const caseArb = fc.record({
  standard: fc.constantFrom('ST0071', 'ST0072', 'ST9999'),
  epao: fc.constantFrom('innovate', 'nqual', 'acme'),
  events: fc.oneof(orderedEvents, fc.array(event, { maxLength: 20 })),
  asOf: fc.constantFrom('2027-06-01', '2028-06-01'),
});

test('no event sequence makes the core throw anything but a validation or transition error', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      try {
        planCase(c, 0);
      } catch (err) {
        if (!(err instanceof EpaInputError || err instanceof EpaTransitionError)) throw err;
      }
    }),
    { numRuns: 2000 },
  );
});

test('the core is deterministic: the same case gives the same view', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const run = () => {
        try {
          return JSON.stringify(planCase(c, 0));
        } catch (err) {
          return (err as Error).message;
        }
      };
      return run() === run();
    }),
    { numRuns: 300 },
  );
});
