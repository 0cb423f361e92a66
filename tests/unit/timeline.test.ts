/** The timeline's "what it changed", from the rules' own views (002 gateway review, 001 §5 notice). */
import { describeChange, timelineEntry } from '../../src/epa/timeline';
import { plan, st0071Gateway } from '../support/cases';

test('a gateway pass moves the stage and meets the review; a booking adds its deadlines; a grade is named', () => {
  const submitted = plan('ST0071', [st0071Gateway[0]!], '2026-11-16');
  const passed = plan('ST0071', st0071Gateway, '2026-11-16');
  expect(describeChange(submitted, passed)).toEqual(
    expect.arrayContaining([
      'stage GatewayReview → InAssessment',
      'gatewayReviewDue met',
      expect.stringMatching(/^new deadline epaPeriodEnds due 2027-02-16$/),
    ]),
  );
  expect(describeChange(undefined, submitted)).toEqual(['stage GatewayReview', 'new deadline gatewayReviewDue due 2026-11-16']);
});

test('an entry keeps who, when, the reason (cut at 300 characters) and what changed', () => {
  const before = plan('ST0071', st0071Gateway, '2026-11-17');
  const after = plan(
    'ST0071',
    [
      ...st0071Gateway,
      {
        type: 'AssessmentBooked',
        on: '2026-11-17',
        component: 'project',
        at: '2027-01-26T10:00',
        override: { reason: 'x'.repeat(400) },
      },
    ],
    '2026-11-17',
  );
  const entry = timelineEntry(
    { type: 'AssessmentBooked', on: '2026-11-17', by: 'ana', eventId: 'e-1', override: { reason: 'x'.repeat(400) } },
    before,
    after,
    3,
    Date.parse('2026-11-17T10:00:00Z'),
  );
  expect(entry).toMatchObject({
    number: 3,
    type: 'AssessmentBooked',
    on: '2026-11-17',
    by: 'ana',
    eventId: 'e-1',
    recordedAt: '2026-11-17T10:00:00.000Z',
  });
  expect(entry.reason).toHaveLength(301);
  expect(entry.changed).toEqual(expect.arrayContaining([expect.stringMatching(/^new deadline reportDue due /)]));
});
