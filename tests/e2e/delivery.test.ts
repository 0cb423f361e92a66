/**
 * Exactly-once mail under a slow mail server, on the real dev server with the real worker process
 * (dist/workers/main.js: pooled SMTP transport, file sent store with claims) and a real SMTP server.
 * - 200+ messages due at once, the server waiting 2.5 s before every 250: each delivered once.
 * - Temporal retrying attempts that are still sending (timeout shorter than the server's delay):
 *   the claim stops the retry from sending again.
 * - One recipient's mailbox deferring (451) or refusing (550) holds up nobody else's mail, and the
 *   EPA takes events and sends their mail meanwhile; SMTP errors carry no address.
 */
import { addDays, londonDateOf } from '../../src/calendar';
import { dueNotifications } from '../../src/epa/notifications';
import type { EpaSettings } from '../../workflows/definitions';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import type { TestSmtp } from '../support/smtp';
import { startWorkerStack, type WorkerStack } from '../support/worker-stack';
import { passGatewayWith } from '../support/walk';

const today = londonDateOf(Date.now());
let stack: WorkerStack;
let smtp: TestSmtp;

beforeAll(async () => {
  stack = await startWorkerStack('epa-delivery', { EPA_DELIVERY_LEASE_SECONDS: '10' });
  smtp = stack.smtp;
});
afterAll(async () => {
  await stack?.teardown();
});

const epa = () => stack.epa;
const keys = () => smtp.received.map((m) => String(m.parsed.headers.get('x-epa-key')));

/** Starts EPAs, passes their gateways and books an observation (with an assessor) for each: an invite to three people each. */
async function bookedEpas(count: number, settings: EpaSettings, prefix: string): Promise<string[]> {
  const ulns: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = epaStart({
      gatewaySubmittedOn: addDays(today, -10),
      apprentice: { name: `Apprentice ${prefix}${i}`, email: `apprentice.${prefix}${i}@apprentice.example` },
    });
    await epa().start(input, settings);
    await passGatewayWith((type, payload) => epa().recordEvent(input.uln, type, payload), 'ST0071', addDays(today, -5));
    await epa().recordEvent(input.uln, 'AssessmentBooked', {
      on: today,
      component: 'observation',
      at: `${addDays(today, 20)}T10:00`,
      assessor: { name: `Assessor ${prefix}${i}`, email: `assessor.${prefix}${i}@epao.example` },
    });
    ulns.push(input.uln);
  }
  return ulns;
}

/** The message keys (EPA/notification/role) the rules say are due now for these EPAs. */
async function expectedKeys(ulns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const uln of ulns) {
    const status = await epa().status(uln);
    for (const n of dueNotifications(status.notifications, Date.now(), new Set()))
      for (const role of n.to) out.push(`epa-${uln}/${n.key}/${role}`);
  }
  return out.sort();
}

function expectEachOnce(expected: string[]): void {
  const got = keys();
  const duplicates = got.filter((k, i) => got.indexOf(k) !== i);
  expect(duplicates).toEqual([]);
  expect(got.filter((k) => expected.includes(k)).sort()).toEqual(expected);
}

test('a mail server that waits 2.5 s before every 250, 200 messages due: each delivered exactly once', async () => {
  smtp.delayMs = 2500;
  const started = Date.now();
  // Each EPA has 8 messages due: the invite to three people, the gateway outcome to three (apprentice,
  // employer, provider) and the planning meeting's confirmation to two (002).
  const ulns = await bookedEpas(25, {}, 's');
  const expected = await expectedKeys(ulns);
  expect(expected.length).toBeGreaterThanOrEqual(200);
  await eventually(async () => expectEachOnce(expected), 300_000);
  console.log(
    `${expected.length} messages at 2.5 s each delivered once in ${((Date.now() - started) / 1000).toFixed(0)} s; at most ${smtp.maxConcurrent} at once`,
  );
  expect(smtp.maxConcurrent).toBeLessThanOrEqual(5); // the worker sends no more at once than the pool has connections
  await new Promise((r) => setTimeout(r, 5000)); // nothing more arrives later
  expectEachOnce(expected);
  smtp.delayMs = 0;
}, 400_000);

test('Temporal retries attempts that are still sending (timeout 2 s, server 3.5 s): the claim stops a second send', async () => {
  smtp.delayMs = 3500;
  const before = smtp.received.length;
  const ulns = await bookedEpas(3, { deliveryTimeout: '2 seconds', deliveryRetryInterval: '500 milliseconds' }, 'r');
  const expected = await expectedKeys(ulns);
  await eventually(async () => expectEachOnce(expected), 120_000);
  const unexpected = smtp.received.slice(before).map((m) => String(m.parsed.headers.get('x-epa-key')));
  expect(unexpected.filter((k) => !expected.includes(k))).toEqual([]);
  expect(smtp.received.length - before).toBe(expected.length);
  // Temporal did try again while the first attempt was still sending: a later attempt of the same
  // delivery (its started event says attempt 2 or more), or, after a notification's one delivery
  // for all timed out for good, each recipient's own (patch 'delivery-one-task').
  const history = await stack.client.workflow.getHandle(`epa-${ulns[0]}`).fetchHistory();
  const events = history.events ?? [];
  const attempts = events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
  const timedOut = events.findIndex((e) => e.activityTaskTimedOutEventAttributes);
  const singleAfter =
    timedOut > 0 &&
    events.slice(timedOut).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverMessage');
  expect(Math.max(...attempts) >= 2 || singleAfter).toBe(true);
  smtp.delayMs = 0;
}, 200_000);

test('one mailbox deferring (451) or refusing (550) holds up nobody else, and the EPA carries on', async () => {
  const fast: EpaSettings = { deliveryRetryInterval: '1 second' };
  const input = epaStart({
    gatewaySubmittedOn: addDays(today, -10),
    apprentice: { name: 'Wren Deferred', email: 'wren.deferred@apprentice.example' },
  });
  smtp.deferRecipients.add(input.apprentice.email);
  smtp.rejectRecipients.add('gone.assessor@epao.example');
  await epa().start(input, fast);
  await passGatewayWith((type, payload) => epa().recordEvent(input.uln, type, payload), 'ST0071', addDays(today, -5));
  await epa().recordEvent(input.uln, 'AssessmentBooked', {
    on: today,
    component: 'observation',
    at: `${addDays(today, 20)}T10:00`,
    assessor: { name: 'Gone Assessor', email: 'gone.assessor@epao.example' },
  });
  const key = (n: string, role: string) => `epa-${input.uln}/${n}/${role}`;
  // The employer's invite arrives while the apprentice's is deferred and the assessor's refused.
  await eventually(async () => expect(keys()).toContain(key('invite:observation-1:0', 'employer')), 30_000);
  // The workflow is not blocked: a new event is taken and its mail goes out meanwhile.
  await epa().recordEvent(input.uln, 'AssessmentBooked', { on: today, component: 'project', at: `${addDays(today, 30)}T10:00` });
  await eventually(async () => expect(keys()).toContain(key('invite:project-1:0', 'employer')), 30_000);
  expect(keys()).not.toContain(key('invite:observation-1:0', 'apprentice'));
  // The refusal is logged on the EPA, without the address.
  const refused = await eventually(async () => {
    const entry = (await epa().status(input.uln)).log.find((l) => l.role === 'assessor' && l.status === 'failed');
    expect(entry).toBeDefined();
    return entry!;
  }, 30_000);
  expect(refused.error).toContain('550');
  expect(refused.error).not.toContain('@');
  // The worker logged the failures as JSON lines, without addresses or the ULN (workflow ids are epa-<ULN>).
  await eventually(async () => expect(stack.workerLog()).toContain('"msg":"Activity failed"'), 10_000);
  const lines = stack.workerLog().split('\n').filter(Boolean);
  expect(lines.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
  expect(stack.workerLog()).toContain('epa-<uln>');
  expect(stack.workerLog()).not.toContain(input.uln);
  expect(stack.workerLog()).not.toMatch(/[a-z.]+@[a-z]+\.example/);
  // The mailbox comes back: the deferred messages are delivered, once each.
  smtp.deferRecipients.clear();
  await eventually(async () => {
    expect(keys().filter((k) => k === key('invite:observation-1:0', 'apprentice'))).toHaveLength(1);
    expect(keys().filter((k) => k === key('invite:project-1:0', 'apprentice'))).toHaveLength(1);
  }, 60_000);
}, 200_000);
