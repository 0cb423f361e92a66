/**
 * Email reminders and calendar invites over a real SMTP conversation (smtp-server on loopback),
 * parsed back with mailparser and ical.js, driven by the real EPA workflow on the time-skipping
 * server. Invites for every booked assessment (002 Assessment Booking).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { createDeliveryActivities, outboxTransport } from '../../activities';
import { SentStore } from '../../src/store/sent-record';
import type { DeliveryRequest } from '../../activities/types';
import { EpaClient } from '../../src/app/epa-client';
import { advanceTo, eventually, type Harness } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { type ReceivedMail, type TestSmtp } from '../support/smtp';
import { MAIL_FROM, startMailHarness, type MailHarness } from '../support/mail-harness';
import { startWalk, passGatewayWith } from '../support/walk';

const FROM = MAIL_FROM;
let smtp: TestSmtp;
let h: Harness;
let dir: string;

let mail: MailHarness | undefined;
beforeAll(async () => {
  mail = await startMailHarness('mail');
  ({ h, smtp, dir } = mail);
});
afterAll(async () => {
  await mail?.teardown();
});

function invitePart(mail: ReceivedMail): { method: string; event: ICAL.Event; calendar: ICAL.Component } {
  const header = /Content-Type: text\/calendar; charset=utf-8; method=(\w+)/i.exec(mail.raw);
  if (!header) throw new Error('no text/calendar part with a method');
  const ics = mail.parsed.attachments
    .find((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')
    ?.content.toString('utf8');
  if (!ics) throw new Error('no calendar content');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vtimezone = calendar.getFirstSubcomponent('vtimezone');
  if (vtimezone) ICAL.TimezoneService.register(vtimezone);
  return { method: header[1]!, event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!), calendar };
}

const forEpa = (uln: string, kind?: string) =>
  smtp.received.filter(
    (m) =>
      String(m.parsed.headers.get('x-epa-key') ?? '').startsWith(`epa-${uln}/`) &&
      (!kind || m.parsed.headers.get('x-epa-kind') === kind),
  );

test('a booked assessment sends a valid invite; rescheduling keeps the UID with a higher SEQUENCE; cancelling sends METHOD:CANCEL', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-01-04' });
  await w.passGateway('2027-01-11');
  await w.at('2027-01-12', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-02-02T10:00',
    location: 'Brightside Lettings, 4 Quay Street, Bristol',
    assessor: { name: 'Priya Lockhart', email: 'priya.lockhart@assessors.example' },
  });
  const invites = await eventually(async () => {
    const m = forEpa(w.uln, 'invite');
    expect(m).toHaveLength(3);
    return m;
  });
  expect(invites.map((m) => m.to[0]).sort()).toEqual([
    'ada.testwell@apprentice.example',
    'noor.castellan@brightside.example',
    'priya.lockhart@assessors.example',
  ]);
  const toApprentice = invites.find((m) => m.to[0] === 'ada.testwell@apprentice.example')!;
  expect(toApprentice.parsed.subject).toBe('Booked: your practical observation with Q&A on Tuesday 2 February 2027, 10:00');
  expect(toApprentice.parsed.text).toContain(
    'is booked for Tuesday 2 February 2027, 10:00 (60 minutes), at Brightside Lettings, 4 Quay Street, Bristol.',
  );
  expect(toApprentice.parsed.html).toContain('<p>Dear Ada Testwell,</p>');
  expect(toApprentice.parsed.from?.value[0]).toMatchObject({ name: FROM.name, address: FROM.email });
  const first = invitePart(toApprentice);
  expect(first.method).toBe('REQUEST');
  expect(first.calendar.getFirstPropertyValue('method')).toBe('REQUEST');
  expect(first.calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/London');
  expect(first.event.uid).toBe(`epa-${w.uln}-observation-1@epa-flow`);
  expect(first.event.sequence).toBe(0);
  expect(first.event.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/London');
  expect(first.event.startDate.toString()).toBe('2027-02-02T10:00:00');
  expect(first.event.startDate.toUnixTime()).toBe(Date.parse('2027-02-02T10:00:00Z') / 1000);
  expect(first.event.duration.toSeconds()).toBe(3600);
  expect(first.event.location).toBe('Brightside Lettings, 4 Quay Street, Bristol');
  expect(first.event.organizer.toLowerCase()).toBe(`mailto:${FROM.email}`); // ORGANIZER and From agree; URI schemes are case-insensitive
  expect(first.event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual([
    'mailto:ada.testwell@apprentice.example',
    'mailto:noor.castellan@brightside.example',
    'mailto:priya.lockhart@assessors.example',
  ]);

  // Rescheduled (a BST date): same UID, SEQUENCE 1, the new time.
  await w.at('2027-01-13', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-04-06T14:00',
    assessor: { name: 'Priya Lockhart', email: 'priya.lockhart@assessors.example' },
  });
  const updated = await eventually(async () => {
    const m = forEpa(w.uln, 'invite').filter((x) => invitePart(x).event.sequence === 1);
    expect(m).toHaveLength(3);
    return invitePart(m[0]!);
  });
  expect(updated.event.uid).toBe(first.event.uid);
  expect(updated.event.startDate.toString()).toBe('2027-04-06T14:00:00');
  expect(updated.event.startDate.toUnixTime()).toBe(Date.parse('2027-04-06T13:00:00Z') / 1000); // BST

  await w.at('2027-01-14', 'AssessmentCancelled', { component: 'observation', reason: 'assessor unavailable' });
  const cancelled = await eventually(async () => {
    const m = forEpa(w.uln, 'inviteCancelled');
    expect(m).toHaveLength(3);
    return m;
  });
  const cancel = invitePart(cancelled[0]!);
  expect(cancel.method).toBe('CANCEL');
  expect(cancel.event.uid).toBe(first.event.uid);
  expect(cancel.event.sequence).toBe(2);
  expect(cancel.event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
});

test('a reschedule with another assessor: the new one gets the REQUEST, the one replaced a CANCEL for the same entry; ORGANIZER is the From', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-02-01' });
  await w.passGateway('2027-02-08');
  await w.at('2027-02-09', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-03-09T10:00',
    assessor: { name: 'Priya Lockhart', email: 'priya@assessors.example' },
  });
  await w.at('2027-02-10', 'AssessmentBooked', {
    component: 'observation',
    at: '2027-03-16T10:00',
    assessor: { name: 'Sam Oduya', email: 'sam@assessors.example' },
  });
  const cancels = await eventually(async () => {
    const m = forEpa(w.uln, 'inviteCancelled');
    expect(m).toHaveLength(1);
    return m;
  });
  const moved = await eventually(async () => {
    const m = forEpa(w.uln, 'invite').filter((x) => invitePart(x).event.sequence === 1);
    expect(m).toHaveLength(3);
    return m;
  });
  expect(cancels[0]!.to).toEqual(['priya@assessors.example']);
  const cancel = invitePart(cancels[0]!);
  const request = invitePart(moved.find((m) => m.to[0] === 'sam@assessors.example')!);
  expect([cancel.method, request.method]).toEqual(['CANCEL', 'REQUEST']);
  expect(cancel.event.uid).toBe(request.event.uid);
  expect(cancel.event.sequence).toBe(1);
  expect(String(request.event.component.getFirstPropertyValue('organizer')).toLowerCase()).toBe(`mailto:${FROM.email}`);
  expect(moved.find((m) => m.to[0] === 'ada.testwell@apprentice.example')!.parsed.subject).toMatch(
    /^Moved: your practical observation with Q&A on Tuesday 16 March 2027, 10:00$/,
  );
  expect(forEpa(w.uln, 'invite').filter((m) => m.to[0] === 'priya@assessors.example')).toHaveLength(1); // only her first invite
});

test('an SMTP server that answers 421 twice then accepts: exactly one message per recipient', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-03-01' });
  await w.passGateway('2027-03-08');
  smtp.failNext(2, 421, '4.3.2 Service not available, try again later');
  await w.at('2027-03-09', 'AssessmentBooked', { component: 'discussion', at: '2027-04-20T10:00' });
  await eventually(async () => expect(smtp.refused).toBeGreaterThanOrEqual(2));
  await advanceTo(h.env, '2027-03-09', '12:05'); // past the retry backoff
  const messages = await eventually(async () => {
    const m = forEpa(w.uln, 'invite');
    expect(m).toHaveLength(2);
    return m;
  });
  expect(messages.map((m) => m.to[0]).sort()).toEqual(['ada.testwell@apprentice.example', 'noor.castellan@brightside.example']);
  const status = await h.epa.status(w.uln);
  // One log entry per recipient, each sent once.
  expect(
    status.log
      .filter((l) => l.kind === 'invite')
      .map((l) => [l.role, l.status])
      .sort(),
  ).toEqual([
    ['apprentice', 'sent'],
    ['employer', 'sent'],
  ]);
});

test('a 550 for one recipient is logged as failed, not retried for ever, and the EPA carries on', async () => {
  const w = await startWalk(h, {
    gatewaySubmittedOn: '2027-05-03',
    employer: { organisation: 'Gone Ltd', name: 'Nobody', email: 'nobody@gone.example' },
  });
  smtp.rejectRecipients.add('nobody@gone.example');
  await w.passGateway('2027-05-10');
  await w.at('2027-05-11', 'AssessmentBooked', { component: 'observation', at: '2027-06-01T10:00' });
  const status = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.log.find((l) => l.kind === 'invite' && l.role === 'employer')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('550'),
    });
    return s;
  });
  // The server's reply names the address; what the EPA logs (and the worker's log) does not.
  expect(status.log.find((l) => l.kind === 'invite' && l.role === 'employer')!.error).not.toContain('@');
  expect(status.log.find((l) => l.kind === 'invite' && l.role === 'apprentice')).toMatchObject({ status: 'sent' });
  expect(forEpa(w.uln, 'invite').map((m) => m.to[0])).toEqual(['ada.testwell@apprentice.example']);
  // The workflow is still running and takes the next event.
  const next = await w.at('2027-05-12', 'ReportSubmitted', { words: 2500 });
  expect(next.stage).toBe('InAssessment');
});

// Between the 550 test (May 2027) and the worker-killed one (July): the time-skipping clock only moves forward,
// and the killed worker's EPA, left without a worker, stops time skipping for any test after it.
test('the messages the seeds imply, through real SMTP: the gateway outcome with its reason (002), and results to the apprentice (004)', async () => {
  const w = await startWalk(h, { gatewaySubmittedOn: '2027-05-17' });
  const reason = 'The portfolio holds 8 pieces; 10 to 15 are needed';
  await w.at('2027-05-24', 'GatewayRejected', { reason });
  const rejected = await eventually(async () => {
    const m = forEpa(w.uln, 'gatewayOutcome');
    expect(m).toHaveLength(3);
    return m;
  });
  expect(rejected.map((m) => m.to[0]).sort()).toEqual([
    'ada.testwell@apprentice.example',
    'femi.arkwright@northgate.example',
    'noor.castellan@brightside.example',
  ]);
  for (const m of rejected) {
    expect(m.parsed.subject).toMatch(/^Gateway rejected/);
    expect(m.parsed.text).toContain(`The reason: ${reason}.`);
  }
  await w.at('2027-05-25', 'GatewaySubmitted');
  await w.passGateway('2027-05-31');
  await w.at('2027-06-01', 'AssessmentBooked', { component: 'observation', at: '2027-06-22T10:00' });
  await w.at('2027-06-22', 'AssessmentTaken', { component: 'observation' });
  await w.at('2027-06-23', 'GradeRecorded', { component: 'observation', grade: 'Distinction' });
  await w.publish('2027-06-24', 'observation');
  const result = await eventually(async () => {
    const m = forEpa(w.uln, 'resultPublished');
    expect(m).toHaveLength(1);
    return m[0]!;
  });
  expect(result.to).toEqual(['ada.testwell@apprentice.example']);
  expect(result.parsed.subject).toBe('Your practical observation with Q&A result: Distinction');
  expect(forEpa(w.uln, 'gatewayOutcome').map((m) => m.parsed.subject)).toContain(
    'Gateway passed: your ST0071 Customer Service Specialist end-point assessment',
  );
});

test('a worker killed after the SMTP server accepted a message, before the activity completed: still one message', async () => {
  const queue = 'epa-crash';
  const marker = path.join(dir, 'killed');
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: h.env.address,
    TEMPORAL_TASK_QUEUE: queue,
    SMTP_URL: smtp.url,
    EPA_DATA_DIR: path.join(dir, 'crash-worker'),
    EPA_FROM_EMAIL: FROM.email,
    EPA_DELIVERY_LEASE_SECONDS: '10',
    // One message in flight at a time, so the kill comes after that one's 250 and record with no
    // other message between its 250 and its record (that window, the one left, resends the same
    // Message-ID: activities/delivery.ts); the fault here is the activity not completing.
    EPA_SMTP_MAX_CONNECTIONS: '1',
  };
  const startWorker = (extra: Record<string, string>): ChildProcess =>
    spawn(process.execPath, [path.resolve(__dirname, '../../dist/workers/main.js')], {
      env: { ...env, ...extra },
      stdio: 'ignore',
    });
  const client = new EpaClient(h.env.client, queue, { now: () => h.env.currentTimeMs() });
  const input = epaStart({ gatewaySubmittedOn: '2027-07-05' });
  await advanceTo(h.env, '2027-07-05', '09:00');
  let worker = startWorker({ EPA_FAULT_KILL_AFTER_SEND: marker });
  try {
    await client.start(input, { deliveryTimeout: '5 seconds' });
    await advanceTo(h.env, '2027-07-12');
    await passGatewayWith((type, payload) => client.recordEvent(input.uln, type, payload), 'ST0071', '2027-07-12');
    await client.recordEvent(input.uln, 'AssessmentBooked', {
      on: '2027-07-12',
      component: 'observation',
      at: '2027-08-03T10:00',
    });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
    expect(exit).toBe('SIGKILL'); // died right after the first message was accepted and recorded
    // A message (the first of the gateway outcome's) was accepted.
    expect(forEpa(input.uln).length).toBeGreaterThanOrEqual(1);

    // The activity's 5 s start-to-close timeout passes in real time (the test server does not skip
    // time while an activity is in flight); Temporal retries on the restarted worker.
    worker = startWorker({});
    const messages = await eventually(async () => {
      const m = forEpa(input.uln, 'invite');
      expect(m).toHaveLength(2);
      return m;
    }, 60_000);
    expect(messages.map((m) => m.to[0]).sort()).toEqual(['ada.testwell@apprentice.example', 'noor.castellan@brightside.example']);
    await new Promise((r) => setTimeout(r, 500));
    expect(forEpa(input.uln, 'invite')).toHaveLength(2);
    // Whichever message the worker died after, none went twice.
    const keys = forEpa(input.uln).map((m) => String(m.parsed.headers.get('x-epa-key')));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  } finally {
    worker.kill('SIGKILL');
  }
});

test('the outbox default writes .eml files a mail client opens, with the invite', async () => {
  const outbox = path.join(dir, 'outbox');
  const activities = createDeliveryActivities({
    transport: outboxTransport(outbox),
    from: FROM,
    sent: new SentStore(path.join(dir, 'outbox-sent')),
  });
  const request: DeliveryRequest = {
    epaId: 'epa-9123456786',
    notification: {
      key: 'invite:project-1:0',
      kind: 'invite',
      at: 0,
      to: ['apprentice'],
      component: 'project',
      componentName: 'Work-based project supported by an interview',
      attempt: 1,
      inviteUid: 'project-1',
      sequence: 0,
      assessmentAt: '2027-01-12T10:00',
      durationMinutes: 60,
      location: 'https://meet.example/epa-42',
    },
    recipients: [{ role: 'apprentice', name: 'Ada Testwell', email: 'ada.testwell@apprentice.example' }],
    context: {
      standard: 'ST0071',
      standardTitle: 'Customer Service Specialist',
      epaoName: 'Innovate Awarding',
      epaoEmail: 'epa-admin@epao.example',
      apprenticeName: 'Ada Testwell',
      employerName: 'Brightside Lettings Ltd',
    },
    requestedAt: Date.parse('2026-12-01T09:00:00Z'),
  };
  const message = { ...request, recipient: request.recipients[0]! };
  const result = await activities.deliverMessage(message);
  expect(result.status).toBe('sent');
  expect(await activities.deliverMessage(message)).toMatchObject({ status: 'duplicate', messageId: result.messageId });
  const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
  expect(files).toHaveLength(1);
  const parsed = await simpleParser(readFileSync(path.join(outbox, files[0]!)));
  expect(parsed.subject).toBe('Booked: your work-based project supported by an interview on Tuesday 12 January 2027, 10:00');
  expect(parsed.messageId).toBe(result.messageId);
  expect(parsed.text).toContain('online at https://meet.example/epa-42');
  const ics = parsed.attachments
    .find((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics')!
    .content.toString('utf8');
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
  expect(event.uid).toBe('epa-9123456786-project-1@epa-flow');
  expect(event.component.getFirstPropertyValue('url')).toBe('https://meet.example/epa-42');
});
