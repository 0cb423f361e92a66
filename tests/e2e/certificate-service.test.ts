/**
 * #16's lifecycle on the real dev server (Temporal CLI, SQLite), in real time, against the local fake
 * of the assessment service over loopback HTTP: an ST0071 EPA (Innovate, set here to claim through
 * the service) is taken by its admin events from the gateway to the last published result, and
 * everything after that is epa-flow's: the claim within 002 Annex 2's 15 working days, the print
 * process read from the service, the certificate delivered, the EPA complete. People are invented.
 */
import { addDays, londonDateOf } from '../../src/calendar';
import { createAssessmentActivities } from '../../activities/assessment';
import { EpaClient } from '../../src/app/epa-client';
import { rulesClaimingThroughService, startFake, type RunningFake } from '../support/assessment';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventually } from '../support/lifecycle';
import { certificateAddress, epaStart } from '../support/people';
import { recordingActivities } from '../support/recording-activities';
import { gatewayHistory, passGatewayWith, st0071ToLastResult } from '../support/walk';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApi } from '../../src/api/server';
import { addUser } from '../../src/app/users';
import { FileUserStore } from '../../src/store/user-store';
import { signIn } from '../support/pages';

let stack: DevStack;
let service: RunningFake;
let epa: EpaClient;

beforeAll(async () => {
  service = await startFake();
  stack = await startDevStack({
    taskQueue: 'epa-certificates',
    activities: { ...recordingActivities().activities, ...createAssessmentActivities({ client: service.client }) },
  });
  epa = new EpaClient(stack.client, stack.taskQueue, { rules: rulesClaimingThroughService().registry });
});
afterAll(async () => {
  await stack?.teardown();
  await service?.close();
});

test('gateway to a delivered certificate on the dev server: no admin event after the last result', async () => {
  const today = londonDateOf(Date.now());
  const g = addDays(today, -90);
  const input = epaStart({ gatewaySubmittedOn: addDays(g, -7) });
  service.enrol(input.uln, 'Testwell');
  await epa.start(input, { certificatePollInterval: '1 second' });
  const record = (type: string, payload: Record<string, unknown>) => epa.recordEvent(input.uln, type, payload);
  await passGatewayWith(record, 'ST0071', g);
  await record('CertificateDetailsRecorded', {
    on: g,
    postalContact: {
      contactName: 'Noor Castellan',
      organisation: 'Brightside Lettings Ltd',
      addressLine1: '14 Harbour Row',
      city: 'Bristol',
      postCode: 'BS1 5TT',
    },
  });
  const steps = st0071ToLastResult(g);
  for (const [type, payload] of steps) await record(type, payload);
  const lastAdminEvent = (await epa.status(input.uln)).timeline.at(-1)!.number;

  const claimed = await eventually(async () => {
    const s = await epa.status(input.uln);
    expect(s.stage).toBe('CertificateClaimed');
    return s;
  }, 60_000);
  const reference = claimed.certificate.reference!;
  // The results were published weeks ago (the history is back-dated), so today's claim is past the
  // 15 working days (002 Annex 2): met, but late.
  expect(claimed.deadlines.find((d) => d.key === 'certificateClaimDue')).toMatchObject({ status: 'metLate', metOn: today });

  for (const status of ['SentToPrinter', 'Printed', 'Delivered'] as const) {
    await service.print(reference, status);
    await eventually(async () => expect((await epa.status(input.uln)).certificate.statuses?.at(-1)?.status).toBe(status), 30_000);
  }
  await eventually(async () => expect((await epa.handle(input.uln).describe()).status.name).toBe('COMPLETED'), 30_000);
  const done = await epa.status(input.uln);
  expect(done).toMatchObject({ stage: 'Completed', certificate: { reference, receivedOn: today } });
  const after = done.timeline.filter((t) => t.number > lastAdminEvent);
  expect(after.map((t) => [t.type, t.by])).toEqual([
    ['CertificateClaimed', 'assessment service'],
    ['CertificateStatusChanged', 'assessment service'],
    ['CertificateStatusChanged', 'assessment service'],
    ['CertificateStatusChanged', 'assessment service'],
    ['CertificateReceived', 'assessment service'],
  ]);
  expect(
    service.fake
      .records()
      .filter((r) => r.uln === Number(input.uln))
      .map((r) => r.status),
  ).toEqual(['Delivered']);
});

test('a refused claim on the apprentice’s page: the service’s words, and the forms that put it right', async () => {
  const users = new FileUserStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-users-')), 'users.json'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: 'a long enough admin password' });
  const api = buildApi({
    epa,
    adminTokens: ['admin-token-for-the-certificates-test'],
    opsTokens: [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    users,
    sessionSecret: 'a-session-secret-for-the-certificates-test-0123',
    serviceName: 'Example EPAO',
  });
  try {
    const today = londonDateOf(Date.now());
    const g = addDays(today, -90);
    const input = epaStart({
      gatewaySubmittedOn: addDays(g, -7),
      apprentice: { name: 'Bram Okafor', email: 'bram@apprentice.example' },
    });
    service.enrol(input.uln, 'Okafor-Lewis'); // the ILR spells it otherwise
    const history = [
      ...gatewayHistory('ST0071', g),
      {
        type: 'CertificateDetailsRecorded',
        on: g,
        postalContact: certificateAddress,
      },
      ...st0071ToLastResult(g).map(([type, payload]) => ({ type, ...payload })),
    ];
    await epa.start({ ...input, events: history });
    await eventually(
      async () => expect((await epa.status(input.uln)).certificateTask?.kind).toBe('certificateClaimRefused'),
      60_000,
    );

    const { cookie } = await signIn(api, 'amira', 'a long enough admin password');
    const page = await api.inject({ method: 'GET', url: `/epas/${input.uln}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="certificate-task"');
    expect(page.body).toContain('Cannot find apprentice with the specified Uln, FamilyName &amp; Standard');
    expect(page.body).toContain('the Department for Education&#39;s assessment service');
    expect(page.body).toContain(`href="/epas/${input.uln}/events/new?type=CertificateDetailsRecorded"`);
    expect(page.body).toContain(`href="/epas/${input.uln}/events/new?type=CertificateClaimRetried"`);
  } finally {
    await api.close();
  }
});
