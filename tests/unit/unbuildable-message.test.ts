/**
 * A message that can never be built fails at once, non-retryable (issue #28 part 3): the delivery
 * activity renders before it claims or sends, and a London time that does not exist (01:30 on
 * 28 March 2027, when the clocks go forward) is an ApplicationFailure with nonRetryable, its
 * message in words and without the recipient's address. Nothing is claimed, nothing is sent.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { createDeliveryActivities } from '../../activities/delivery';
import type { SentRecordStore } from '../../activities/sent-record';
import type { MessageRequest } from '../../activities/types';

const request = (assessmentAt: string): MessageRequest => ({
  epaId: 'epa-9123456786',
  notification: {
    key: `invite:observation-1:0:${assessmentAt}`,
    kind: 'invite',
    at: 0,
    to: ['apprentice'],
    component: 'observation',
    componentName: 'Observation',
    attempt: 1,
    inviteUid: 'observation-1',
    sequence: 0,
    assessmentAt,
    durationMinutes: 60,
  },
  recipients: [{ role: 'apprentice', name: 'Ada Testwell', email: 'ada.testwell@apprentice.example' }],
  recipient: { role: 'apprentice', name: 'Ada Testwell', email: 'ada.testwell@apprentice.example' },
  context: {
    standard: 'ST0071',
    standardTitle: 'Customer Service Specialist',
    epaoName: 'Innovate Awarding',
    epaoEmail: 'epa-admin@epao.example',
    apprenticeName: 'Ada Testwell',
    employerName: 'Brightside Lettings Ltd',
  },
  requestedAt: Date.parse('2027-03-01T09:00:00Z'),
});

function activities(sendMail?: () => Promise<unknown>) {
  const claimed: string[] = [];
  const sent: unknown[] = [];
  const store: SentRecordStore = {
    has: async () => false,
    claim: async (key) => {
      claimed.push(key);
      return { outcome: 'claimed' } as Awaited<ReturnType<SentRecordStore['claim']>>;
    },
    renew: async () => true,
    record: async () => undefined,
    release: async () => undefined,
  };
  const transport = {
    sendMail: sendMail ?? (async (mail: unknown) => (sent.push(mail), { messageId: 'x' })),
  } as unknown as Transporter;
  const a = createDeliveryActivities({ transport, from: { name: 'EPA', email: 'epa@epao.example' }, sent: store });
  return { a, claimed, sent };
}

test('an invite at a London time that does not exist: non-retryable at once, in words, nothing claimed or sent', async () => {
  const { a, claimed, sent } = activities();
  const err = await a.deliverMessage(request('2027-03-28T01:30')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe('message_unbuildable');
  expect(failure.message).toMatch(/cannot be built, and never will be: .*01:30 on 2027-03-28 does not exist in London/);
  expect(failure.message).not.toContain('ada.testwell');
  expect([claimed, sent]).toEqual([[], []]);
});

test('an ambiguous autumn time without its offset: non-retryable, naming both offsets', async () => {
  const { a } = activities();
  const err = (await a.deliverMessage(request('2027-10-31T01:30')).catch((e: unknown) => e)) as ApplicationFailure;
  expect(err.nonRetryable).toBe(true);
  expect(err.message).toMatch(/happens twice in London.*\+01:00.*\+00:00/);
});

test('a time that exists is sent', async () => {
  const { a, sent } = activities();
  await expect(a.deliverMessage(request('2027-03-28T02:30'))).resolves.toMatchObject({ status: 'sent' });
  expect(sent).toHaveLength(1);
});

test('an envelope the mail library refuses (EENVELOPE, no reply) is permanent; a 451 for it, or a refused connection, is retried', async () => {
  const refused = (code: string, responseCode?: number) => async () => {
    throw Object.assign(new Error(`${code} for ada.testwell@apprentice.example`), {
      code,
      ...(responseCode && { responseCode }),
    });
  };
  const envelope = (await activities(refused('EENVELOPE'))
    .a.deliverMessage(request('2027-03-28T02:30'))
    .catch((e: unknown) => e)) as ApplicationFailure;
  expect([envelope.nonRetryable, envelope.type]).toEqual([true, 'smtp_permanent']);
  expect(envelope.message).not.toContain('ada.testwell');
  const connection = (await activities(refused('ECONNREFUSED'))
    .a.deliverMessage(request('2027-03-28T02:30'))
    .catch((e: unknown) => e)) as ApplicationFailure;
  expect([connection.nonRetryable, connection.type]).toEqual([false, 'smtp_transient']);
  const deferred = (await activities(refused('EENVELOPE', 451))
    .a.deliverMessage(request('2027-03-28T02:30'))
    .catch((e: unknown) => e)) as ApplicationFailure;
  expect([deferred.nonRetryable, deferred.type]).toEqual([false, 'smtp_transient']);
});
