/**
 * Route tests: each record-event form (src/web/routes/events.ts) on in-memory fakes, through
 * app.inject: the form renders, bad input comes back as the GOV.UK error summary linking to the
 * field, a refusal says why, and a good post records the event once and goes back to the EPA.
 */
import { CHECKED_FIRST, eventForms, type EventForm } from '../../src/app/event-forms';
import { addDays } from '../../src/calendar';
import { EpaRejectedError } from '../../src/app/epa-client';
import { epaStart } from '../support/people';
import { ADMIN, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
const bram = epaStart({
  apprentice: { name: 'Bram Okonkwo-Tell', email: 'bram@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -20),
});

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(bram);
  admin = await session(p.app, ADMIN);
});
afterAll(async () => {
  await p.app.close();
});

// Appeals and extenuating circumstances are offered only when the rules take them (tests/web/actions.test.ts).
const forms = (Object.values(eventForms) as EventForm[]).filter((f) => f.type === 'Withdrawn' || !CHECKED_FIRST.has(f.type));
/** Recorded straight from the form (the others go through check your answers first: actions.test.ts). */
const direct = forms.filter((f) => !CHECKED_FIRST.has(f.type));
const [year, month, day] = TODAY.split('-') as [string, string, string];

/** Every field of the form filled as a person would (dates in three boxes, times as 10:00). */
function filled(form: EventForm): Record<string, string> {
  const posted: Record<string, string> = { type: form.type };
  for (const f of form.fields) {
    if (f.kind === 'date' || f.kind === 'datetime') {
      Object.assign(posted, { [`${f.name}-day`]: day, [`${f.name}-month`]: month, [`${f.name}-year`]: year });
      if (f.kind === 'datetime') posted[`${f.name}-time`] = '10:00';
    } else
      posted[f.name] = {
        component: 'observation',
        grade: 'Pass',
        text: 'Invented text',
        email: 'someone@invented.example',
        number: '12',
        reason: 'illness',
        yesno: 'yes',
        choice: f.options?.[0] ?? '',
      }[f.kind];
  }
  return posted;
}

const formUrl = (type: string) => `/epas/${bram.uln}/events/new?type=${type}`;
const post = (type: string, fields: Record<string, string>) => admin.post(formUrl(type), `/epas/${bram.uln}/events`, fields);

test('there is a form for every event staff record from the pages', () => {
  expect(forms.length).toBeGreaterThanOrEqual(20);
});

test.each(forms.map((f) => [f.type, f]))('%s: the form renders with its fields and a key of its own', async (_type, form) => {
  const page = await admin.get(formUrl(form.type));
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`<h1 class="govuk-heading-l">${form.title}</h1>`);
  expect(page.body).toContain(`<title>${form.title.replace(/'/g, '&#39;')} – ${bram.apprentice.name}`);
  expect(page.body).toContain(`action="/epas/${bram.uln}/events"`);
  for (const f of form.fields)
    expect(page.body).toContain(f.kind === 'date' || f.kind === 'datetime' ? `id="${f.name}-day"` : `name="${f.name}"`);
  expect(page.body).toMatch(/name="formKey" value="[0-9a-f-]{36}"/);
});

test.each(forms.map((f) => [f.type, f]))(
  '%s: an impossible date is the error summary linking to its day box; nothing recorded',
  async (_type, form) => {
    const before = p.epa.callsOf('recordEvent').length;
    const res = await post(form.type, { ...filled(form), 'on-day': '31', 'on-month': 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('<a href="#on-day">When did it happen? must be a real date, like 27 3 2027</a>');
    expect(res.body).toContain('<title>Error: ');
    expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
  },
);

test.each(direct.map((f) => [f.type, f]))(
  '%s: filled in, it records the event as the admin and goes back to the EPA',
  async (_type, form) => {
    const fields = filled(form);
    const res = await post(form.type, fields);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/epas/${bram.uln}`);
    const call = p.epa.callsOf('recordEvent').at(-1)!;
    expect(call).toMatchObject({ uln: bram.uln, type: form.type, payload: { on: TODAY, by: ADMIN.name } });
    expect(call.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const page = await admin.get(`/epas/${bram.uln}`);
    expect(page.body).toContain(`${form.title}: recorded`);
  },
);

test("a warning the core raises is in the banner in words: the component's name once, the date in words", async () => {
  p.epa.warnNext = [
    {
      rule: 'bookingOnNonWorkingDay',
      message: 'Practical observation with Q&A booked for 2027-03-20, a weekend',
      source: 'EPAO setting',
      event: 3,
      on: TODAY,
    },
  ];
  const res = await post('AssessmentBooked', filled(eventForms.AssessmentBooked!));
  expect(res.statusCode).toBe(302);
  const page = await admin.get(`/epas/${bram.uln}`);
  expect(page.body).toContain('Warning: Practical observation with Q&amp;A booked for Saturday 20 March 2027, a weekend');
});

test('a required field left empty: its error, linked; a time in the wrong shape: the time box', async () => {
  const rejected = eventForms.GatewayRejected!;
  const noReason = await post('GatewayRejected', { ...filled(rejected), reason: '' });
  expect(noReason.statusCode).toBe(400);
  expect(noReason.body).toContain('<a href="#reason">Enter reason</a>');
  const booked = eventForms.AssessmentBooked!;
  const badTime = await post('AssessmentBooked', { ...filled(booked), 'at-time': 'ten' });
  expect(badTime.statusCode).toBe(400);
  expect(badTime.body).toContain('<a href="#at-time">Enter the time like 10:00</a>');
  const pieces = await post('PortfolioSubmitted', { ...filled(eventForms.PortfolioSubmitted!), pieces: 'many' });
  expect(pieces.body).toContain('<a href="#pieces">Pieces of evidence must be a whole number</a>');
});

test("the form's fields reach the event: the assessor, the address, the evidence and the override reason", async () => {
  await post('AssessmentBooked', {
    ...filled(eventForms.AssessmentBooked!),
    assessorName: 'Tess Brand',
    overrideReason: 'agreed by phone',
  });
  expect(p.epa.callsOf('recordEvent').at(-1)!.payload).toEqual({
    on: TODAY,
    component: 'observation',
    at: `${TODAY}T10:00`,
    location: 'Invented text',
    assessor: { name: 'Tess Brand', email: 'someone@invented.example' },
    override: { reason: 'agreed by phone' },
    by: ADMIN.name,
  });
  await post('CertificateDetailsRecorded', { ...filled(eventForms.CertificateDetailsRecorded!), 'postal-postCode': 'BS1 4DJ' });
  expect(p.epa.callsOf('recordEvent').at(-1)!.payload).toMatchObject({
    postalContact: { contactName: 'Invented text', postCode: 'BS1 4DJ', city: 'Invented text' },
  });
});

test('a broken rule: 409, the rule in the summary linking to "record it anyway", which then needs a reason', async () => {
  p.epa.refuseNext = new EpaRejectedError(
    'AssessmentBooked breaks a rule: under 2 weeks’ notice (notice.assessment, seed 001 §5). An admin may accept it with override.reason.',
    'rule_violation',
    undefined,
    [{ rule: 'notice.assessment', message: 'under 2 weeks’ notice', citation: '001 §5', overridable: true }],
  );
  const res = await post('AssessmentBooked', filled(eventForms.AssessmentBooked!));
  expect(res.statusCode).toBe(409);
  expect(res.body).toContain(
    '<a href="#overrideReason">under 2 weeks’ notice. Rule notice.assessment, from the ST0071 assessment plan, §5 (seed 001 §5)</a>',
  );
  expect(res.body).not.toContain('override.reason');
  expect(res.body).toContain('To record it anyway, say why: the reason is kept with the EPA');
  expect(res.body).toContain('id="overrideReason"');
  // What was typed stays in the form.
  expect(res.body).toContain('value="Invented text"');
});

test('a refused event says why at the field it names; an EPA that has ended takes no form', async () => {
  p.epa.refuseNext = new EpaRejectedError('event.pieces: must be at least 1', 'invalid_input', 'event.pieces');
  const invalid = await post('PortfolioSubmitted', filled(eventForms.PortfolioSubmitted!));
  expect(invalid.statusCode).toBe(400);
  expect(invalid.body).toContain('<a href="#pieces">event.pieces: must be at least 1</a>');

  p.epa.refuseNext = new EpaRejectedError('event (GradeRecorded): the observation has not been taken', 'rejected_transition');
  const refused = await post('GradeRecorded', filled(eventForms.GradeRecorded!));
  expect(refused.statusCode).toBe(409);
  expect(refused.body).toContain('<a href="#on-day">event (GradeRecorded): the observation has not been taken</a>');

  const unknown = await admin.get(`/epas/${bram.uln}/events/new?type=Sleeping`);
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toContain('choose an event to record');
});

test('a post without its CSRF token records nothing', async () => {
  const before = p.epa.callsOf('recordEvent').length;
  const res = await p.app.inject({
    method: 'POST',
    url: `/epas/${bram.uln}/events`,
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(filled(eventForms.GatewayPassed!)).toString(),
  });
  expect(res.statusCode).toBe(403);
  expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
});
