/**
 * Admin events as Updates with validators: invalid payloads, impossible transitions and rule
 * violations are refused to the caller and never enter history (no update event is written); an override with a reason is kept
 * (001 §5 notice rule, 001 §8 no resit to improve a pass).
 */
import { EpaRejectedError } from '../../src/app/epa-client';
import { startHarness, type Harness } from '../support/lifecycle';
import { startWalk, type Walk } from '../support/walk';

let h: Harness;
let w: Walk;
beforeAll(async () => {
  h = await startHarness();
  w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-12', 'AssessmentBooked', { component: 'project', at: '2027-02-09T10:00' });
});
afterAll(async () => {
  await h?.teardown();
});

/**
 * Update events in the fetched history. (The Java test server records a workflow task for a
 * rejected update because it has no speculative tasks; no update event enters history. The dev
 * server test in tests/e2e asserts the whole history is unchanged.)
 */
async function updateEvents(): Promise<number> {
  const history = await h.epa.handle(w.uln).fetchHistory();
  return (history.events ?? []).filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
  ).length;
}

test.each([
  ['malformed payload', 'AssessmentBooked', { on: '2027-01-12', component: 'observation' }, 'invalid_input', /event\.at/],
  [
    'impossible date',
    'ReportSubmitted',
    { on: '2027-02-30', words: 2500 },
    'invalid_input',
    /event\.on: must be a real calendar date/,
  ],
  [
    'unknown component',
    'AssessmentTaken',
    { on: '2027-01-12', component: 'showcase' },
    'invalid_input',
    /unknown component "showcase"/,
  ],
  ['unknown field', 'GatewayPassed', { on: '2027-01-12', colour: 'blue' }, 'invalid_input', /unknown field/],
  [
    'grade before the assessment',
    'GradeRecorded',
    { on: '2027-01-12', component: 'project', grade: 'Pass' },
    'rejected_transition',
    /no grade before the assessment/,
  ],
  ['event in the future', 'ReportSubmitted', { on: '2027-03-01', words: 2500 }, 'rejected_transition', /after today/],
  ['event out of order', 'ReportSubmitted', { on: '2027-01-05', words: 2500 }, 'rejected_transition', /out of order/],
  [
    'under two weeks notice',
    'AssessmentBooked',
    { on: '2027-01-12', component: 'observation', at: '2027-01-20T10:00' },
    'rule_violation',
    /2 weeks' notice/,
  ],
  ['9-piece portfolio', 'PortfolioSubmitted', { on: '2027-01-12', pieces: 9 }, 'rule_violation', /portfolio of 9 pieces/],
  ['not an object', 'ReportSubmitted', 'words', 'invalid_input', /must be a JSON object/],
])('%s is refused with a clear message and history is unchanged', async (_name, type, payload, kind, message) => {
  const before = await updateEvents();
  const status = await h.epa.status(w.uln);
  const err = await h.epa.recordEvent(w.uln, type, payload as never).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EpaRejectedError);
  expect(err).toMatchObject({ kind, message: expect.stringMatching(message) });
  expect(await updateEvents()).toBe(before);
  expect((await h.epa.status(w.uln)).eventCount).toBe(status.eventCount);
});

test('an unknown ULN is "not found"; an unknown event type is invalid input', async () => {
  await expect(h.epa.status('1999999990')).rejects.toMatchObject({ kind: 'not_found' });
  await expect(h.epa.recordEvent(w.uln, 'ObservationDone', { on: '2027-01-12' })).rejects.toMatchObject({
    kind: 'invalid_input',
  });
  await expect(h.epa.recordEvent('12345', 'GatewayPassed', { on: '2027-01-12' })).rejects.toMatchObject({
    kind: 'invalid_input',
  });
});

test('overriding the notice violation with a reason is accepted and the reason is queryable', async () => {
  const reason = 'apprentice asked to bring the observation forward';
  const summary = await h.epa.recordEvent(w.uln, 'AssessmentBooked', {
    on: '2027-01-12',
    component: 'observation',
    at: '2027-01-20T10:00',
    override: { reason },
  });
  expect(summary.violations).toEqual([
    expect.objectContaining({ rule: 'assessmentNotice', overridden: reason, event: summary.eventCount - 1 }),
  ]);
  const status = await h.epa.status(w.uln);
  expect(status.overrides).toEqual([{ rule: 'assessmentNotice', reason, event: summary.eventCount - 1, on: '2027-01-12' }]);
  expect((await h.epa.status(w.uln)).violations[0]).toMatchObject({
    rule: 'assessmentNotice',
    overridden: reason,
    source: '001 §5',
  });
  // An override without a reason is refused.
  await expect(
    h.epa.recordEvent(w.uln, 'PortfolioSubmitted', { on: '2027-01-12', pieces: 9, override: { reason: '' } }),
  ).rejects.toMatchObject({ kind: 'invalid_input' });
});
