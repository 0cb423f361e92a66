/**
 * A message that failed for good, sent again by an admin (MessageSentAgain, patch
 * 'epa-resend-message'; src/epa/resend.ts). On the time-skipping server with the real delivery
 * activity over SMTP (a server on loopback refusing the employer's address with 550): the gateway's
 * outcome fails for the employer; the address is corrected; sent again (the Update twice under one
 * id), it goes out once, to the corrected address, under a new key and so a new Message-ID; the
 * timeline says so; a second sending of it is refused in words, as is one of a delivered message.
 */
import { messageIdFor } from '../../activities/delivery';
import { recordHistoryFixture } from '../support/history-fixtures';
import { eventually } from '../support/lifecycle';
import { MAIL_FROM, startMailHarness, type MailHarness } from '../support/mail-harness';
import { startWalk } from '../support/walk';

let mail: MailHarness;
beforeAll(async () => {
  mail = await startMailHarness('resend');
});
afterAll(async () => {
  await mail?.teardown();
});

const OLD = 'noor.castelan@brightside.example'; // a letter short: the mail server knows no such mailbox
const NEW = 'noor.castellan@brightside.example';

test('a permanently failed message sent again goes out once, to the corrected address, with a new Message-ID; the timeline says so', async () => {
  const { h, smtp } = mail;
  smtp.rejectRecipients.add(OLD);
  const w = await startWalk(h, {
    gatewaySubmittedOn: '2027-01-04',
    employer: { organisation: 'Brightside Lettings Ltd', name: 'Noor Castellan', email: OLD },
  });
  await w.passGateway('2027-01-11');
  const key = 'gatewayOutcome:passed:2027-01-11';
  const epaKey = (k: string, role: string) => `epa-${w.uln}/${k}/${role}`;
  const received = (k: string) => smtp.received.filter((m) => m.parsed.headers.get('x-epa-key') === k);
  // Refused for the employer (550), delivered to the others.
  const failed = await eventually(async () => {
    const log = (await h.epa.status(w.uln)).log.filter((l) => l.key === key);
    const entry = log.find((l) => l.role === 'employer');
    expect(entry?.status).toBe('failed');
    // The apprentice's answer logged too (each delivery logs its answer when it comes).
    expect(log.find((l) => l.role === 'apprentice')?.status).toBe('sent');
    return entry!;
  });
  expect(failed.error).toContain('550');
  expect(received(epaKey(key, 'apprentice'))).toHaveLength(1);
  expect(received(epaKey(key, 'employer'))).toHaveLength(0);

  // A delivered message is refused in words; so is one of no recipient it went to.
  await expect(
    h.epa.recordEvent(w.uln, 'MessageSentAgain', { on: '2027-01-11', message: key, role: 'apprentice' }),
  ).rejects.toThrow(/This message was delivered to the recipient’s mail server, so it is not sent again/);
  await expect(
    h.epa.recordEvent(w.uln, 'MessageSentAgain', { on: '2027-01-11', message: 'gatewayOutcome:nothing', role: 'employer' }),
  ).rejects.toThrow(/This EPA has no such message/);

  await w.at('2027-01-12', 'ContactDetailsChanged', { role: 'employer', email: NEW, reason: 'typo in the address' });
  // The preview (the check-your-answers page) says what would go: to the employer only, under the next key.
  const preview = await h.epa.preview(w.uln, 'MessageSentAgain', { on: '2027-01-12', message: key, role: 'employer' });
  expect('corrections' in preview && preview.corrections.map((n) => [n.key, n.to])).toEqual([[`${key}/again-1`, ['employer']]]);

  // Sent again: the same Update twice (a double click: one event id) is one event and one message.
  const resend = { on: '2027-01-12', message: key, role: 'employer', by: 'Amira Sollen', reason: 'Address corrected' };
  await h.epa.recordEvent(w.uln, 'MessageSentAgain', resend, { idempotencyKey: 'resend-gateway-outcome-1' });
  await h.epa.recordEvent(w.uln, 'MessageSentAgain', resend, { idempotencyKey: 'resend-gateway-outcome-1' });
  const again = epaKey(`${key}/again-1`, 'employer');
  await eventually(async () => expect(received(again)).toHaveLength(1));
  const [mailed] = received(again);
  expect(mailed!.parsed.to).toMatchObject({ value: [{ address: NEW }] });
  expect(mailed!.parsed.subject).toBe("Gateway passed: Ada Testwell's end-point assessment");
  expect(mailed!.parsed.text).toContain('Noor');
  // A new Message-ID: the original key's was never delivered, and mail systems would collapse a repeat of it.
  expect(mailed!.parsed.messageId).toBe(messageIdFor(again, MAIL_FROM.email));
  expect(mailed!.parsed.messageId).not.toBe(messageIdFor(epaKey(key, 'employer'), MAIL_FROM.email));

  const status = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.log.find((l) => l.key === `${key}/again-1`)).toMatchObject({ role: 'employer', to: [NEW], status: 'sent' });
    return s;
  });
  expect(status.timeline.filter((t) => t.type === 'MessageSentAgain')).toEqual([
    expect.objectContaining({
      by: 'Amira Sollen',
      reason: 'Address corrected',
      eventId: 'resend-gateway-outcome-1',
      message: { key, role: 'employer', sentAs: `${key}/again-1` },
      changed: [],
    }),
  ]);
  // Sent again once delivered: refused in words, from the original and from its new key alike.
  for (const message of [key, `${key}/again-1`])
    await expect(
      h.epa.recordEvent(
        w.uln,
        'MessageSentAgain',
        { on: '2027-01-12', message, role: 'employer' },
        { idempotencyKey: `x-${message.length}` },
      ),
    ).rejects.toThrow(/sent again already and was delivered|was delivered to the recipient’s mail server/);
  expect(received(again)).toHaveLength(1);
  // Nothing else went to the employer meanwhile: the corrected address had only the message sent again.
  expect(smtp.received.filter((m) => m.to.includes(NEW)).map((m) => m.parsed.headers.get('x-epa-key'))).toEqual([again]);

  await w.at('2027-01-13', 'Withdrawn', { reason: 'apprentice left the employer' });
  await h.epa.handle(w.uln).result();
  await recordHistoryFixture('message-sent-again-st0071', h.epa.handle(w.uln));
});
