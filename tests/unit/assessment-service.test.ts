/**
 * The assessment service's fake (src/dev/assessment-service-fake.ts) against the contract digest
 * (../shared/docs/assessor-api.md, cited by section), over real HTTP on loopback, and the client
 * (src/assessment/client.ts) against it: keys, batches of 25 with request ids, the omission of
 * default values, the validation messages, the record lifecycle, print statuses, a fail recorded as
 * an EPA record, an outage. Learners are invented.
 */
import type { AddressInfo } from 'node:net';
import { AssessmentServiceClient, AssessmentServiceError } from '../../src/assessment/client';
import { CERTIFICATE_GRADES, type CreateCertificateRequest } from '../../src/assessment/contract';
import { buildAssessmentServiceFake, defaultFakeSeed, type AssessmentServiceFake } from '../../src/dev/assessment-service-fake';

const KEY = 'fake-key-innovate';
const seed = defaultFakeSeed();
const learners = Array.from({ length: 40 }, (_, i) => ({
  uln: 7000000000 + i,
  givenNames: `Given${i}`,
  familyName: i === 3 ? "O'Rourke-Hale" : `Family${i}`,
  larsCode: 131,
  providerUkprn: 10012345,
  completionStatus: i === 39 ? 3 : 1,
  learningStartDate: '2025-01-06',
}));
seed.learners.push(...learners);

let fake: AssessmentServiceFake;
let base: string;
let client: AssessmentServiceClient;

beforeAll(async () => {
  fake = buildAssessmentServiceFake(seed);
  await fake.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(fake.app.server.address() as AddressInfo).port}/`;
  client = new AssessmentServiceClient({ baseUrl: base, subscriptionKey: KEY, sleep: async () => undefined });
});
afterAll(async () => {
  await fake?.app.close();
});

const raw = async (method: string, route: string, body?: unknown, key: string | null = KEY) => {
  const res = await fetch(base + route, {
    method,
    headers: {
      ...(key && { 'Ocp-Apim-Subscription-Key': key }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};

const postal = {
  contactName: 'Lena Fairweather',
  organisation: 'Harbour Mutual',
  addressLine1: '1 Quay Street',
  city: 'Bristol',
  postCode: 'BS1 4DJ',
};
const certificateRequest = (
  i: number,
  extra: Partial<CreateCertificateRequest['learningDetails']> = {},
): CreateCertificateRequest => ({
  standard: { standardReference: 'ST0071' },
  learner: { uln: learners[i]!.uln, familyName: learners[i]!.familyName },
  learningDetails: { version: '1.1', overallGrade: 'distinction', achievementDate: '2026-11-20', ...extra },
  postalContact: postal,
});

/** No property anywhere holds a type's default (null, 0, false): Newtonsoft's IgnoreAndPopulate (§1). */
function expectNoDefaults(value: unknown, path = 'body'): void {
  if (Array.isArray(value)) value.forEach((v, i) => expectNoDefaults(v, `${path}[${i}]`));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      expect([`${path}.${k}`, v]).not.toEqual([`${path}.${k}`, null]);
      expect([`${path}.${k}`, v]).not.toEqual([`${path}.${k}`, 0]);
      expect([`${path}.${k}`, v]).not.toEqual([`${path}.${k}`, false]);
      expectNoDefaults(v, `${path}.${k}`);
    }
}

test('§1 keys: none or an unknown one is refused by APIM with 401; /Ping needs none; the client never repeats the key', async () => {
  expect(await raw('GET', 'Ping', undefined, null)).toEqual({ status: 200, body: 'Pong' });
  const none = await raw('GET', 'api/v1/certificate/grades', undefined, null);
  expect(none.status).toBe(401);
  expect(none.body).toEqual({
    statusCode: 401,
    message: expect.stringMatching(/^Access denied due to missing subscription key/),
  });
  const wrong = new AssessmentServiceClient({ baseUrl: base, subscriptionKey: 'a-secret-key-nobody-issued' });
  const err = (await wrong.grades().catch((e: unknown) => e)) as AssessmentServiceError;
  expect(err).toBeInstanceOf(AssessmentServiceError);
  expect([err.kind, err.status]).toEqual(['refused', 401]);
  expect(err.message).toMatch(/invalid subscription key/);
  expect(err.message).not.toContain('a-secret-key-nobody-issued');
});

test('§6 grades, and §1 malformed input: a body that is not an array, or a ULN that is not a number, is 403', async () => {
  expect(await client.grades()).toEqual([...CERTIFICATE_GRADES]);
  expect((await client.grades()).includes('Outstanding')).toBe(true);
  const notArray = await raw('POST', 'api/v1/certificate', { requestId: 'x' });
  expect(notArray).toEqual({
    status: 403,
    body: {
      statusCode: 403,
      message: 'Your request contains invalid input. Please ensure it matches the swagger definition and try again.',
    },
  });
  expect((await raw('POST', 'api/v1/epa', '[{"broken"')).status).toBe(403);
  expect((await raw('GET', 'api/v1/certificate/abc/Smith/ST0071')).status).toBe(403);
});

test('§1 batches: 26 items are refused whole (403); the client splits 30 into 25 + 5 and matches each answer by its requestId', async () => {
  const items = Array.from({ length: 26 }, (_, i) => ({ ...certificateRequest(i), requestId: `c${i}` }));
  expect(await raw('POST', 'api/v1/certificate', items)).toEqual({
    status: 403,
    body: { statusCode: 403, message: 'Batch limited to 25 requests' },
  });
  expect(fake.records()).toHaveLength(0);
  const answers = await client.createCertificates(Array.from({ length: 30 }, (_, i) => certificateRequest(i + 5)));
  expect(answers.map((a) => a.requestId)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
  expect(answers.filter((a) => a.validationErrors.length === 0)).toHaveLength(30);
  expect(new Set(answers.map((a) => a.certificate!.certificateData.certificateReference)).size).toBe(30);
});

test('§1 §9 partial success: each item answered in order, a failed one with its messages and no payload; defaults omitted', async () => {
  const res = await raw('POST', 'api/v1/certificate', [
    { ...certificateRequest(0), requestId: 'ok' },
    { ...certificateRequest(1), requestId: 'wrong-name', learner: { uln: learners[1]!.uln, familyName: 'Nobody' } },
    { ...certificateRequest(2, { overallGrade: 'Fail' }), requestId: 'fail-grade' },
    {
      ...certificateRequest(4, { overallGrade: 'Superb' }),
      requestId: 'bad-grade',
      postalContact: { ...postal, postCode: 'NOT A CODE' },
    },
    { ...certificateRequest(39), requestId: 'withdrawn' },
    { ...certificateRequest(6, { achievementDate: '2099-01-01' }), requestId: 'future' },
  ]);
  expect(res.status).toBe(200);
  const items = res.body as { requestId: string; validationErrors: string[]; certificate?: unknown }[];
  expect(items.map((i) => [i.requestId, i.validationErrors])).toEqual([
    ['ok', []],
    ['wrong-name', [`Learner details for ULN: ${learners[1]!.uln} not found`]],
    ['fail-grade', ['Cannot record a Fail grade via API']],
    [
      'bad-grade',
      [
        'Provide a valid UK postcode',
        'You must enter a valid grade. Must be one of the following: Pass, Credit, Merit, Distinction, Pass with excellence, Outstanding, No grade awarded, where Pass, Credit, Merit, Distinction, Pass with excellence, Outstanding, No grade awarded can be obtained with /api/v1/certificate/grades',
      ],
    ],
    ['withdrawn', ['Cannot find the apprentice details']],
    ['future', ['Achievement date cannot be in the future']],
  ]);
  expect(items.filter((i) => 'certificate' in i).map((i) => i.requestId)).toEqual(['ok']);
  expectNoDefaults(res.body);
  // The grade in canonical casing; a complete Draft shown as Ready (§6, §7).
  expect((items[0]!.certificate as { status: unknown }).status).toEqual({ currentStatus: 'Ready' });
  expect(JSON.stringify(items[0]!.certificate)).toContain('"overallGrade":"Distinction"');
});

test('§6 §7 a certificate through its life: Ready, submitted once, then the print process to Delivered', async () => {
  const i = 2;
  const { uln, familyName } = learners[i]!;
  expect(await client.getCertificate(uln, familyName, 'ST0071')).toBeUndefined(); // 204: you may create
  const [created] = await client.createCertificates([certificateRequest(i, { overallGrade: 'Pass' })]);
  const ref = created!.certificate!.certificateData.certificateReference!;
  expect(ref).toMatch(/^\d{8}$/);
  const [again] = await client.createCertificates([certificateRequest(i)]);
  expect(again!.validationErrors).toEqual([`Certificate already exists: ${ref}`]);
  const ready = await client.getCertificate(uln, familyName.toUpperCase(), 'ST0071');
  expect(ready).toMatchObject({ status: { currentStatus: 'Ready' }, created: { createdBy: 'API' } });
  expect(ready!.submitted).toBeUndefined();

  const submit = { uln, familyName, standardReference: 'ST0071', certificateReference: ref };
  const [submitted] = await client.submitCertificates([submit]);
  expect(submitted).toMatchObject({ validationErrors: [], certificate: { status: { currentStatus: 'Submitted' } } });
  expect(submitted!.certificate!.submitted?.submittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect((await client.submitCertificates([submit]))[0]!.validationErrors).toEqual(['Certificate has already been submitted']);

  for (const status of ['SentToPrinter', 'Printed'] as const)
    expect((await raw('POST', '__fake/print-status', { certificateReference: ref, status })).status).toBe(200);
  const printed = await client.getCertificate(uln, familyName, '131');
  expect(printed).toMatchObject({
    status: { currentStatus: 'Printed' },
    printed: { printedAt: expect.any(String), printedBatch: expect.any(Number) },
    delivered: { status: 'WaitingForDelivery' },
  });
  await raw('POST', '__fake/print-status', { certificateReference: ref, status: 'Delivered', at: '2026-12-01T10:30:00Z' });
  expect(await client.getCertificate(uln, familyName, 'ST0071')).toMatchObject({
    status: { currentStatus: 'Delivered' },
    delivered: { status: 'Delivered', deliveryDate: '2026-12-01T10:30:00' },
  });
  // The hook refuses a move the print process would not make.
  expect((await raw('POST', '__fake/print-status', { certificateReference: ref, status: 'Printed' })).status).toBe(409);
});

test('§8 a fail is an EPA record: Submitted with grade Fail, no certificate (204); a resit pass then gets a certificate', async () => {
  const i = 3; // a family name with an apostrophe and a hyphen, in the path
  const { uln, familyName } = learners[i]!;
  const [recorded] = await client.createEpaRecords([
    {
      standard: { standardReference: 'ST0071' },
      learner: { uln, familyName },
      learningDetails: { version: '1.1' },
      epaDetails: { epas: [{ epaDate: '2026-09-01', epaOutcome: 'fail' as 'Fail' }] },
    },
  ]);
  expect(recorded).toEqual({ requestId: '1', epaReference: expect.stringMatching(/^\d{8}$/), validationErrors: [] });
  expect(await client.getCertificate(uln, familyName, 'ST0071')).toBeUndefined();
  const learner = await client.getLearner(uln, familyName, 'ST0071');
  expect(learner.epaDetails).toMatchObject({ epaReference: recorded!.epaReference, latestEpaOutcome: 'Fail' });
  expect(learner.certificate).toBeUndefined();
  const [twice] = await client.createEpaRecords([
    {
      standard: { standardReference: 'ST0071' },
      learner: { uln, familyName },
      epaDetails: { epas: [{ epaDate: '2026-09-01', epaOutcome: 'Fail' }] },
    },
  ]);
  expect(twice!.validationErrors).toEqual(['EPA already provided for the learner']);

  const [resit] = await client.createCertificates([
    certificateRequest(i, { overallGrade: 'Pass', achievementDate: '2026-11-02' }),
  ]);
  expect(resit!.certificate!.certificateData.certificateReference).toBe(recorded!.epaReference); // one reference (§1)
  const after = await client.getLearner(uln, familyName, 'ST0071');
  expect(after.epaDetails!.epas.map((e) => [e.epaDate, e.epaOutcome])).toEqual([
    ['2026-09-01T00:00:00', 'Fail'],
    ['2026-11-02T00:00:00', 'Pass'],
  ]);
});

test('§9 the shared rules: family name, standard, version, ULN, not approved', async () => {
  const [a, b, c, d] = await client.createEpaRecords([
    { standard: { standardReference: 'ST0071' }, learner: { uln: 123, familyName: '' }, epaDetails: { epas: [] } },
    {
      standard: { standardCode: 131, standardReference: 'ST0072' },
      learner: { uln: learners[7]!.uln, familyName: 'Family7' },
      epaDetails: { epas: [{ epaDate: '2026-01-01', epaOutcome: 'Pass' }] },
    },
    {
      standard: { standardReference: 'ST0071' },
      learner: { uln: learners[7]!.uln, familyName: 'Family7' },
      learningDetails: { version: '9.9' },
      epaDetails: { epas: [{ epaDate: '2026-01-01', epaOutcome: 'Maybe' as 'Pass' }] },
    },
    {
      standard: { standardReference: 'ST0071' },
      learner: { uln: learners[7]!.uln, familyName: 'Family7' },
      epaDetails: { epas: [{ epaDate: '2016-12-31', epaOutcome: 'Pass' }] },
    },
  ]);
  expect(a!.validationErrors).toEqual([
    'Provide apprentice family name',
    'ULN should contain exactly 10 numbers',
    'Provide EPA Details',
  ]);
  expect(b!.validationErrors).toEqual(['StandardReference and StandardCode must be for the same Standard']);
  expect(c!.validationErrors).toEqual(['Invalid version for Standard', 'Invalid outcome: must be Pass, Fail or Withdrawn']);
  expect(d!.validationErrors).toEqual(['EPA Date cannot be before 01 01 2017']);
  const nqual = new AssessmentServiceClient({ baseUrl: base, subscriptionKey: 'fake-key-nqual' });
  const [e] = await nqual.createCertificates([certificateRequest(8)]);
  expect(e!.validationErrors).toEqual(['Your organisation is not approved to assess this Standard']);
  const refused = (await client
    .getCertificate(learners[8]!.uln, 'Nobody', 'ST0099')
    .catch((x: unknown) => x)) as AssessmentServiceError;
  expect([refused.kind, refused.status, refused.message]).toEqual([
    'refused',
    403,
    'GET /api/v1/certificate/{uln}/{familyName}/ST0099: Provide a valid Standard',
  ]);
});

test('an outage: 503 answers; reads are tried again and give up as unavailable; the service answers again after it', async () => {
  await raw('POST', '__fake/outage', { seconds: 3600 });
  try {
    const err = (await client
      .getCertificate(learners[36]!.uln, 'Family36', 'ST0071')
      .catch((x: unknown) => x)) as AssessmentServiceError;
    expect([err.kind, err.status]).toEqual(['unavailable', 503]);
    const write = (await client.createCertificates([certificateRequest(36)]).catch((x: unknown) => x)) as AssessmentServiceError;
    expect(write.kind).toBe('unavailable');
  } finally {
    await raw('POST', '__fake/outage', { seconds: 0 });
  }
  expect(await client.getCertificate(learners[36]!.uln, 'Family36', 'ST0071')).toBeUndefined();
  const down = new AssessmentServiceClient({
    baseUrl: 'http://127.0.0.1:9/',
    subscriptionKey: KEY,
    sleep: async () => undefined,
  });
  await expect(down.grades()).rejects.toMatchObject({
    kind: 'unavailable',
    message: 'GET /api/v1/certificate/grades: the assessment service could not be reached',
  });
});
