/**
 * One notification to all its recipients in one activity (`deliverMessages`, issue 27 bursts), on a
 * real SMTP server: each message exactly once, a refusal reported for that recipient alone, a
 * deferral handed back for the recipient's own (retrying) delivery, and a second run sending nothing
 * twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeliveryActivities, smtpTransport } from '../../activities';
import type { DeliveryRequest } from '../../activities/types';
import { SentStore } from '../../src/store/sent-record';
import { MAIL_FROM } from '../support/mail-harness';
import { startSmtp, type TestSmtp } from '../support/smtp';

let smtp: TestSmtp;
let dir: string;
beforeAll(async () => {
  smtp = await startSmtp();
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-together-'));
});
afterAll(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

const request: DeliveryRequest = {
  epaId: 'epa-9123456786',
  notification: {
    key: 'assessmentReminder:observation-1:2027-01-12T10:00:14d',
    kind: 'assessmentReminder',
    at: 0,
    to: ['apprentice', 'employer', 'provider'],
    component: 'observation',
    componentName: 'Observation with questions',
    attempt: 1,
    assessmentAt: '2027-01-12T10:00',
    daysBefore: 14,
  },
  recipients: [
    { role: 'apprentice', name: 'Ada Testwell', email: 'ada.testwell@apprentice.example' },
    { role: 'employer', name: 'Gone Manager', email: 'gone.manager@employer.example' },
    { role: 'provider', name: 'Busy Tutor', email: 'busy.tutor@provider.example' },
  ],
  context: {
    standard: 'ST0071',
    standardTitle: 'Customer Service Specialist',
    epaoName: 'Innovate Awarding',
    epaoEmail: 'epa-admin@epao.example',
    apprenticeName: 'Ada Testwell',
    employerName: 'Brightside Lettings Ltd',
  },
  requestedAt: Date.parse('2026-12-29T08:00:00Z'),
};

const keysReceived = () => smtp.received.map((m) => String(m.parsed.headers.get('x-epa-key')));

test('sent, refused and deferred in one activity: each says so for its own recipient, and nothing goes twice', async () => {
  smtp.rejectRecipients.add('gone.manager@employer.example');
  smtp.deferRecipients.add('busy.tutor@provider.example');
  const activities = createDeliveryActivities({ transport: smtpTransport(smtp.url), from: MAIL_FROM, sent: new SentStore(dir) });

  const first = await activities.deliverMessages(request);
  expect(first.results.map((r) => [r.role, r.status])).toEqual([
    ['apprentice', 'sent'],
    ['employer', 'failed'],
    ['provider', 'again'],
  ]);
  const [sent, refused, deferred] = first.results;
  expect(refused).toMatchObject({ error: expect.stringContaining('rejected by the mail server: 550') });
  expect(deferred).toMatchObject({ error: expect.stringContaining('SMTP unavailable: 451') });
  // The errors carry no address (they reach the log and the EPA's status).
  expect(JSON.stringify(first.results)).not.toContain('@employer');
  expect(JSON.stringify(first.results)).not.toContain('@provider');
  expect(keysReceived()).toEqual([`${request.epaId}/${request.notification.key}/apprentice`]);

  // The same notification again (a replay, a retry): the apprentice's is found sent, not resent.
  const again = await activities.deliverMessages(request);
  expect(again.results[0]).toEqual({
    role: 'apprentice',
    status: 'duplicate',
    messageId: (sent as { messageId: string }).messageId,
  });
  expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'failed', 'again']);

  // The deferred recipient's own delivery goes once the mailbox takes it.
  smtp.deferRecipients.clear();
  const provider = await activities.deliverMessage({ ...request, recipient: request.recipients[2]! });
  expect(provider.status).toBe('sent');
  const got = keysReceived();
  expect(got.filter((k, i) => got.indexOf(k) !== i)).toEqual([]);
  expect(got.sort()).toEqual(
    [`${request.epaId}/${request.notification.key}/apprentice`, `${request.epaId}/${request.notification.key}/provider`].sort(),
  );
});
