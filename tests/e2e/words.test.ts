/**
 * Words that match the facts (issue 28 part 4), through a real SMTP conversation (smtp-server on
 * loopback, parsed back with mailparser and ical.js), driven by the real EPA workflow on the
 * time-skipping server: reminders count from the real dates; an assessor-only change says so and
 * moves the invite between assessors; a corrected email moves live invites; a void has its own id.
 * The invites and reminders are 002 Assessment Booking's; the 2 weeks' notice is 001 §5.
 */
import ICAL from 'ical.js';
import { eventually, type Harness } from '../support/lifecycle';
import { type ReceivedMail, type TestSmtp } from '../support/smtp';
import { startMailHarness, type MailHarness } from '../support/mail-harness';
import { startWalk } from '../support/walk';

const ADA = 'ada.testwell@apprentice.example';
const NOOR = 'noor.castellan@brightside.example';
const priya = { name: 'Priya Lockhart', email: 'priya@assessors.example' };
const sam = { name: 'Sam Oduya', email: 'sam@assessors.example' };
let smtp: TestSmtp;
let h: Harness;

let mail: MailHarness | undefined;
beforeAll(async () => {
  mail = await startMailHarness('words');
  ({ h, smtp } = mail);
});
afterAll(async () => {
  await mail?.teardown();
});

function invitePart(mail: ReceivedMail): { method: string; event: ICAL.Event } {
  const ics = mail.parsed.attachments
    .find((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')
    ?.content.toString('utf8');
  if (!ics) throw new Error('no calendar content');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vtimezone = calendar.getFirstSubcomponent('vtimezone');
  if (vtimezone) ICAL.TimezoneService.register(vtimezone);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!),
  };
}

const kindOf = (m: ReceivedMail) => String(m.parsed.headers.get('x-epa-kind') ?? '');
const forEpa = (uln: string, kind?: string) =>
  smtp.received.filter(
    (m) => String(m.parsed.headers.get('x-epa-key') ?? '').startsWith(`epa-${uln}/`) && (!kind || kindOf(m) === kind),
  );
const hasCalendar = (m: ReceivedMail) => m.parsed.attachments.some((a) => a.contentType === 'text/calendar');
const to = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));

/** Waits until the EPA's invites of this SEQUENCE reached `count` recipients. */
async function invitesArrived(uln: string, sequence: number, count: number): Promise<ReceivedMail[]> {
  return await eventually(async () => {
    const m = forEpa(uln, 'invite').filter((x) => invitePart(x).event.sequence === sequence);
    expect(m).toHaveLength(count);
    return m;
  });
}

test('a booking 12 days away (short notice, overridden) is reminded "in 12 days", never 14; later reminders count from their own day', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-13', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-01-25T10:00',
    assessor: priya,
    override: { reason: 'apprentice asked for the earliest date' },
  });
  const first = await eventually(async () => {
    const m = forEpa(w.uln, 'assessmentReminder');
    expect(m).toHaveLength(2); // the apprentice and the employer
    return m;
  });
  for (const m of first) {
    expect(m.parsed.text).toContain('Monday 25 January 2027, 10:00, in 12 days.');
    expect(`${m.parsed.subject}\n${m.parsed.text}`).not.toMatch(/14 days/);
  }
  await w.statusOn('2027-01-18', '10:00');
  const week = await eventually(async () => {
    const m = forEpa(w.uln, 'assessmentReminder').filter((x) => x.parsed.text?.includes('in 7 days.'));
    expect(m).toHaveLength(2);
    return m;
  });
  expect(week.map((m) => m.to[0]).sort()).toEqual([ADA, NOOR]);
  await w.statusOn('2027-01-24', '10:00');
  await eventually(async () => {
    expect(forEpa(w.uln, 'assessmentReminder').filter((x) => x.parsed.text?.includes(', tomorrow.'))).toHaveLength(2);
  });
});

test('an assessor-only change: the apprentice is told the assessor changed (name, same time); the old assessor gets the CANCEL, the new one the invite; nobody reads "moved"', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-02-01' });
  await w.passGateway('2027-02-08');
  await w.at('2027-02-09', 'AssessmentBooked', { component: 'observation', at: '2027-03-09T10:00', assessor: priya });
  await invitesArrived(w.uln, 0, 3);
  await w.at('2027-02-10', 'AssessmentBooked', { component: 'observation', at: '2027-03-09T10:00', assessor: sam });
  const changed = await eventually(async () => {
    const m = forEpa(w.uln, 'invite').filter((x) => invitePart(x).event.sequence === 1);
    expect(m).toHaveLength(3);
    return m;
  });
  const cancels = await eventually(async () => {
    const m = forEpa(w.uln, 'inviteCancelled');
    expect(m).toHaveLength(1);
    return m;
  });
  const apprentice = to(changed, ADA)[0]!;
  expect(apprentice.parsed.subject).toBe('Assessor changed: your practical observation with Q&A on Tuesday 9 March 2027, 10:00');
  expect(apprentice.parsed.text).toContain('Your assessor has changed: Sam Oduya will assess you.');
  expect(apprentice.parsed.text).toContain('The date and time stay the same');
  expect(to(changed, NOOR)[0]!.parsed.text).toContain('The assessor has changed: Sam Oduya will assess Ada Testwell.');
  const newAssessor = to(changed, sam.email)[0]!;
  expect(newAssessor.parsed.subject).toBe('Booked: Ada Testwell, practical observation with Q&A, Tuesday 9 March 2027, 10:00');
  const request = invitePart(newAssessor);
  expect([request.method, request.event.startDate.toString()]).toEqual(['REQUEST', '2027-03-09T10:00:00']);
  expect(cancels[0]!.to).toEqual([priya.email]);
  const cancel = invitePart(cancels[0]!);
  expect([cancel.method, cancel.event.uid, cancel.event.sequence]).toEqual(['CANCEL', request.event.uid, 1]);
  expect(to(forEpa(w.uln, 'invite'), priya.email)).toHaveLength(1); // only her first invite
  for (const m of [...forEpa(w.uln, 'invite'), ...cancels]) {
    expect(`${m.parsed.subject}\n${m.parsed.text}`).not.toMatch(/moved|rescheduled|new time/i);
  }
});

test('a corrected email: the live invite is cancelled at the old address (only the date and the EPAO) and re-issued to the new one; later invites follow it', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
  await w.passGateway('2027-03-08');
  await w.at('2027-03-09', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-04-06T10:00',
    location: 'Brightside Lettings, 4 Quay Street, Bristol',
    assessor: priya,
  });
  const first = await eventually(async () => {
    const m = to(forEpa(w.uln, 'invite'), ADA);
    expect(m).toHaveLength(1);
    return invitePart(m[0]!);
  });
  await invitesArrived(w.uln, 0, 3);
  const before = smtp.received.length;
  await w.at('2027-03-10', 'ContactDetailsChanged', {
    role: 'apprentice',
    email: 'ada.new@apprentice.example',
    reason: 'typo in the address',
  });
  const moved = await eventually(async () => {
    const m = smtp.received.slice(before).filter(hasCalendar);
    expect(m).toHaveLength(2); // the two calendar messages: nothing to the employer or the assessor
    return m;
  });
  const oldAddress = moved.find((m) => m.to.includes(ADA))!;
  expect(kindOf(oldAddress)).toBe('inviteCancelledAtOldAddress');
  expect(oldAddress.parsed.headers.get('x-epa-key')).toBeUndefined();
  expect(oldAddress.parsed.subject).toBe('Cancelled: an appointment on Tuesday 6 April 2027');
  const cancel = invitePart(oldAddress);
  expect([cancel.method, cancel.event.uid, cancel.event.sequence, cancel.event.startDate.toString()]).toEqual([
    'CANCEL',
    first.event.uid,
    1,
    '2027-04-06',
  ]);
  const ics = oldAddress.parsed.attachments[0]!.content.toString('utf8').replace(/^UID:.*$/m, '');
  for (const part of [oldAddress.parsed.subject ?? '', oldAddress.parsed.text ?? '', ics, String(oldAddress.parsed.html)]) {
    for (const personal of ['Ada', 'Testwell', 'Priya', 'Quay', 'Bristol', 'Brightside', 'ST0071', '10:00', w.uln]) {
      expect([personal, part.includes(personal)]).toEqual([personal, false]);
    }
  }
  expect(oldAddress.parsed.text).toContain('Innovate Awarding');
  const newAddress = moved.find((m) => m.to.includes('ada.new@apprentice.example'))!;
  expect(kindOf(newAddress)).toBe('invite');
  const reissued = invitePart(newAddress);
  expect([reissued.method, reissued.event.uid, reissued.event.sequence, reissued.event.startDate.toString()]).toEqual([
    'REQUEST',
    first.event.uid,
    1,
    '2027-04-06T10:00:00',
  ]);
  expect(newAddress.parsed.text).toContain('this invite replaces the one sent to the earlier address');

  // Rescheduled after the correction: SEQUENCE 2 to everyone, the apprentice at the new address only.
  await w.at('2027-03-11', 'AssessmentBooked', { component: 'observation', at: '2027-04-13T10:00', assessor: priya });
  const rescheduled = await eventually(async () => {
    const m = forEpa(w.uln, 'invite').filter((x) => invitePart(x).event.sequence === 2);
    expect(m).toHaveLength(3);
    return m;
  });
  expect(rescheduled.map((m) => m.to[0]).sort()).toEqual(['ada.new@apprentice.example', NOOR, priya.email]);
  expect(smtp.received.filter((m) => m.to.includes(ADA) && hasCalendar(m) && invitePart(m).event.sequence > 1)).toEqual([]);
});

test('a void has its own eventId and names its target in voids; a void in the form before 1.1 is read the same', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-04-05' });
  await w.passGateway('2027-04-12');
  await w.at('2027-04-13', 'AssessmentBooked', { component: 'observation', at: '2027-05-11T10:00', eventId: 'book-1' });
  await h.epa.recordEvent(
    w.uln,
    'EventVoided',
    { on: '2027-04-13', voids: 'book-1', reason: 'booked in error' },
    { idempotencyKey: 'void-1' },
  );
  // Sent again under its id: a repeat, nothing applied.
  await h.epa.recordEvent(
    w.uln,
    'EventVoided',
    { on: '2027-04-13', voids: 'book-1', reason: 'booked in error' },
    { idempotencyKey: 'void-1' },
  );
  let status = await h.epa.status(w.uln);
  expect(status.timeline.filter((t) => t.type === 'EventVoided')).toEqual([
    expect.objectContaining({
      eventId: 'void-1',
      voids: 'book-1',
      changed: expect.arrayContaining(['voided the AssessmentBooked of 2027-04-13']),
    }),
  ]);
  // The id is the void's own: used for another event it is refused.
  await expect(
    h.epa.recordEvent(
      w.uln,
      'AssessmentBooked',
      { on: '2027-04-13', component: 'observation', at: '2027-05-18T10:00' },
      { idempotencyKey: 'void-1' },
    ),
  ).rejects.toThrow(/already used for a different event/);
  await w.at('2027-04-14', 'AssessmentBooked', { component: 'observation', at: '2027-05-18T10:00', eventId: 'book-2' });
  await h.epa.recordEvent(w.uln, 'EventVoided', { on: '2027-04-14', eventId: 'book-2', reason: 'the old form names the target' });
  status = await h.epa.status(w.uln);
  expect(status.timeline.filter((t) => t.type === 'EventVoided').map((t) => [t.eventId, t.voids])).toEqual([
    ['void-1', 'book-1'],
    ['void.book-2', 'book-2'],
  ]);
  expect(status.components.observation!.attempts).toEqual([]);
});
