/**
 * Checks a raw admin event without zod, for the workflow sandbox: every cached workflow carries its
 * own copy of the modules it imports, and zod alone costs ~3 MB and ~80 ms per workflow. The zod
 * schemas in events.ts stay the public contract (API, OpenAPI, `epa plan`);
 * tests/unit/event-check.test.ts proves both accept and refuse the same payloads, at the same field.
 */
import { isLondonDate, londonDateTimeProblem } from '../calendar/london';
import { isAcceptedDate, outsideAcceptedDates } from '../calendar/working-days';
import { EpaInputError } from './errors';
import { EVENT_ID, EVENT_ID_MESSAGE } from './event-ids';
import { nameProblem } from './names';
import type { EpaEvent, EpaEventType } from './events';
import { NOTE_MAX } from './note';
import { CASE_OWNER_USERNAME, MESSAGE_KEY_MAX, TASK_KEY } from './task-keys';
import { SYSTEM_EVENT_TYPES } from './system-events';

/** Where the workflow and its clients have long taken them from. */
export { EVENT_ID, EVENT_ID_MESSAGE, SYSTEM_EVENT_TYPES };

/** A failure may name where inside a nested value it lies (`at`, e.g. `postCode`). */
type Check = (value: unknown) => { ok: true; value: unknown } | { ok: false; message: string; at?: string };

const ok = (value: unknown) => ({ ok: true as const, value });
const fail = (message: string, at?: string) => ({ ok: false as const, message, ...(at ? { at } : {}) });

// The email pattern zod's z.email() uses by default.
const EMAIL = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

const date: Check = (v) => {
  if (typeof v !== 'string' || !isLondonDate(v)) return fail('must be a real calendar date written YYYY-MM-DD (London)');
  return isAcceptedDate(v) ? ok(v) : fail(outsideAcceptedDates);
};
const dateTime: Check = (v) => {
  if (typeof v !== 'string') return fail('must be a real London local date-time written YYYY-MM-DDTHH:mm');
  const problem = londonDateTimeProblem(v);
  if (problem) return fail(problem);
  return isAcceptedDate(v.slice(0, 10)) ? ok(v) : fail(outsideAcceptedDates);
};
const component: Check = (v) =>
  typeof v === 'string' && /^[a-z]+$/.test(v) ? ok(v) : fail('a component id such as "observation"');
const reason: Check = (v) => {
  if (typeof v !== 'string') return fail('expected a string');
  const t = v.trim();
  if (t.length < 3) return fail('give a reason of at least 3 characters');
  return t.length > 2000 ? fail('at most 2000 characters') : ok(t);
};
/** A string of `min` to `max` characters, as given. */
const text =
  (max: number, min = 0): Check =>
  (v) =>
    typeof v === 'string' && v.length <= max && v.length >= min
      ? ok(v)
      : fail(`a text of ${min ? `${min} to ` : 'at most '}${max} characters`);
const positiveInt: Check = (v) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? ok(v) : fail('a whole number above 0');
const nonNegativeInt: Check = (v) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? ok(v) : fail('a whole number, 0 or more');
const bool: Check = (v) => (typeof v === 'boolean' ? ok(v) : fail('true or false'));
const contactRole: Check = (v) =>
  v === 'apprentice' || v === 'employer' || v === 'provider' || v === 'epaoAdmin'
    ? ok(v)
    : fail('one of apprentice, employer, provider, epaoAdmin');
const grade: Check = (v) =>
  v === 'Fail' || v === 'Pass' || v === 'Merit' || v === 'Distinction' ? ok(v) : fail('one of Fail, Pass, Merit, Distinction');

function object(
  fields: Record<string, Check>,
  optional: readonly string[] = [],
): (v: unknown, path: string) => Record<string, unknown> {
  return (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new EpaInputError('expected an object', path);
    const input = v as Record<string, unknown>;
    // Own keys only: `constructor` or `__proto__` must not pass as known fields.
    const unknown = Object.keys(input).filter((k) => !Object.hasOwn(fields, k));
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(fields)) {
      if (!Object.hasOwn(input, key) || input[key] === undefined) {
        if (optional.includes(key)) continue;
        throw new EpaInputError('required', `${path}.${key}`);
      }
      const r = check(input[key]);
      if (!r.ok) throw new EpaInputError(r.message, r.at ? `${path}.${key}.${r.at}` : `${path}.${key}`);
      out[key] = r.value;
    }
    if (unknown.length > 0) throw new EpaInputError(`unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, path);
    return out;
  };
}

const nested =
  (parse: (v: unknown, path: string) => Record<string, unknown>): Check =>
  (v) => {
    try {
      return ok(parse(v, '$'));
    } catch (err) {
      if (err instanceof EpaInputError) return fail(err.detail, err.path === '$' ? undefined : err.path.slice(2));
      throw err;
    }
  };
const override = nested(object({ reason }));
const assessor = nested(
  object({ name: text(200, 1), email: (v) => (typeof v === 'string' && EMAIL.test(v) ? ok(v) : fail('an email address')) }),
);

const LEVELS = ['Entry Level 3', 'Level 1', 'Level 2', 'Level 3 or above'];
const level: Check = (v) => (typeof v === 'string' && LEVELS.includes(v) ? ok(v) : fail(`one of ${LEVELS.join(', ')}`));
const englishMaths = nested(
  object({ english: (v) => (v === 'BSL' ? ok(v) : level(v)), maths: level, ehcPlanOrLegacyStatement: bool }, [
    'ehcPlanOrLegacyStatement',
  ]),
);
const yes: Check = (v) => (v === true ? ok(v) : fail('true (leave it out when not yet seen)'));
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? ok(v) : fail(`one of ${values.join(', ')}`);

const serviceReference: Check = (v) => (typeof v === 'string' && /^\d{8}$/.test(v) ? ok(v) : fail('an 8-digit reference'));
/** Trimmed, 1 to `max` characters (events.ts `Text`). */
const trimmed =
  (max: number): Check =>
  (v) => {
    if (typeof v !== 'string') return fail('expected a string');
    const t = v.trim();
    return t.length >= 1 && t.length <= max ? ok(t) : fail(`a text of 1 to ${max} characters`);
  };
const UK_POSTCODE = /^([Gg][Ii][Rr] ?0[Aa]{2}|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})$/;
const postalContact = nested(
  object(
    {
      contactName: trimmed(200),
      department: trimmed(200),
      organisation: trimmed(200),
      addressLine1: trimmed(200),
      addressLine2: trimmed(200),
      addressLine3: trimmed(200),
      city: trimmed(100),
      postCode: (v) => (typeof v === 'string' && UK_POSTCODE.test(v) ? ok(v) : fail('a UK postcode such as BS1 4DJ')),
    },
    ['department', 'addressLine2', 'addressLine3'],
  ),
);
const messages: Check = (v) =>
  Array.isArray(v) && v.length >= 1 && v.length <= 20 && v.every((m) => typeof m === 'string' && m.length <= 2000)
    ? ok(v)
    : fail('1 to 20 messages');
const eventId: Check = (v) => (typeof v === 'string' && EVENT_ID.test(v) ? ok(v) : fail(EVENT_ID_MESSAGE));
const common = { on: date, override, by: text(200), eventId };
const commonOptional = ['override', 'by', 'eventId'];

const shapes: Record<EpaEventType, { fields: Record<string, Check>; optional?: string[]; required?: string[] }> = {
  GatewaySubmitted: { fields: {} },
  GatewayRejected: { fields: { reason } },
  GatewayPassed: { fields: {} },
  AssessmentBooked: { fields: { component, at: dateTime, location: text(500), assessor }, optional: ['location', 'assessor'] },
  AssessmentCancelled: { fields: { component, reason } },
  ReportSubmitted: { fields: { words: positiveInt } },
  PortfolioSubmitted: { fields: { pieces: positiveInt } },
  ShowcaseSubmitted: { fields: { pieces: positiveInt } },
  ReworkSubmitted: { fields: { words: positiveInt }, optional: ['words'] },
  AssessmentTaken: { fields: { component } },
  GradeRecorded: {
    fields: { component, grade, passCriteriaMet: bool, distinctionCriteriaMet: nonNegativeInt, exceptionalCircumstances: bool },
    optional: ['grade', 'passCriteriaMet', 'distinctionCriteriaMet', 'exceptionalCircumstances'],
  },
  ResultPublished: { fields: { component } },
  CertificateClaimed: { fields: { reference: serviceReference }, optional: ['reference'] },
  CertificateReceived: { fields: {} },
  ExtenuatingCircumstances: { fields: { component, reason }, optional: ['reason'] },
  Withdrawn: { fields: { reason } },
  EventVoided: { fields: { voids: eventId, reason }, optional: ['voids'] },
  GatewayEvidenceRecorded: {
    fields: {
      englishMaths,
      employerSignOff: yes,
      declarationSigned: yes,
      projectSynopsisAgreed: yes,
      reasonableAdjustments: oneOf('none', 'requested'),
    },
    optional: ['englishMaths', 'employerSignOff', 'declarationSigned', 'projectSynopsisAgreed', 'reasonableAdjustments'],
  },
  PlanningMeetingBooked: { fields: { at: dateTime } },
  PlanningMeetingHeld: { fields: {} },
  ResultModerated: { fields: { component }, optional: ['component'] },
  AppealLodged: { fields: { component, reason } },
  AppealDecided: {
    fields: { component, outcome: oneOf('upheld', 'dismissed'), grade, reason },
    optional: ['grade', 'reason'],
  },
  CertificateDetailsRecorded: { fields: { familyName: trimmed(100), postalContact }, optional: ['familyName'] },
  CertificateClaimRetried: { fields: {} },
  CertificateClaimRefused: { fields: { messages } },
  CertificateStatusChanged: {
    fields: {
      reference: serviceReference,
      status: oneOf('Submitted', 'SentToPrinter', 'Printed', 'Delivered', 'NotDelivered', 'Reprint'),
    },
  },
  EpaOutcomeRecorded: { fields: { outcome: oneOf('Fail'), failedOn: date, reference: serviceReference } },
  NoteAdded: { fields: { text: trimmed(NOTE_MAX) } },
  MessageSentAgain: {
    fields: {
      message: text(MESSAGE_KEY_MAX, 1),
      role: oneOf('apprentice', 'employer', 'provider', 'epaoAdmin', 'assessor'),
      reason,
    },
    optional: ['reason'],
  },
  CaseOwnerAssigned: {
    fields: {
      owner: (v) => (typeof v === 'string' && CASE_OWNER_USERNAME.test(v) ? ok(v) : fail("a staff account's username")),
      name: trimmed(200),
    },
  },
  TaskDone: { fields: { task: (v) => (typeof v === 'string' && TASK_KEY.test(v) ? ok(v) : fail('a task key')) } },
  ContactDetailsChanged: {
    fields: {
      role: contactRole,
      name: text(200, 1),
      email: (v) => (typeof v === 'string' && EMAIL.test(v) ? ok(v) : fail('an email address')),
      organisation: text(200, 1),
      reason,
    },
    optional: ['name', 'email', 'organisation', 'reason'],
  },
};

/** Every event type, zod-free (the Record above forces the list to be complete). */
export const eventTypeNames = Object.keys(shapes) as EpaEventType[];

const parsers = Object.fromEntries(
  Object.entries(shapes).map(([type, s]) => [
    type,
    object({ type: (v) => ok(v), ...common, ...s.fields }, [
      ...commonOptional.filter((k) => !s.required?.includes(k)),
      ...(s.optional ?? []),
    ]),
  ]),
) as Record<EpaEventType, (v: unknown, path: string) => Record<string, unknown>>;

/** The event, checked; EpaInputError naming the field (`event.at`, `events[3].on`) otherwise. */
export function parseEvent(raw: unknown, path = 'event'): EpaEvent {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new EpaInputError('expected an object', path);
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(parsers, type)) throw new EpaInputError('unknown event type', `${path}.type`);
  const event = parsers[type as EpaEventType](raw, path);
  if (type === 'ContactDetailsChanged') {
    if (event.name === undefined && event.email === undefined && event.organisation === undefined) {
      throw new EpaInputError('give at least one of name, email, organisation', `${path}.name`);
    }
    if (event.organisation !== undefined && event.role !== 'employer' && event.role !== 'provider') {
      throw new EpaInputError('only the employer and the provider have an organisation', `${path}.organisation`);
    }
    for (const field of ['name', 'organisation'] as const) {
      const problem = typeof event[field] === 'string' ? nameProblem(event[field]) : undefined;
      if (problem) throw new EpaInputError(problem, `${path}.${field}`);
    }
  }
  if (type === 'EventVoided') {
    // `voids` names the target; a void without it is one recorded before 1.1, its eventId the target.
    if (event.voids === undefined && event.eventId === undefined)
      throw new EpaInputError('name the event to void: its eventId, in voids', `${path}.voids`);
    if (event.voids !== undefined && event.voids === event.eventId)
      throw new EpaInputError('a void has an eventId of its own, not the one it voids', `${path}.eventId`);
  }
  if (type === 'GradeRecorded') {
    if ((event.grade !== undefined) === (event.passCriteriaMet !== undefined)) {
      throw new EpaInputError('give either grade, or passCriteriaMet with distinctionCriteriaMet', `${path}.grade`);
    }
    if (event.passCriteriaMet !== undefined && event.distinctionCriteriaMet === undefined) {
      throw new EpaInputError('distinctionCriteriaMet is required with passCriteriaMet', `${path}.distinctionCriteriaMet`);
    }
  }
  if (type === 'GatewayEvidenceRecorded') {
    const given = ['englishMaths', 'employerSignOff', 'declarationSigned', 'projectSynopsisAgreed', 'reasonableAdjustments'];
    if (given.every((k) => event[k] === undefined)) {
      throw new EpaInputError(
        'give at least one of englishMaths, employerSignOff, declarationSigned, projectSynopsisAgreed, reasonableAdjustments',
        `${path}.englishMaths`,
      );
    }
  }
  if (type === 'AppealDecided' && (event.outcome === 'upheld') !== (event.grade !== undefined)) {
    throw new EpaInputError('an upheld appeal gives the new grade; a dismissed one gives none', `${path}.grade`);
  }
  return event as EpaEvent;
}
