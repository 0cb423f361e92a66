/** The case file's timeline in words (src/app/case-file.ts timelineItems, changeInWords): a void as the workflow records it. */
import { changeInWords, timelineItems } from '../../src/app/case-file';
import { componentNamesOf } from '../../src/epa/display-names';
import { rules } from '../../src/plans';

const names = componentNamesOf(rules().plan('ST0071', '1.1')!.data);

test("a void says once, in words, which entry it voided: the workflow's own line (an event type name, an ISO date) is not shown", () => {
  const items = timelineItems(
    {
      stage: 'InAssessment',
      deadlines: [],
      components: {},
      gatewayEvidence: {},
      gatewayEvidenceMissing: [],
      overrides: [],
      violations: [],
      timeline: [
        {
          number: 5,
          type: 'AssessmentBooked',
          on: '2027-03-01',
          recordedAt: '2027-03-01T10:00:00.000Z',
          eventId: 'booking-1',
          component: 'observation',
          at: '2027-04-06T10:00',
          changed: [],
        },
        {
          number: 6,
          type: 'EventVoided',
          on: '2027-03-02',
          recordedAt: '2027-03-02T10:00:00.000Z',
          eventId: 'void-1',
          voids: 'booking-1',
          reason: 'Booked in the wrong month',
          changed: ['voided the AssessmentBooked of 2027-03-01'],
        },
      ],
    } as unknown as Parameters<typeof timelineItems>[0],
    names,
  );
  const voidItem = items[0]!;
  expect(voidItem.lines).toEqual([
    'Voided the entry “Assessment booked” of Monday 1 March 2027 (practical observation with Q&A)',
  ]);
  expect(items[1]!.voided).toBe('Voided on Tuesday 2 March 2027');
  // Anywhere else the line is met, it reads in words too.
  expect(changeInWords('voided the GatewayPassed of 2027-03-01', names)).toBe(
    'Voided the entry “Gateway passed” of Monday 1 March 2027',
  );
});
