/**
 * The zod-free event check the workflow uses agrees with the zod schemas the API and `epa plan`
 * publish: same accept/refuse decision, same field named, same parsed event.
 */
import fc from 'fast-check';
import { EpaEvent, eventTypes } from '../../src/epa/events';
import { EpaInputError, eventTypeNames, parseEvent } from '../../src/epa';

function zodVerdict(raw: unknown): { ok: true; value: unknown } | { ok: false; path: string } {
  const r = EpaEvent.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? '' : issue.path.map(String).join('.');
  return { ok: false, path };
}

function checkVerdict(raw: unknown): { ok: true; value: unknown } | { ok: false; path: string } {
  try {
    return { ok: true, value: parseEvent(raw, '$') };
  } catch (err) {
    if (!(err instanceof EpaInputError)) throw err;
    return { ok: false, path: err.path.replace(/^\$\.?/, '') };
  }
}

const value = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    '2027-01-12',
    '2027-02-30',
    '2027-01-12T10:00',
    '2027-01-12T25:00',
    'observation',
    'Observation',
    'Pass',
    'Merit',
    '  ok  ',
    'no',
    'x'.repeat(250),
    'employer',
    'apprentice',
    'epaoAdmin',
    'ada@apprentice.example',
    '2027-03-28T01:30', // does not exist in London
    '2027-10-31T01:30', // happens twice: needs an offset
    '2027-10-31T01:30+00:00',
    '2027-07-01T10:00+00:00', // the wrong offset for July
    'upheld',
    'dismissed',
    'none',
    'requested',
    'Level 2',
    'BSL',
    '00012345',
    '1234567',
    'SentToPrinter',
    'Delivered',
    'Fail',
    'BS1 4DJ',
  ),
  fc.integer({ min: -2, max: 30 }),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(
    { reason: 'agreed' },
    { reason: ' ' },
    { reason: 'agreed', extra: 1 },
    { name: 'Priya', email: 'priya@assessors.example' },
    { name: 'Priya', email: 'not-an-email' },
    { name: '', email: 'a@b.co' },
    { english: 'Level 2', maths: 'Level 1' },
    { english: 'BSL', maths: 'Entry Level 3', ehcPlanOrLegacyStatement: true },
    { english: 'Level 4', maths: 'Level 2' },
    {
      contactName: 'Lena Fairweather',
      organisation: 'Harbour Mutual',
      addressLine1: '1 Quay St',
      city: 'Bristol',
      postCode: 'BS1 4DJ',
    },
    { contactName: ' ', organisation: 'Harbour Mutual', addressLine1: '1 Quay St', city: 'Bristol', postCode: 'BS1 4DJ' },
    { contactName: 'Lena', organisation: 'H', addressLine1: '1', city: 'B', postCode: 'NOT A CODE' },
    { contactName: 'Lena', organisation: 'H', addressLine1: '1', city: 'B', postCode: 'GIR 0AA', floor: 2 },
  ),
  fc.constantFrom(['ULN, FamilyName and Standard not found.'], [], ['a', 7], ['x'.repeat(2001)]),
);
const keys = fc.constantFrom(
  'type',
  'on',
  'component',
  'at',
  'grade',
  'words',
  'pieces',
  'reason',
  'override',
  'by',
  'location',
  'assessor',
  'passCriteriaMet',
  'distinctionCriteriaMet',
  'exceptionalCircumstances',
  'role',
  'name',
  'email',
  'organisation',
  'englishMaths',
  'employerSignOff',
  'declarationSigned',
  'projectSynopsisAgreed',
  'reasonableAdjustments',
  'outcome',
  'familyName',
  'postalContact',
  'messages',
  'status',
  'reference',
  'eventId',
  'voids',
  'colour',
);
const raw = fc
  .tuple(
    fc.oneof(fc.constantFrom(...eventTypes), fc.string()),
    fc.dictionary(keys, value, { maxKeys: 5 }),
    fc.constantFrom('2027-01-12', '2027-13-01', undefined),
  )
  .map(([type, fields, on]) => ({ ...fields, type, ...(on !== undefined && { on }) }));

test('property: the zod-free check and the zod schema agree on every payload', () => {
  fc.assert(
    fc.property(raw, (r) => {
      const a = zodVerdict(r);
      const b = checkVerdict(r);
      expect(b.ok).toBe(a.ok);
      if (a.ok && b.ok) expect(b.value).toEqual(a.value);
      if (!a.ok && !b.ok && a.path !== '' && !a.path.startsWith('type')) expect(b.path.split('.')[0]).toBe(a.path.split('.')[0]);
    }),
    { numRuns: Number(process.env.EPA_FUZZ_RUNS ?? 5000) },
  );
});

test('well-formed events of every type pass both', () => {
  const examples = [
    {
      type: 'AssessmentBooked',
      on: '2027-01-05',
      component: 'observation',
      at: '2027-01-26T10:00',
      location: 'Head office',
      assessor: { name: ' Priya Lockhart ', email: 'priya@assessors.example' },
      override: { reason: ' agreed by phone ' },
    },
    { type: 'GradeRecorded', on: '2027-01-27', component: 'showcase', passCriteriaMet: true, distinctionCriteriaMet: 7 },
    { type: 'Withdrawn', on: '2027-02-01', reason: '  left employment ', by: 'admin' },
    {
      type: 'GatewayEvidenceRecorded',
      on: '2027-01-04',
      englishMaths: { english: 'BSL', maths: 'Level 2', ehcPlanOrLegacyStatement: false },
      employerSignOff: true,
      reasonableAdjustments: 'requested',
    },
    { type: 'PlanningMeetingBooked', on: '2027-01-12', at: '2027-10-31T01:30+01:00' },
    { type: 'PlanningMeetingHeld', on: '2027-01-13' },
    { type: 'ResultModerated', on: '2027-01-28', component: 'observation' },
    { type: 'AppealLodged', on: '2027-02-03', component: 'observation', reason: ' marked wrongly ' },
    { type: 'AppealDecided', on: '2027-02-20', component: 'observation', outcome: 'upheld', grade: 'Pass' },
    { type: 'EventVoided', on: '2027-02-21', eventId: 'void-1', voids: 'move-1', reason: 'moved the wrong apprentice' },
    { type: 'EventVoided', on: '2027-02-21', eventId: 'move-1', reason: 'recorded before 1.1: eventId named the target' },
  ];
  for (const e of examples) expect(checkVerdict(e).ok).toBe(true);
  for (const e of examples) expect(checkVerdict(e)).toEqual(zodVerdict(e));
});

test('the workflow offers an Update for exactly the event types the zod vocabulary has', () => {
  expect([...eventTypeNames].sort()).toEqual([...eventTypes].sort());
});

test('a void names its target in voids and has its own eventId; one naming neither, or itself, is refused by both (issue 28)', () => {
  const neither = { type: 'EventVoided', on: '2027-02-21', reason: 'wrong apprentice' };
  const itself = { ...neither, eventId: 'x', voids: 'x' };
  expect([checkVerdict(neither), zodVerdict(neither)].map((v) => [v.ok, !v.ok && v.path])).toEqual([
    [false, 'voids'],
    [false, 'voids'],
  ]);
  expect([checkVerdict(itself), zodVerdict(itself)].map((v) => [v.ok, !v.ok && v.path])).toEqual([
    [false, 'eventId'],
    [false, 'eventId'],
  ]);
});
