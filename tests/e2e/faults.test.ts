/**
 * Faults survived with nothing lost, on the dev server with its SQLite file: the worker killed -9
 * mid-lifecycle, the dev server killed -9 and restarted on the same file, SMTP down for a while.
 * After each, every EPA is present in the right stage and every due notification was delivered
 * exactly once (what the rules core says is due, checked against what the SMTP server accepted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { addDays, londonDateOf } from '../../src/calendar';
import { dueNotifications } from '../../src/epa/notifications';
import { freePort } from '../../src/temporal/binaries';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { EpaClient } from '../../src/app/epa-client';
import type { EpaSettings } from '../../workflows/definitions';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { startSmtp, type ReceivedMail, type TestSmtp } from '../support/smtp';
import { passGatewayWith } from '../support/walk';

const QUEUE = 'epa-faults';
const SETTINGS: EpaSettings = { deliveryTimeout: '5 seconds', deliveryRetryInterval: '1 second' };
let dir: string;
let port: number;
let server: DevServer;
let smtp: TestSmtp;
let smtpPort: number;
const accepted: ReceivedMail[] = [];
let worker: ChildProcess | undefined;
let connection: Connection;
let epa: EpaClient;
const ulns: string[] = [];
const today = londonDateOf(Date.now());

function startWorker(): ChildProcess {
  return spawn(process.execPath, [path.resolve(__dirname, '../../dist/workers/main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_TASK_QUEUE: QUEUE,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      EPA_DATA_DIR: path.join(dir, 'worker'),
      EPA_DELIVERY_LEASE_SECONDS: '10',
    },
    stdio: 'ignore',
  });
}

async function killWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (!w || w.exitCode !== null) return;
  const exited = new Promise((resolve) => w.once('exit', resolve));
  w.kill('SIGKILL');
  await exited;
}

const allAccepted = () => [...accepted, ...smtp.received.filter((m) => !accepted.includes(m))];
const keysOf = (mails: ReceivedMail[]) => mails.map((m) => String(m.parsed.headers.get('x-epa-key')));

/** Every notification due now, per recipient, was accepted by SMTP exactly once; nothing twice. */
async function expectExactlyOnce(): Promise<number> {
  return await eventually(async () => {
    const expected: string[] = [];
    for (const uln of ulns) {
      const status = await epa.status(uln);
      for (const n of dueNotifications(status.notifications, Date.now(), new Set())) {
        for (const role of n.to) expected.push(`epa-${uln}/${n.key}/${role}`);
      }
    }
    const keys = keysOf(allAccepted());
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(duplicates).toEqual([]);
    expect(keys.filter((k) => expected.includes(k)).sort()).toEqual([...expected].sort());
    return expected.length;
  }, 90_000);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-faults-'));
  port = await freePort();
  smtp = await startSmtp();
  smtpPort = smtp.port;
  server = await startDevServer({ dbFile: path.join(dir, 'temporal.db'), port });
  connection = await Connection.connect({ address: server.address });
  epa = new EpaClient(new Client({ connection }), QUEUE);
});

afterAll(async () => {
  await killWorker();
  await connection?.close();
  await server?.stop();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('worker killed -9 in the middle of sending, restarted: every EPA intact, every due notification exactly once', async () => {
  worker = startWorker();
  for (let i = 0; i < 6; i++) {
    const input = epaStart({ gatewaySubmittedOn: addDays(today, -10) });
    ulns.push(input.uln);
    await epa.start(input, SETTINGS);
    await passGatewayWith((type, payload) => epa.recordEvent(input.uln, type, payload), 'ST0071', addDays(today, -5));
  }
  // Book every observation (invites, and the 7-day reminder once 09:00 London today has passed).
  // After 4 messages are accepted, the SMTP server holds every reply: the worker is killed -9 while
  // its sends wait for their 250, so none of them was accepted and all must be sent after restart.
  const killedMidSend = (async () => {
    await eventually(async () => expect(smtp.received.length).toBeGreaterThanOrEqual(4), 60_000);
    smtp.holdAll();
    await new Promise((r) => setTimeout(r, 500));
    await killWorker();
    return smtp.releaseAll(false);
  })();
  for (const uln of ulns) {
    await epa.recordEvent(uln, 'AssessmentBooked', {
      on: today,
      component: 'observation',
      at: `${addDays(today, 7)}T10:00`,
      override: { reason: 'short notice agreed with the employer' },
    });
  }
  const heldWhenKilled = await killedMidSend;
  const beforeRestart = smtp.received.length;
  expect(beforeRestart).toBeGreaterThanOrEqual(4);
  console.log(`worker killed with ${heldWhenKilled} sends waiting for their 250; ${beforeRestart} messages accepted before`);

  worker = startWorker();
  const expected = await expectExactlyOnce();
  expect(expected).toBeGreaterThanOrEqual(ulns.length * 2);
  for (const uln of ulns) expect((await epa.status(uln)).stage).toBe('InAssessment');
});

test('dev server killed -9 and restarted on the same SQLite file: accepted events kept, EPAs carry on', async () => {
  const first = ulns[0]!;
  const booked = await epa.recordEvent(first, 'AssessmentBooked', {
    on: today,
    component: 'discussion',
    at: `${addDays(today, 30)}T14:00`,
  });
  expect(booked.eventCount).toBe(8); // submitted, portfolio, evidence, passed, planning meeting booked and held, observation, discussion
  await server.kill(); // kill -9 right after the Update returned
  await connection.close();
  server = await startDevServer({ dbFile: path.join(dir, 'temporal.db'), port });
  connection = await Connection.connect({ address: server.address });
  epa = new EpaClient(new Client({ connection }), QUEUE);

  const status = await eventually(() => epa.status(first), 60_000);
  expect(status.eventCount).toBe(8); // the Update acknowledged before the crash survived it (synchronous=FULL)
  expect(status.components.discussion!.attempts[0]!.booking!.at).toBe(`${addDays(today, 30)}T14:00`);
  const listed = await eventually(async () => {
    const rows = await epa.list({ running: true });
    expect(rows.map((r) => r.uln).sort()).toEqual([...ulns].sort());
    return rows;
  }, 60_000);
  expect(new Set(listed.map((r) => r.stage))).toEqual(new Set(['InAssessment']));
  // The worker reconnects by itself and the EPA takes new events.
  const next = await eventually(() => epa.recordEvent(ulns[1]!, 'ReportSubmitted', { on: today, words: 2500 }), 60_000);
  expect(next.stage).toBe('InAssessment');
  await expectExactlyOnce();
});

test('SMTP down for a while and back: nothing lost, nothing twice', async () => {
  accepted.push(...smtp.received);
  await smtp.close();
  for (const uln of ulns.slice(0, 3)) {
    await epa.recordEvent(uln, 'AssessmentBooked', { on: today, component: 'project', at: `${addDays(today, 21)}T11:00` });
  }
  // Deliveries fail (connection refused) and are retried with backoff; the EPAs stay healthy meanwhile.
  await new Promise((r) => setTimeout(r, 4000));
  const during = await epa.status(ulns[0]!);
  expect(during.stage).toBe('InAssessment');
  expect(during.log.filter((l) => l.status === 'failed')).toEqual([]); // transient: not given up on
  smtp = await startSmtp(smtpPort);
  await expectExactlyOnce();
  const after = await epa.status(ulns[0]!);
  expect(
    after.log
      .filter((l) => l.key.startsWith('invite:project-1:'))
      .map((l) => [l.role, l.status])
      .sort(),
  ).toEqual([
    ['apprentice', 'sent'],
    ['employer', 'sent'],
  ]);
});
