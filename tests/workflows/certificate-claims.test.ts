/**
 * Certificates claimed through the Department for Education's assessment service (#16), on the
 * time-skipping server, against the local fake over loopback HTTP (src/dev/assessment-service-fake.ts):
 *
 * - the claim is made once every component has a published pass, within 002 Annex 2's 15 working
 *   days (the `certificateClaimDue` deadline is met the day the service accepts the submission), and
 *   the certificate is followed through the print process to Delivered, which completes the EPA:
 *   no admin event after the last result;
 * - a fail is recorded as an EPA record, never a certificate; the resit's pass then gets the
 *   certificate on the same record;
 * - the service refusing the claim is an admin task (with its message, emailed to the EPAO admin),
 *   put right with CertificateDetailsRecorded and CertificateClaimRetried;
 * - the service down for an hour: the claim waits and is made when it is back.
 *
 * Innovate claims through the service here (an EPAO setting, set in a copy of the rules); people
 * are invented.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays } from '../../src/calendar';
import { createAssessmentActivities } from '../../activities/assessment';
import { EpaClient } from '../../src/app/epa-client';
import { rulesClaimingThroughService, startFake, type RunningFake } from '../support/assessment';
import { advanceTo, eventually, startHarness, untilCompleted, type Harness } from '../support/lifecycle';
import { recordingActivities } from '../support/recording-activities';
import { recordHistoryFixture } from '../support/history-fixtures';
import { gatewayHistory, st0071ToLastResult, startWalk, type Walk } from '../support/walk';
import { epaStart } from '../support/people';

let h: Harness;
let service: RunningFake;
const recording = recordingActivities();
const { registry, dir: rulesDir } = rulesClaimingThroughService();

let clock: () => number | Promise<number> = () => Date.now();
/** Worker processes a test starts: killed after the file, even when a test times out. */
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  // The service's clock is the test server's: what is "in the future" to it is what is to the EPA.
  service = await startFake(() => clock());
  const base = await startHarness({ ...recording.activities, ...createAssessmentActivities({ client: service.client }) });
  clock = () => base.env.currentTimeMs();
  h = { ...base, epa: new EpaClient(base.env.client, 'epa-test', { now: () => base.env.currentTimeMs(), rules: registry }) };
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await h?.teardown();
  await service?.close();
});

const postalContact = {
  contactName: 'Noor Castellan',
  organisation: 'Brightside Lettings Ltd',
  addressLine1: '14 Harbour Row',
  city: 'Bristol',
  postCode: 'BS1 5TT',
};

/** An ST0071 EPA (Innovate) walked through its gateway on `g`, with the certificate details recorded then. */
async function walkTo(g: string, name = 'Ada Testwell'): Promise<Walk> {
  const w = await startWalk(h, {
    gatewaySubmittedOn: addDays(g, -7),
    apprentice: { name, email: 'ada.testwell@apprentice.example' },
  });
  await w.passGateway(g);
  await w.at(g, 'CertificateDetailsRecorded', { postalContact });
  return w;
}

/** An enrolled apprentice's EPA walked from its gateway on `g` to its last published result. */
async function walkToLastResult(g: string): Promise<{ w: Walk; lastResult: string }> {
  const w = await walkTo(g);
  service.enrol(w.uln, 'Testwell');
  const steps = st0071ToLastResult(g);
  for (const [type, payload] of steps) await w.at(payload.on as string, type, payload);
  return { w, lastResult: steps[steps.length - 1]![1].on as string };
}

const record = (ref: string) => service.fake.records().find((r) => r.ref === ref);

test('002 Annex 2: claimed the day the last result is published, followed through the print process to Delivered, which completes the EPA', async () => {
  const g = '2027-03-01';
  const { w, lastResult } = await walkToLastResult(g);

  const claimed = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.stage).toBe('CertificateClaimed');
    return s;
  }, 30_000);
  const reference = claimed.certificate.reference!;
  expect(reference).toMatch(/^\d{8}$/);
  expect(claimed.certificate.claimedOn).toBe(lastResult);
  // The claim deadline (002 Annex 2: 15 working days) is met the day the service accepted it.
  expect(claimed.deadlines.find((d) => d.key === 'certificateClaimDue')).toMatchObject({ status: 'met', metOn: lastResult });
  expect(claimed.timeline.at(-1)).toMatchObject({ type: 'CertificateClaimed', by: 'assessment service' });
  expect(record(reference)).toMatchObject({
    status: 'Submitted',
    overallGrade: 'Pass',
    achievementDate: `${lastResult}T00:00:00`,
  });
  expect(record(reference)!.postal).toMatchObject({ postCode: 'BS1 5TT', organisation: 'Brightside Lettings Ltd' });
  expect(service.fake.records().filter((r) => r.uln === Number(w.uln))).toHaveLength(1);

  // The back office prints it; epa-flow notices at its next look (a day after the claim, then backing off).
  await service.print(reference, 'SentToPrinter');
  await advanceTo(h.env, addDays(lastResult, 2));
  await eventually(async () =>
    expect((await h.epa.status(w.uln)).certificate.statuses?.map((s) => s.status)).toEqual(['SentToPrinter']),
  );
  await service.print(reference, 'Printed');
  await advanceTo(h.env, addDays(lastResult, 6));
  await eventually(async () =>
    expect((await h.epa.status(w.uln)).certificate.statuses?.map((s) => s.status)).toEqual(['SentToPrinter', 'Printed']),
  );
  const deliveredOn = addDays(lastResult, 8);
  await service.print(reference, 'Delivered', `${deliveredOn}T11:00:00`);
  await advanceTo(h.env, addDays(lastResult, 20));
  // (Not handle.result(): waiting on it lets the test server skip time on.)
  await untilCompleted(h, w.uln, 30_000);
  const done = await h.epa.status(w.uln);
  await recordHistoryFixture('certificate-claimed-delivered-st0071', h.epa.handle(w.uln));
  expect(done).toMatchObject({ stage: 'Completed', completed: true });
  expect(done.certificate).toMatchObject({ reference, receivedOn: deliveredOn });
  expect(done.certificate.statuses!.map((s) => s.status)).toEqual(['SentToPrinter', 'Printed', 'Delivered']);
  // Nobody recorded anything after the last result: the service's answers did the rest.
  const afterLastResult = done.timeline.filter((t) => t.on >= lastResult && t.type !== 'ResultPublished');
  expect(afterLastResult.every((t) => t.by === 'assessment service')).toBe(true);
  expect(afterLastResult.map((t) => t.type)).toEqual([
    'CertificateClaimed',
    'CertificateStatusChanged',
    'CertificateStatusChanged',
    'CertificateStatusChanged',
    'CertificateReceived',
  ]);
});

test('a fail is an EPA record, never a certificate; the resit pass then gets its certificate on the same record', async () => {
  const g = '2027-04-05';
  const w = await walkTo(g);
  service.enrol(w.uln, 'Testwell');
  const steps = st0071ToLastResult(g).map(([type, payload]): [string, Record<string, unknown>] =>
    type === 'GradeRecorded' && payload.component === 'observation' ? [type, { ...payload, grade: 'Fail' }] : [type, payload],
  );
  for (const [type, payload] of steps) await w.at(payload.on as string, type, payload);
  const failedOn = steps.filter(([type, p]) => type === 'ResultPublished' && p.component === 'observation')[0]![1].on as string;
  const recorded = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.certificate.failsRecorded).toHaveLength(1);
    return s;
  }, 30_000);
  const reference = recorded.certificate.reference!;
  expect(recorded.certificate.failsRecorded).toEqual([{ on: failedOn, reference }]);
  expect(recorded.stage).toBe('Resit');
  expect(record(reference)).toMatchObject({ status: 'Submitted', overallGrade: 'Fail' });
  expect(await service.client.getCertificate(Number(w.uln), 'Testwell', 'ST0071')).toBeUndefined(); // 204: no certificate

  // The resit (after the last result), passed and published: the certificate, same reference.
  const day = (n: number) => addDays(steps[steps.length - 1]![1].on as string, n);
  await w.at(day(1), 'AssessmentBooked', { component: 'observation', at: `${day(16)}T10:00` });
  await w.at(day(16), 'AssessmentTaken', { component: 'observation' });
  await w.at(day(17), 'GradeRecorded', { component: 'observation', grade: 'Pass' });
  await w.publish(day(18), 'observation');
  const claimed = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.stage).toBe('CertificateClaimed');
    return s;
  }, 30_000);
  expect(claimed.certificate.reference).toBe(reference);
  expect(record(reference)).toMatchObject({ status: 'Submitted', overallGrade: 'Pass' });
  expect(record(reference)!.epas.map((e) => e.epaOutcome)).toEqual(['Fail', 'Pass']);
});

test('refused (the ILR spells the family name otherwise): an admin task with the message, emailed to the EPAO admin; put right, retried, claimed', async () => {
  const g = '2027-05-03';
  const w = await walkTo(g, 'Ada Testwell Okonkwo');
  service.enrol(w.uln, 'Testwell-Okonkwo');
  for (const [type, payload] of st0071ToLastResult(g)) await w.at(payload.on as string, type, payload);
  const refused = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.certificateTask?.kind).toBe('certificateClaimRefused');
    return s;
  }, 30_000);
  expect(refused.stage).toBe('AwaitingCertificate');
  expect(refused.certificateTask!.messages).toEqual(['Cannot find apprentice with the specified Uln, FamilyName & Standard']);
  expect(refused.timeline.at(-1)).toMatchObject({ type: 'CertificateClaimRefused', by: 'assessment service' });
  await eventually(async () =>
    expect(
      recording.deliveries
        .filter((d) => d.epaId === `epa-${w.uln}` && d.notification.kind === 'certificateClaimRefused')
        .map((d) => d.recipients.map((r) => r.role)),
    ).toEqual([['epaoAdmin']]),
  );
  expect(service.fake.records().filter((r) => r.uln === Number(w.uln))).toHaveLength(0);

  const today = refused.timeline.at(-1)!.on;
  await expect(h.epa.recordEvent(w.uln, 'CertificateClaimRefused', { on: today, messages: ['forged'] })).rejects.toThrow(
    /unknown event type/,
  );
  await h.epa.recordEvent(w.uln, 'CertificateDetailsRecorded', { on: today, familyName: 'Testwell-Okonkwo', postalContact });
  await h.epa.recordEvent(w.uln, 'CertificateClaimRetried', { on: today });
  const claimed = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.stage).toBe('CertificateClaimed');
    return s;
  }, 30_000);
  expect(claimed.certificateTask).toBeUndefined();
  expect(record(claimed.certificate.reference!)).toMatchObject({ status: 'Submitted' });
  await expect(h.epa.recordEvent(w.uln, 'CertificateClaimRetried', { on: today })).rejects.toThrow(
    /nothing to retry|has been claimed|already/,
  );
});

test('the service down for an hour: the claim waits, nothing is lost, and it is made once the service is back', async () => {
  const g = '2027-06-07';
  const w = await walkTo(g);
  service.enrol(w.uln, 'Testwell');
  const steps = st0071ToLastResult(g);
  const [lastType, lastPayload] = steps.pop()!;
  for (const [type, payload] of steps) await w.at(payload.on as string, type, payload);
  await service.outage(365 * 24 * 3600); // down until the test says otherwise
  try {
    await w.at(lastPayload.on as string, lastType, lastPayload);
    await advanceTo(h.env, lastPayload.on as string, '13:00'); // an hour later
    const waiting = await h.epa.status(w.uln);
    expect(waiting.stage).toBe('AwaitingCertificate');
    expect(waiting.certificateTask).toBeUndefined(); // not an admin's problem: the service is away
    expect(service.fake.records().filter((r) => r.uln === Number(w.uln))).toHaveLength(0);
  } finally {
    await service.outage(0);
  }
  await advanceTo(h.env, lastPayload.on as string, '15:00');
  const claimed = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.stage).toBe('CertificateClaimed');
    return s;
  }, 30_000);
  expect(service.fake.records().filter((r) => r.uln === Number(w.uln))).toHaveLength(1);
  expect(claimed.deadlines.find((d) => d.key === 'certificateClaimDue')!.status).toBe('met');
});

test('not delivered: the EPAO admin is alerted; the reprint is followed until delivered', async () => {
  const g = '2027-07-05';
  const { w, lastResult } = await walkToLastResult(g);
  const reference = await eventually(async () => {
    const s = await h.epa.status(w.uln);
    expect(s.certificate.reference).toMatch(/^\d{8}$/);
    return s.certificate.reference!;
  }, 30_000);
  for (const status of ['SentToPrinter', 'Printed', 'NotDelivered'] as const) await service.print(reference, status);
  await advanceTo(h.env, addDays(lastResult, 3));
  await eventually(async () => expect((await h.epa.status(w.uln)).certificate.statuses?.at(-1)?.status).toBe('NotDelivered'));
  const alerts = () =>
    recording.deliveries.filter((d) => d.epaId === `epa-${w.uln}` && d.notification.kind === 'certificateNotDelivered');
  await eventually(async () => expect(alerts().map((d) => d.recipients.map((r) => r.role))).toEqual([['epaoAdmin']]));
  expect((await h.epa.status(w.uln)).stage).toBe('CertificateClaimed'); // not received: still followed

  for (const status of ['Reprint', 'SentToPrinter', 'Printed', 'Delivered'] as const) await service.print(reference, status);
  await advanceTo(h.env, addDays(lastResult, 20));
  await untilCompleted(h, w.uln, 30_000);
  const done = await h.epa.status(w.uln);
  expect(done.certificate.statuses!.map((s) => s.status)).toEqual(['NotDelivered', 'Delivered']);
  expect(done.stage).toBe('Completed');
  expect(alerts()).toHaveLength(1);
});

test('a worker killed between creating the certificate and submitting it: the retry finds it Ready and submits it, one certificate', async () => {
  const queue = 'epa-claims-crash';
  const work = mkdtempSync(path.join(os.tmpdir(), 'epa-claims-crash-'));
  const marker = path.join(work, 'killed');
  const startWorker = (extra: Record<string, string>): ChildProcess => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/workers/main.js')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: h.env.address,
        TEMPORAL_TASK_QUEUE: queue,
        EPA_DATA_DIR: work,
        EPA_RULES_DIR: rulesDir,
        EPA_ASSESSMENT_SERVICE_URL: service.url,
        EPA_ASSESSMENT_SERVICE_KEY: service.key,
        EPA_WORKER_LOG_LEVEL: 'ERROR',
        ...extra,
      },
      stdio: process.env.DEBUG_WORKER ? 'inherit' : 'ignore',
    });
    workers.add(child);
    return child;
  };
  const client = new EpaClient(h.env.client, queue, { now: () => h.env.currentTimeMs(), rules: registry });
  const g = '2027-11-01';
  const input = epaStart({ gatewaySubmittedOn: addDays(g, -7) });
  service.enrol(input.uln, 'Testwell');
  // Entered with its history up to the last result: the claim is due at once.
  const history = [
    ...gatewayHistory('ST0071', g),
    { type: 'CertificateDetailsRecorded', on: g, postalContact },
    ...st0071ToLastResult(g).map(([type, payload]) => ({ type, ...payload })),
  ];
  const lastResult = (history[history.length - 1] as { on: string }).on;
  await advanceTo(h.env, lastResult);
  // No workflow cache on the worker that dies: its next workflow task must not wait on its sticky
  // queue, whose timeout the time-skipping server does not enforce.
  let worker = startWorker({ EPA_FAULT_KILL_AFTER_CERTIFICATE_CREATE: marker, EPA_MAX_CACHED_WORKFLOWS: '0' });
  try {
    await client.start({ ...input, events: history }, { claimTimeout: '5 seconds', claimRetryInterval: '1 second' });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
    expect(exit).toBe('SIGKILL'); // died right after the service created the certificate
    const created = service.fake.records().filter((r) => r.uln === Number(input.uln));
    expect(created.map((r) => r.status)).toEqual(['Draft']); // created, not submitted

    // The attempt's 5 s timeout passes in real time; Temporal retries on the restarted worker.
    worker = startWorker({});
    await eventually(
      async () => expect(service.fake.records().find((r) => r.uln === Number(input.uln))!.status).toBe('Submitted'),
      60_000,
    );
    const claimed = await eventually(async () => {
      const s = await client.status(input.uln);
      expect(s.stage).toBe('CertificateClaimed');
      return s;
    }, 60_000);
    const records = service.fake.records().filter((r) => r.uln === Number(input.uln));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ref: claimed.certificate.reference, status: 'Submitted' });
    expect(existsSync(marker)).toBe(true);
  } finally {
    worker.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
});
