/**
 * A local fake of the Apprenticeship assessment service's External API, for tests and `npm start`
 * (never production). It follows the contract digest (../shared/docs/assessor-api.md) point for
 * point: the routes, field names, the omission of default values, status codes, error bodies and
 * validation messages, and the record lifecycle (one record per ULN and standard whose reference is
 * both the EPA's and the certificate's). docs/certificates.md, The local fake, lists what it does.
 *
 * What the real service has and a fake needs as seed data: learners as the ILR holds them, standards
 * with versions and options, EPAOs and the standards they may assess, and subscription keys. What the
 * real service does by back-office jobs is a test hook here: `POST /__fake/print-status` moves a
 * submitted certificate through the print statuses; `POST /__fake/outage` makes every call answer
 * 503 for a while (the service down); `GET /__fake/records` shows what it holds.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BATCH_LIMIT, CERTIFICATE_GRADES, EPA_OUTCOMES, PRINT_STATUSES, SUBSCRIPTION_KEY_HEADER } from '../assessment/contract';

export interface FakeStandard {
  larsCode: number;
  reference: string;
  title: string;
  level: number;
  versions: { version: string; options: string[] }[];
}
export interface FakeLearner {
  uln: number;
  givenNames: string;
  familyName: string;
  larsCode: number;
  providerUkprn: number;
  /** ILR completion status: 1 continuing, 2 complete, 3 withdrawn, 6 temporarily withdrawn. */
  completionStatus: number;
  learningStartDate: string;
  plannedEndDate?: string;
  /** The learner's confirmed standard version and option, when the ILR has them. */
  version?: string;
  courseOption?: string;
}
export interface FakeEpao {
  ukprn: number;
  name: string;
  standards: { larsCode: number; versions: string[] }[];
}
export interface FakeSeed {
  standards: FakeStandard[];
  learners: FakeLearner[];
  epaos: FakeEpao[];
  /** Subscription key → the calling EPAO's UKPRN (APIM's user note `ukprn=…`). */
  subscriptionKeys: Record<string, number>;
}

type Status = 'Draft' | 'Submitted' | 'SentToPrinter' | 'Printed' | 'Delivered' | 'NotDelivered' | 'Reprint' | 'Deleted';
interface StoredEpa {
  epaDate: string;
  epaOutcome: string;
  resit?: boolean;
  retake?: boolean;
}
interface StoredRecord {
  ref: string;
  uln: number;
  larsCode: number;
  version?: string;
  courseOption?: string;
  status: Status;
  overallGrade?: string;
  achievementDate?: string;
  postal?: Record<string, string | undefined>;
  epas: StoredEpa[];
  ownerUkprn: number;
  createdAt: string;
  submittedAt?: string;
  printedAt?: string;
  printedBatch?: number;
  delivery?: { status: 'Delivered' | 'NotDelivered'; date: string };
}

const INVALID_INPUT = 'Your request contains invalid input. Please ensure it matches the swagger definition and try again.';
const GRADE_LIST = CERTIFICATE_GRADES.join(', ');
const INVALID_GRADE = `You must enter a valid grade. Must be one of the following: ${GRADE_LIST}, where ${GRADE_LIST} can be obtained with /api/v1/certificate/grades`;
const POSTCODE = /^([Gg][Ii][Rr] ?0[Aa]{2}|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})$/;
const MIN_DATE = '2017-01-01';

/** Invented learners and EPAOs for the standards epa-flow knows (ST0071, ST0072), and one key per EPAO. */
export function defaultFakeSeed(): FakeSeed {
  return {
    standards: [
      {
        larsCode: 131,
        reference: 'ST0071',
        title: 'Customer service specialist',
        level: 3,
        versions: [{ version: '1.1', options: [] }],
      },
      {
        larsCode: 132,
        reference: 'ST0072',
        title: 'Customer service practitioner',
        level: 2,
        versions: [{ version: '1.1', options: [] }],
      },
    ],
    learners: [],
    epaos: [
      { ukprn: 10099001, name: 'Innovate Awarding', standards: [{ larsCode: 131, versions: ['1.1'] }] },
      { ukprn: 10099002, name: 'NQual', standards: [{ larsCode: 132, versions: ['1.1'] }] },
    ],
    subscriptionKeys: { 'fake-key-innovate': 10099001, 'fake-key-nqual': 10099002 },
  };
}

/** The key `npm start` gives its worker: an invented EPAO approved for every standard the fake knows. */
export const DEV_FAKE_KEY = 'fake-key-dev-epao';

/**
 * The fake as `npm start` runs it, on loopback: the default seed, an EPAO for every standard with
 * DEV_FAKE_KEY, and the given learners in its ILR (the demo's apprentices).
 */
export async function startAssessmentServiceFake(
  port: number,
  learners: { uln: string; name: string; standard: string }[],
): Promise<{ url: string; key: string; close(): Promise<void> }> {
  const seed = defaultFakeSeed();
  seed.epaos.push({
    ukprn: 10099999,
    name: 'Dev EPAO',
    standards: seed.standards.map((s) => ({ larsCode: s.larsCode, versions: s.versions.map((v) => v.version) })),
  });
  seed.subscriptionKeys[DEV_FAKE_KEY] = 10099999;
  for (const l of learners) {
    const standard = seed.standards.find((s) => s.reference === l.standard);
    const words = l.name.trim().split(/\s+/);
    if (standard)
      seed.learners.push({
        uln: Number(l.uln),
        givenNames: words.slice(0, -1).join(' ') || words[0]!,
        familyName: words[words.length - 1]!,
        larsCode: standard.larsCode,
        providerUkprn: 10012345,
        completionStatus: 1,
        learningStartDate: '2025-09-01',
      });
  }
  const { app } = buildAssessmentServiceFake(seed);
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}/`, key: DEV_FAKE_KEY, close: () => app.close() };
}

/** Drops what Newtonsoft's `DefaultValueHandling.IgnoreAndPopulate` drops: null, undefined, 0, false. */
export function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined || v === 0 || v === false) continue;
      out[k] = withoutDefaults(v);
    }
    return out;
  }
  return value;
}

/** A date as the service writes it: ISO-8601, no milliseconds, no zone. */
const serviceDate = (iso: string): string => (iso.length === 10 ? `${iso}T00:00:00` : iso.slice(0, 19));
const dayOf = (iso: string): string => iso.slice(0, 10);
const sameText = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
const canonical = (value: string, list: readonly string[]): string | undefined => list.find((x) => sameText(x, value));

/** UK local time without a zone, as the service stamps createdAt and submittedAt. */
function ukNow(now: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(now);
  const p = (t: string) => parts.find((x) => x.type === t)!.value;
  return `${p('year')}-${p('month')}-${p('day')}T${p('hour')}:${p('minute')}:${p('second')}`;
}

class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AssessmentServiceFake {
  app: FastifyInstance;
  /** Every record, as stored (tests look at what was created). */
  records(): StoredRecord[];
}

export function buildAssessmentServiceFake(
  seed: FakeSeed = defaultFakeSeed(),
  options: { clock?: () => number | Promise<number> } = {},
): AssessmentServiceFake {
  // The service's clock (a test's time-skipping server, in tests), read once per request.
  let current = Date.now();
  const now = (): number => current;
  const records: StoredRecord[] = [];
  let nextRef = 12345;
  let printBatch = 400;
  let outageUntil = 0;
  const calls = new Map<string, number[]>();
  const app = Fastify({ logger: false });

  // ASP.NET answers malformed JSON, and non-numeric path ULNs, with its 403 invalid-input body.
  app.setErrorHandler(async (err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof ServiceError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, message: err.message });
    if ((err.statusCode ?? 500) < 500) return reply.code(403).send({ statusCode: 403, message: INVALID_INPUT });
    return reply.code(500).send({ statusCode: 500, message: 'An error has occurred' });
  });

  const standardBy = (code?: unknown, reference?: unknown): { standard?: FakeStandard; errors: string[] } => {
    const byCode = typeof code === 'number' ? seed.standards.find((s) => s.larsCode === code) : undefined;
    const byRef =
      typeof reference === 'string' && reference ? seed.standards.find((s) => sameText(s.reference, reference)) : undefined;
    if (byCode && byRef && byCode !== byRef)
      return { errors: ['StandardReference and StandardCode must be for the same Standard'] };
    const standard = byRef ?? byCode;
    return standard ? { standard, errors: [] } : { errors: ['Provide a valid Standard'] };
  };

  /** The shared rules (§9) for one item: caller, family name, standard, version, ULN, learner, approval. */
  function common(
    caller: number,
    item: { uln?: unknown; familyName?: unknown; standardCode?: unknown; standardReference?: unknown; version?: unknown },
    notFound: string,
  ): { errors: string[]; standard?: FakeStandard; learner?: FakeLearner; version?: string } {
    const errors: string[] = [];
    if (!(caller >= 10_000_000 && caller <= 99_999_999)) errors.push('The UKPRN should contain exactly 8 numbers');
    const familyName = typeof item.familyName === 'string' ? item.familyName : '';
    if (!familyName.trim()) errors.push('Provide apprentice family name');
    const { standard, errors: standardErrors } = standardBy(item.standardCode, item.standardReference);
    errors.push(...standardErrors);
    const version = typeof item.version === 'string' && item.version ? item.version : undefined;
    if (standard && version && !standard.versions.some((v) => v.version === version)) errors.push('Invalid version for Standard');
    const uln = typeof item.uln === 'number' ? item.uln : 0;
    if (!(Number.isInteger(uln) && uln >= 1_000_000_000 && uln <= 9_999_999_999))
      errors.push('ULN should contain exactly 10 numbers');
    if (errors.length > 0) return { errors };
    const learner = seed.learners.find(
      (l) => l.uln === uln && l.larsCode === standard!.larsCode && sameText(l.familyName, familyName),
    );
    if (!learner) return { errors: [notFound] };
    const epao = seed.epaos.find((e) => e.ukprn === caller);
    if (!epao) return { errors: ['Specified UKPRN not found'] };
    const approval = epao.standards.find((s) => s.larsCode === standard!.larsCode);
    if (!approval) return { errors: ['Your organisation is not approved to assess this Standard'] };
    const effective = version ?? learner.version ?? standard!.versions[standard!.versions.length - 1]!.version;
    if (!approval.versions.includes(effective))
      return { errors: [`Your organisation is not approved to assess this Standard Version: ${effective}`] };
    return { errors: [], standard, learner, version: effective };
  }

  const recordFor = (uln: number, larsCode: number): StoredRecord | undefined =>
    records.find((r) => r.uln === uln && r.larsCode === larsCode);

  const newRecord = (uln: number, larsCode: number, caller: number): StoredRecord => {
    const record: StoredRecord = {
      ref: String(nextRef++).padStart(8, '0'),
      uln,
      larsCode,
      status: 'Draft',
      epas: [],
      ownerUkprn: caller,
      createdAt: ukNow(now()),
    };
    records.push(record);
    return record;
  };

  const latestEpa = (r: StoredRecord): StoredEpa | undefined =>
    [...r.epas].sort((a, b) => Date.parse(b.epaDate) - Date.parse(a.epaDate))[0];

  /** The EPA list replaces the stored one; the latest decides: a Fail is a submitted Fail, else a Draft without grade. */
  function applyEpas(r: StoredRecord, epas: StoredEpa[], caller: number): void {
    r.epas = epas;
    r.ownerUkprn = caller;
    const latest = latestEpa(r)!;
    if (latest.epaOutcome === 'Fail') {
      r.status = 'Submitted';
      r.overallGrade = 'Fail';
      r.achievementDate = latest.epaDate;
      r.submittedAt = ukNow(now());
    } else {
      r.status = 'Draft';
      r.overallGrade = undefined;
      r.achievementDate = undefined;
    }
  }

  function dateErrors(value: unknown, what: string, required: string): string[] {
    if (value === undefined || value === null || value === '') return [required];
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new ServiceError(403, INVALID_INPUT);
    if (dayOf(value) < MIN_DATE) return [`${what} cannot be before 01 01 2017`];
    if (Date.parse(value) > now()) return [`${what} cannot be in the future`];
    return [];
  }

  function optionErrors(standard: FakeStandard, version: string, option: unknown, exact: boolean, required: boolean): string[] {
    const options = standard.versions.find((v) => v.version === version)?.options ?? [];
    const given = typeof option === 'string' && option ? option : undefined;
    if (options.length === 0) return given ? ['No course option available for this Standard and version. Must be empty'] : [];
    const ok = given && options.some((o) => (exact ? sameText(o, given) : o.toLowerCase().includes(given.toLowerCase())));
    if (ok || (!given && !required)) return [];
    return exact
      ? [
          `Invalid course option for this Standard and version. Must be one of the following: ${options.join(', ')} where ${options.join(', ')} depends on the standard code, and can be obtained with GET /api/v1/standard/options/${standard.larsCode}/${version}`,
        ]
      : [
          `Invalid course option for this Standard and version. Must be one of the following: '${options.join(',')}' where '${options.join(',')}' depends on the standard code, and can be obtained with GET /api/v1/standard/options/${standard.reference}/${version}`,
        ];
  }

  // Presentation (§6): the Ready overlay, the delivery block, defaults omitted.
  function certificateView(r: StoredRecord): Record<string, unknown> {
    const standard = seed.standards.find((s) => s.larsCode === r.larsCode)!;
    const learner = seed.learners.find((l) => l.uln === r.uln && l.larsCode === r.larsCode);
    const options = standard.versions.find((v) => v.version === r.version)?.options ?? [];
    const complete =
      !!r.ref &&
      !!r.version &&
      !!r.postal?.contactName &&
      !!r.postal?.city &&
      !!r.postal?.postCode &&
      !!learner?.familyName &&
      String(r.uln).length === 10 &&
      !!r.overallGrade &&
      !!r.achievementDate &&
      (options.length === 0 || !!r.courseOption);
    const shown = r.status === 'Draft' && complete ? 'Ready' : r.status;
    const view: Record<string, unknown> = {
      certificateData: {
        certificateReference: r.ref,
        standard: {
          standardCode: standard.larsCode,
          standardReference: standard.reference,
          standardName: standard.title,
          level: standard.level,
        },
        learner: { uln: r.uln, givenNames: learner?.givenNames, familyName: learner?.familyName },
        ...(learner?.learningStartDate && {
          learningDetails: {
            version: r.version,
            courseOption: r.courseOption,
            overallGrade: r.overallGrade,
            achievementDate: r.achievementDate && serviceDate(r.achievementDate),
            learningStartDate: serviceDate(learner.learningStartDate),
            providerName: 'Unknown',
            providerUkPrn: learner.providerUkprn,
          },
        }),
        ...(r.postal?.postCode && { postalContact: r.postal }),
      },
      status: { currentStatus: shown },
      created: { createdAt: r.createdAt, createdBy: 'API' },
      ...(r.submittedAt && r.status !== 'Draft' && { submitted: { submittedAt: r.submittedAt, submittedBy: 'API' } }),
      ...(r.printedAt && r.status !== 'Reprint' && { printed: { printedAt: r.printedAt, printedBatch: r.printedBatch } }),
      ...(r.status === 'Printed' && { delivered: { status: 'WaitingForDelivery' } }),
      ...(r.delivery && { delivered: { status: r.delivery.status, deliveryDate: r.delivery.date } }),
    };
    return withoutDefaults(view) as Record<string, unknown>;
  }

  // Authentication, rate limit and outages, before any route (APIM's part).
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    current = options.clock ? await options.clock() : Date.now();
    if (req.url.startsWith('/__fake/') || req.url === '/Ping') return;
    if (now() < outageUntil) return reply.code(503).send({ statusCode: 503, message: 'Service Unavailable' });
    const key = req.headers[SUBSCRIPTION_KEY_HEADER.toLowerCase()];
    if (typeof key !== 'string' || !key)
      return reply.code(401).send({
        statusCode: 401,
        message:
          'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      });
    if (!(key in seed.subscriptionKeys))
      return reply.code(401).send({
        statusCode: 401,
        message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      });
    const recent = (calls.get(req.ip) ?? []).filter((t) => now() - t < 60_000);
    recent.push(now());
    calls.set(req.ip, recent);
    if (recent.length > 120) {
      const wait = Math.ceil((60_000 - (now() - recent[0]!)) / 1000);
      return reply.code(429).send({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${wait} seconds.` });
    }
  });
  const callerOf = (req: FastifyRequest): number =>
    seed.subscriptionKeys[String(req.headers[SUBSCRIPTION_KEY_HEADER.toLowerCase()])]!;

  /** A batch body: a JSON array of objects, at most 25. */
  function batch(body: unknown): Record<string, unknown>[] {
    if (!Array.isArray(body) || body.some((x) => !x || typeof x !== 'object' || Array.isArray(x)))
      throw new ServiceError(403, INVALID_INPUT);
    if (body.length > BATCH_LIMIT) throw new ServiceError(403, `Batch limited to ${BATCH_LIMIT} requests`);
    return body as Record<string, unknown>[];
  }
  const obj = (v: unknown): Record<string, unknown> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw new ServiceError(403, INVALID_INPUT);
    return v as Record<string, unknown>;
  };
  const requestIdOf = (item: Record<string, unknown>): string | undefined =>
    typeof item.requestId === 'string' ? item.requestId : undefined;

  /** The EPA list of a request, checked: dates and outcomes, outcomes in canonical casing. */
  function epasOf(item: Record<string, unknown>): { epas: StoredEpa[]; errors: string[] } {
    const list = obj(item.epaDetails).epas;
    if (!Array.isArray(list) || list.length === 0) return { epas: [], errors: ['Provide EPA Details'] };
    const errors: string[] = [];
    const epas = list.map((raw) => {
      const e = obj(raw);
      errors.push(...dateErrors(e.epaDate, 'EPA Date', 'EPA Date cannot be before 01 01 2017'));
      const outcome = typeof e.epaOutcome === 'string' ? canonical(e.epaOutcome, EPA_OUTCOMES) : undefined;
      if (!outcome) errors.push('Invalid outcome: must be Pass, Fail or Withdrawn');
      return {
        epaDate: typeof e.epaDate === 'string' ? serviceDate(e.epaDate) : '',
        epaOutcome: outcome ?? '',
        ...(typeof e.resit === 'boolean' && { resit: e.resit }),
        ...(typeof e.retake === 'boolean' && { retake: e.retake }),
      };
    });
    return { epas, errors: [...new Set(errors)] };
  }

  function epaItem(caller: number, item: Record<string, unknown>, update: boolean): Record<string, unknown> {
    const standardRef = obj(item.standard);
    const learnerRef = obj(item.learner);
    const learning = obj(item.learningDetails);
    const shared = common(
      caller,
      { ...learnerRef, ...standardRef, version: learning.version },
      'ULN, FamilyName and Standard not found.',
    );
    const errors = [...shared.errors];
    const { epas, errors: epaErrors } = epasOf(item);
    errors.push(...epaErrors);
    if (errors.length === 0) {
      errors.push(...optionErrors(shared.standard!, shared.version!, learning.courseOption, false, false));
      if ([3, 6].includes(shared.learner!.completionStatus)) errors.push('Cannot find the apprentice details');
    }
    let existing = errors.length === 0 ? recordFor(shared.learner!.uln, shared.standard!.larsCode) : undefined;
    if (errors.length === 0 && !update && existing) {
      const latest = latestEpa(existing);
      if (!['Draft', 'Deleted'].includes(existing.status))
        errors.push(
          existing.overallGrade === 'Fail'
            ? 'EPA already provided for the learner'
            : 'Certificate already exists, cannot create EPA record',
        );
      else if (existing.status === 'Draft' && latest) errors.push('EPA already provided for the learner');
    }
    if (errors.length === 0 && update) {
      const reference = typeof item.epaReference === 'string' ? item.epaReference : '';
      if (!reference) errors.push('Provide EPA reference');
      else if (
        !existing ||
        !sameText(existing.ref, reference) ||
        existing.status === 'Deleted' ||
        (existing.status === 'Draft' && existing.epas.length === 0)
      )
        errors.push('EPA not found');
      else if (existing.ownerUkprn !== caller) errors.push('Your organisation is not the creator of this EPA');
      else if (
        (existing.status === 'Draft' && existing.overallGrade) ||
        (existing.status !== 'Draft' && existing.overallGrade !== 'Fail')
      )
        errors.push('Certificate already exists, cannot update EPA record');
    }
    if (errors.length > 0) return { requestId: requestIdOf(item), validationErrors: errors };
    existing ??= newRecord(shared.learner!.uln, shared.standard!.larsCode, caller);
    existing.version = shared.version;
    existing.courseOption =
      typeof learning.courseOption === 'string' && learning.courseOption ? learning.courseOption : undefined;
    applyEpas(existing, epas, caller);
    return { requestId: requestIdOf(item), epaReference: existing.ref, validationErrors: [] };
  }

  /** The certificate data rules (§9) shared by create and update. */
  function certificateDataErrors(learning: Record<string, unknown>, postal: Record<string, unknown>): string[] {
    const errors: string[] = [];
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    if (!text(postal.contactName)) errors.push('Provide a contact name');
    if (!text(postal.addressLine1)) errors.push('Provide an address');
    if (!text(postal.city)) errors.push('Provide a city or town');
    if (!text(postal.postCode)) errors.push('Provide a postcode');
    else if (!POSTCODE.test(text(postal.postCode))) errors.push('Provide a valid UK postcode');
    const grade = text(learning.overallGrade);
    if (!grade) errors.push('Select the grade achieved');
    else if (sameText(grade, 'Fail')) errors.push('Cannot record a Fail grade via API');
    else if (!canonical(grade, CERTIFICATE_GRADES)) errors.push(INVALID_GRADE);
    // An omitted achievement date deserialises to 0001-01-01: "before 01 01 2017", not "Provide…".
    const achieved = learning.achievementDate ?? '0001-01-01';
    errors.push(...dateErrors(achieved, 'Achievement date', 'Provide the achievement date'));
    return errors;
  }

  /** What the learner's confirmed record (version, course option) says against a certificate's details. */
  function learnerRecordErrors(
    learner: FakeLearner,
    learning: Record<string, unknown>,
    sameOption: (a: string, b: string) => boolean,
  ): string[] {
    const { version, courseOption } = learning;
    if (learner.version && typeof version === 'string' && version && version !== learner.version)
      return ['Incorrect version for learner'];
    if (learner.courseOption && typeof courseOption === 'string' && !sameOption(courseOption, learner.courseOption))
      return ['Incorrect course option for learner'];
    return [];
  }

  function certificateItem(caller: number, item: Record<string, unknown>, update: boolean): Record<string, unknown> {
    const standardRef = obj(item.standard);
    const learnerRef = obj(item.learner);
    const learning = obj(item.learningDetails);
    const postal = obj(item.postalContact);
    const shared = common(
      caller,
      { ...learnerRef, ...standardRef, version: learning.version },
      `Learner details for ULN: ${String(learnerRef.uln ?? 0)} not found`,
    );
    const errors = shared.errors.map((e) =>
      e.startsWith('Learner details') && update ? 'ULN, FamilyName and Standard not found.' : e,
    );
    if (errors.length === 0) {
      errors.push(...certificateDataErrors(learning, postal));
      errors.push(...optionErrors(shared.standard!, shared.version!, learning.courseOption, true, true));
    }
    const learner = shared.learner;
    let existing = errors.length === 0 ? recordFor(learner!.uln, shared.standard!.larsCode) : undefined;
    if (errors.length === 0 && !update) {
      if ([3, 6].includes(learner!.completionStatus)) errors.push('Cannot find the apprentice details');
      else if (
        existing &&
        ((existing.status === 'Draft' && existing.overallGrade) || !['Draft', 'Deleted'].includes(existing.status)) &&
        existing.overallGrade !== 'Fail'
      )
        errors.push(`Certificate already exists: ${existing.ref}`);
      else if (existing && existing.status !== 'Deleted' && existing.ownerUkprn !== caller)
        errors.push('Your organisation is not the creator of the EPA');
      else errors.push(...learnerRecordErrors(learner!, learning, sameText));
    }
    if (errors.length === 0 && update) {
      const reference = typeof item.certificateReference === 'string' ? item.certificateReference : '';
      if (!reference) errors.push('Provide the certificate reference');
      else if (
        !existing ||
        !sameText(existing.ref, reference) ||
        existing.status === 'Deleted' ||
        (existing.status === 'Draft' && !existing.overallGrade) ||
        existing.overallGrade === 'Fail'
      )
        errors.push('Certificate not found');
      else if (existing.ownerUkprn !== caller) errors.push('Your organisation is not the creator of this Certificate');
      else if (existing.status !== 'Draft') errors.push('Certificate does not exist in Draft status');
      // The contract: on update the course option is compared case-sensitively.
      else errors.push(...learnerRecordErrors(learner!, learning, (a, b) => a === b));
    }
    if (errors.length > 0) return { requestId: requestIdOf(item), validationErrors: errors };
    existing ??= newRecord(learner!.uln, shared.standard!.larsCode, caller);
    const grade = canonical(String(learning.overallGrade), CERTIFICATE_GRADES)!;
    const achieved = serviceDate(String(learning.achievementDate));
    if (existing.status === 'Deleted' || existing.overallGrade === 'Fail') existing.submittedAt = undefined;
    existing.status = 'Draft';
    existing.ownerUkprn = caller;
    existing.version = shared.version;
    const options = shared.standard!.versions.find((v) => v.version === shared.version)?.options ?? [];
    existing.courseOption =
      typeof learning.courseOption === 'string' && learning.courseOption
        ? (canonical(learning.courseOption, options) ?? learning.courseOption)
        : undefined;
    existing.overallGrade = grade;
    existing.achievementDate = achieved;
    const pick = (k: string) => (typeof postal[k] === 'string' && postal[k] ? (postal[k] as string) : undefined);
    existing.postal = Object.fromEntries(
      ['contactName', 'department', 'organisation', 'addressLine1', 'addressLine2', 'addressLine3', 'city', 'postCode'].map(
        (k) => [k, pick(k)],
      ),
    );
    if (!update && !existing.epas.some((e) => dayOf(e.epaDate) === dayOf(achieved) && e.epaOutcome === 'Pass'))
      existing.epas.push({ epaDate: achieved, epaOutcome: 'Pass' });
    return { requestId: requestIdOf(item), certificate: certificateView(existing), validationErrors: [] };
  }

  function submitItem(caller: number, item: Record<string, unknown>): Record<string, unknown> {
    const shared = common(caller, item, 'ULN, FamilyName and Standard not found');
    const errors = [...shared.errors];
    const reference = typeof item.certificateReference === 'string' ? item.certificateReference : '';
    if (!reference) errors.unshift('Provide the certificate reference');
    if (errors.length === 0) {
      const r = recordFor(shared.learner!.uln, shared.standard!.larsCode);
      if (!r || !sameText(r.ref, reference) || r.status === 'Deleted') errors.push('Certificate not found');
      else if (r.ownerUkprn !== caller) errors.push('Your organisation is not the creator of this Certificate');
      else if (r.status !== 'Draft')
        errors.push(r.overallGrade === 'Fail' ? 'Certificate is not in Ready status' : 'Certificate has already been submitted');
      else if (shared.learner!.version && r.version && shared.learner!.version !== r.version)
        errors.push('Certificate update is required as version has changed on Learner record');
      else if (shared.learner!.courseOption && r.courseOption && !sameText(shared.learner!.courseOption, r.courseOption))
        errors.push('Certificate update is required as course option has changed on Learner record');
      else {
        const p = r.postal ?? {};
        const missing =
          !shared.learner!.givenNames ||
          !shared.learner!.familyName ||
          !p.contactName ||
          !p.organisation ||
          !p.addressLine1 ||
          !p.city ||
          !p.postCode ||
          !r.overallGrade ||
          !r.achievementDate;
        if (missing) errors.push('Certificate is missing mandatory data');
        else {
          r.status = 'Submitted';
          r.submittedAt = ukNow(now());
          return { requestId: requestIdOf(item), certificate: certificateView(r), validationErrors: [] };
        }
      }
    }
    return { requestId: requestIdOf(item), validationErrors: errors };
  }

  /** Path parameters: a non-numeric ULN is invalid input (403), as model binding refuses it. */
  function pathItem(params: Record<string, string>): {
    uln: number;
    familyName: string;
    standardCode?: number;
    standardReference?: string;
  } {
    if (!/^\d+$/.test(params.uln ?? '')) throw new ServiceError(403, INVALID_INPUT);
    const standard = params.standard ?? '';
    return {
      uln: Number(params.uln),
      familyName: decodeURIComponent(params.familyName ?? ''),
      ...(/^\d+$/.test(standard) ? { standardCode: Number(standard) } : { standardReference: standard }),
    };
  }
  const joined = (errors: string[]): never => {
    throw new ServiceError(403, errors.join('; '));
  };

  app.get('/Ping', async (_req, reply) => reply.type('application/json').send(JSON.stringify('Pong')));

  app.post('/api/v1/epa', async (req) => batch(req.body).map((item) => withoutDefaults(epaItem(callerOf(req), item, false))));
  app.put('/api/v1/epa', async (req) => batch(req.body).map((item) => withoutDefaults(epaItem(callerOf(req), item, true))));
  app.delete('/api/v1/epa/:uln/:familyName/:standard/:epaReference', async (req, reply) => {
    const params = req.params as Record<string, string>;
    const caller = callerOf(req);
    const shared = common(caller, pathItem(params), 'ULN, FamilyName and Standard not found');
    if (shared.errors.length) joined(shared.errors);
    const r = recordFor(shared.learner!.uln, shared.standard!.larsCode);
    if (!params.epaReference) joined(['Provide the EPA reference']);
    if (!r || !sameText(r.ref, params.epaReference)) joined(['EPA not found']);
    if (r!.ownerUkprn !== caller) joined(['Your organisation is not the creator of this EPA']);
    if (!(r!.status === 'Draft' || r!.status === 'Deleted' || (r!.status === 'Submitted' && r!.overallGrade === 'Fail')))
      joined(['Certificate already exists, cannot delete EPA record']);
    Object.assign(r!, { status: 'Deleted', epas: [], overallGrade: undefined, achievementDate: undefined });
    return reply.code(204).send();
  });

  app.get('/api/v1/certificate/grades', async () => [...CERTIFICATE_GRADES]);
  app.get('/api/v1/certificate/:uln/:familyName/:standard', async (req, reply) => {
    const caller = callerOf(req);
    const item = pathItem(req.params as Record<string, string>);
    const { standard, errors: standardErrors } = standardBy(item.standardCode, item.standardReference);
    const basic = [
      ...(!item.familyName.trim() ? ['Provide apprentice family name'] : []),
      ...standardErrors,
      ...(item.uln >= 1_000_000_000 && item.uln <= 9_999_999_999 ? [] : ['ULN should contain exactly 10 numbers']),
    ];
    if (basic.length) joined(basic);
    const r = recordFor(item.uln, standard!.larsCode);
    const visible: Status[] = ['Draft', 'Submitted', 'SentToPrinter', 'Printed', 'Delivered', 'NotDelivered', 'Reprint'];
    const mine = r && r.ownerUkprn === caller;
    if (!mine) {
      // The record checks, skipped when the caller created the certificate.
      const shared = common(caller, item, 'Cannot find apprentice with the specified Uln, FamilyName & Standard');
      if (shared.errors.length) joined(shared.errors);
      if (r && visible.includes(r.status) && latestEpa(r)?.epaOutcome !== 'Pass' && r.overallGrade !== 'Fail')
        joined(['Cannot find certificate with the specified Uln, FamilyName & Standard']);
    }
    if (!r || !visible.includes(r.status) || r.overallGrade === 'Fail' || (r.status === 'Draft' && !r.overallGrade))
      return reply.code(204).send();
    if (!mine) {
      const view = certificateView(r) as { certificateData: Record<string, unknown> };
      const { learner, standard: std } = view.certificateData;
      return { certificateData: { learner, standard: std } };
    }
    return certificateView(r);
  });
  app.post('/api/v1/certificate', async (req) =>
    batch(req.body).map((item) => withoutDefaults(certificateItem(callerOf(req), item, false))),
  );
  app.put('/api/v1/certificate', async (req) =>
    batch(req.body).map((item) => withoutDefaults(certificateItem(callerOf(req), item, true))),
  );
  app.post('/api/v1/certificate/submit', async (req) =>
    batch(req.body).map((item) => withoutDefaults(submitItem(callerOf(req), item))),
  );
  app.delete('/api/v1/certificate/:uln/:familyName/:standard/:certificateReference', async (req, reply) => {
    const params = req.params as Record<string, string>;
    const caller = callerOf(req);
    const shared = common(caller, pathItem(params), 'ULN, FamilyName and Standard not found');
    if (shared.errors.length) joined(shared.errors);
    const r = recordFor(shared.learner!.uln, shared.standard!.larsCode);
    if (!params.certificateReference) joined(['Provide the certificate reference']);
    if (!r || !sameText(r.ref, params.certificateReference) || r.status === 'Deleted') joined(['Certificate not found']);
    if (r!.status === 'Draft' && !r!.overallGrade && !r!.achievementDate && !r!.postal?.postCode)
      joined(['Certificate not found.']);
    if (r!.ownerUkprn !== caller) joined(['Your organisation is not the creator of this Certificate']);
    if (r!.status !== 'Draft') joined(['Cannot delete a submitted Certificate']);
    r!.status = 'Deleted';
    return reply.code(204).send();
  });

  app.get('/api/v1/learner/:uln/:familyName/:standard', async (req) => {
    const caller = callerOf(req);
    const item = pathItem(req.params as Record<string, string>);
    const shared = common(caller, item, 'ULN, FamilyName and Standard not found');
    if (shared.errors.length) joined(shared.errors.map((e) => (e === 'Provide a valid Standard' ? 'Standard not found' : e)));
    const learner = shared.learner!;
    const standard = shared.standard!;
    const r = recordFor(learner.uln, standard.larsCode);
    const latest = r ? latestEpa(r) : undefined;
    const certificate =
      r && r.ownerUkprn === caller && r.overallGrade && r.overallGrade !== 'Fail' && r.status !== 'Deleted'
        ? (() => {
            const view = certificateView(r) as { status: { currentStatus: string } };
            if ((PRINT_STATUSES as readonly string[]).includes(view.status.currentStatus))
              view.status.currentStatus = 'Submitted';
            return view;
          })()
        : undefined;
    return withoutDefaults({
      learnerData: {
        standard: {
          standardCode: standard.larsCode,
          standardReference: standard.reference,
          standardName: standard.title,
          level: standard.level,
        },
        learner: { uln: learner.uln, givenNames: learner.givenNames, familyName: learner.familyName },
        learningDetails: {
          learnerReferenceNumber: `A${learner.uln}`,
          learningStartDate: serviceDate(learner.learningStartDate),
          plannedEndDate: learner.plannedEndDate && serviceDate(learner.plannedEndDate),
          providerName: 'Unknown',
          providerUkPrn: learner.providerUkprn,
          version: r?.version,
          courseOption: r?.courseOption,
        },
      },
      status: { completionStatus: learner.completionStatus || (r && r.status !== 'Draft' && r.status !== 'Deleted' ? 2 : 1) },
      ...(latest &&
        r!.status !== 'Deleted' && {
          epaDetails: { epaReference: r!.ref, latestEpaDate: latest.epaDate, latestEpaOutcome: latest.epaOutcome, epas: r!.epas },
        }),
      ...(certificate && { certificate }),
    });
  });

  const optionsOf = (s: FakeStandard, version?: string) => {
    const v = version ? s.versions.find((x) => x.version === version) : s.versions[s.versions.length - 1];
    return v && { standardCode: s.larsCode, standardReference: s.reference, version: v.version, courseOption: v.options };
  };
  app.get('/api/v1/standards/options', async () => seed.standards.map((s) => optionsOf(s)));
  app.get('/api/v1/standards/options/:standard', async (req, reply) => {
    const { standard } = standardBy(...codeOrRef((req.params as { standard: string }).standard));
    if (!standard) return reply.code(404).send();
    const found = optionsOf(standard)!;
    return found.courseOption.length ? found : reply.code(204).send();
  });
  app.get('/api/v1/standards/options/:standard/:version', async (req, reply) => {
    const params = req.params as { standard: string; version: string };
    const { standard } = standardBy(...codeOrRef(params.standard));
    const found = standard && optionsOf(standard, params.version);
    if (!found) return reply.code(404).send();
    return found.courseOption.length ? found : reply.code(204).send();
  });

  // Test hooks: the back office's print process, an outage, a look at the records.
  app.post('/__fake/print-status', async (req, reply) => {
    const { certificateReference, status, at } = obj(req.body) as { certificateReference?: string; status?: string; at?: string };
    const r = records.find((x) => x.ref === certificateReference);
    const allowed: Record<string, Status[]> = {
      SentToPrinter: ['Submitted', 'Reprint'],
      Printed: ['SentToPrinter'],
      Delivered: ['Printed', 'NotDelivered'],
      NotDelivered: ['Printed'],
      Reprint: ['Printed', 'Delivered', 'NotDelivered'],
    };
    if (!r || !status || !allowed[status] || !allowed[status].includes(r.status) || r.overallGrade === 'Fail')
      return reply.code(409).send({ message: `cannot move ${certificateReference} from ${r?.status ?? 'nothing'} to ${status}` });
    const when = serviceDate(at ?? new Date(now()).toISOString());
    r.status = status as Status;
    if (status === 'Printed') Object.assign(r, { printedAt: when, printedBatch: ++printBatch });
    if (status === 'Delivered' || status === 'NotDelivered') r.delivery = { status, date: when };
    if (status === 'Reprint') r.delivery = undefined;
    return { certificateReference: r.ref, status: r.status };
  });
  app.post('/__fake/outage', async (req) => {
    const { seconds } = obj(req.body) as { seconds?: number };
    outageUntil = now() + (seconds ?? 0) * 1000;
    return { until: new Date(outageUntil).toISOString() };
  });
  app.get('/__fake/records', async () => records);
  // An ILR learner added (npm start: for an EPA started by hand): the real service learns them from the ILR.
  app.post('/__fake/learners', async (req, reply) => {
    const b = obj(req.body) as { uln?: unknown; familyName?: unknown; givenNames?: unknown; standard?: unknown };
    const standard = seed.standards.find((s) => sameText(s.reference, String(b.standard ?? '')));
    if (typeof b.uln !== 'number' || typeof b.familyName !== 'string' || !standard)
      return reply.code(400).send({ message: 'give uln (a number), familyName and standard (e.g. ST0071)' });
    seed.learners.push({
      uln: b.uln,
      familyName: b.familyName,
      givenNames: typeof b.givenNames === 'string' ? b.givenNames : 'Given',
      larsCode: standard.larsCode,
      providerUkprn: 10012345,
      completionStatus: 1,
      learningStartDate: '2025-09-01',
    });
    return reply.code(201).send({ uln: b.uln, standard: standard.reference });
  });

  return { app, records: () => records };
}

function codeOrRef(standard: string): [number | undefined, string | undefined] {
  return /^\d+$/.test(standard) ? [Number(standard), undefined] : [undefined, standard];
}
