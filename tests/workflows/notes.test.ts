/**
 * Notes never go into emails (issue 29 part 5): a note added between the gateway and the booking
 * (001 §4's gateway, §5's observation; Innovate's invite and reminders, 002) is on the timeline, and
 * no message the workflow hands to the delivery activities carries its text, so no email can: the
 * templates render from what the request holds (activities/templates.ts). Time-skipping server.
 */
import { renderMessage } from '../../activities/templates';
import { eventually, useHarness, type Harness } from '../support/lifecycle';
import { startWalk } from '../support/walk';

let h: Harness;
useHarness((harness) => (h = harness));

const NOTE = 'Employer says the apprentice is anxious about observations: call before booking';

test('a note is on the timeline and in no message: not in what is sent, not in any rendered email', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
  await w.at('2027-03-01', 'NoteAdded', { text: NOTE });
  await w.passGateway('2027-03-08');
  await w.at('2027-03-09', 'NoteAdded', { text: `${NOTE} (again)` });
  await w.at('2027-03-09', 'AssessmentBooked', { component: 'observation', at: '2027-03-31T10:00' });
  // The reminders before the observation go out too (Innovate: days before, at its hour).
  const status = await w.statusOn('2027-03-30', '12:00');
  const mine = () => h.deliveries.filter((d) => d.epaId === `epa-${w.uln}`);
  await eventually(async () => expect(mine().map((d) => d.notification.kind)).toContain('assessmentReminder'));

  expect(status.timeline.filter((t) => t.type === 'NoteAdded')).toHaveLength(2);
  const kinds = new Set(mine().map((d) => d.notification.kind));
  for (const kind of ['gatewayOutcome', 'invite', 'assessmentReminder']) expect(kinds).toContain(kind);
  for (const d of mine()) {
    expect(JSON.stringify(d)).not.toContain('anxious');
    for (const recipient of d.recipients) {
      const email = renderMessage(d, recipient);
      expect(`${email.subject}\n${email.text}\n${email.html}`).not.toContain('anxious');
    }
  }
});
