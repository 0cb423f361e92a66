/**
 * Route tests: the action pages (src/web/routes/actions.ts, the checked-first record forms) on the
 * in-memory fakes: put a mistake right (001 §5 booking, voided), withdraw and restart, an appeal
 * only within the EPAO's window, its decision, extenuating circumstances, and the grades a component
 * allows. No seed gives an appeal window: 001 §8 has appeals "managed by the EPAO", and the 15
 * working days are Innovate's own setting (rules/epaos/innovate.yaml, `appeals`). ST0071's
 * observation is graded Fail, Pass or Distinction (001 §5, the assessment methods table and "grade
 * the practical observation as fail, pass or distinction"; rules/standards/ST0071-v1.1.yaml lists
 * no other grades, so the default three).
 */
import { addDays } from '../../src/calendar';
import { epaStart } from '../support/people';
import { ADMIN, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
const [year, month, day] = TODAY.split('-') as [string, string, string];
const booking = {
  type: 'AssessmentBooked',
  on: addDays(TODAY, -3),
  component: 'observation',
  at: `${addDays(TODAY, 20)}T10:00`,
  eventId: 'booking-in-error-0001',
};
const inAssessment = [
  {
    type: 'GatewayPassed',
    on: addDays(TODAY, -10),
    eventId: 'gateway-passed-0001',
    override: { reason: 'evidence seen on paper' },
  },
];
const cara = epaStart({
  apprentice: { name: 'Cara Lindqvist', email: 'cara@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -20),
});
const dev = epaStart({
  apprentice: { name: 'Dev Achterberg', email: 'dev@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -20),
});

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(cara, [...inAssessment, booking]);
  p.epa.add(dev, [
    ...inAssessment,
    { type: 'Withdrawn', on: addDays(TODAY, -1), reason: 'left the employer', eventId: 'withdrawn-0001' },
  ]);
  admin = await session(p.app, ADMIN);
});
afterAll(async () => {
  await p.app.close();
});

test('the EPA page offers putting a mistake right and withdrawal in assessment; no restart while running', async () => {
  const page = await admin.get(`/epas/${cara.uln}`);
  expect(page.body).toContain(`href="/epas/${cara.uln}/void"`);
  expect(page.body).toContain('type=Withdrawn');
  expect(page.body).not.toContain(`/epas/${cara.uln}/restart`);
});

test('put a mistake right: the entries in words, none voided, no code names', async () => {
  const page = await admin.get(`/epas/${cara.uln}/void`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('value="booking-in-error-0001"');
  expect(page.body).not.toMatch(/>AssessmentBooked|>observation</);
});

test('put a mistake right: nothing chosen and no reason is both errors in words, linked to the fields', async () => {
  const res = await admin.post(`/epas/${cara.uln}/void`, `/epas/${cara.uln}/void`, { reason: '' });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('<a href="#voids">Choose the entry that was a mistake</a>');
  expect(res.body).toContain('<a href="#reason">Give a reason of at least 3 characters</a>');
});

test('put a mistake right: check your answers shows the effects before anything is recorded, then records the void', async () => {
  const before = p.epa.callsOf('recordEvent').length;
  const check = await admin.post(`/epas/${cara.uln}/void`, `/epas/${cara.uln}/void`, {
    voids: 'booking-in-error-0001',
    reason: 'booked for the wrong apprentice',
  });
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: put a mistake right');
  expect(check.body).toContain('What this will change');
  expect(check.body).toContain('What will be sent, and to whom');
  expect(check.body).toContain('booked for the wrong apprentice');
  expect(p.epa.callsOf('preview').at(-1)).toMatchObject({ type: 'EventVoided', payload: { voids: 'booking-in-error-0001' } });
  expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
  const done = await admin.post(`/epas/${cara.uln}/void`, `/epas/${cara.uln}/void`, {
    voids: 'booking-in-error-0001',
    reason: 'booked for the wrong apprentice',
    confirmed: 'yes',
  });
  expect(done.statusCode).toBe(302);
  expect(done.headers.location).toBe(`/epas/${cara.uln}`);
  expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({
    type: 'EventVoided',
    payload: { voids: 'booking-in-error-0001', reason: 'booked for the wrong apprentice', on: TODAY },
  });
});

test('withdraw: check your answers first (the stage becomes withdrawn), then recorded', async () => {
  const fields = { type: 'Withdrawn', 'on-day': day, 'on-month': month, 'on-year': year, reason: 'moved abroad' };
  const before = p.epa.callsOf('recordEvent').length;
  const check = await admin.post(`/epas/${cara.uln}/events/new?type=Withdrawn`, `/epas/${cara.uln}/events`, fields);
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: withdraw from the EPA');
  expect(check.body).toMatch(/Becomes withdrawn/i);
  expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
  const done = await admin.post(`/epas/${cara.uln}/events/new?type=Withdrawn`, `/epas/${cara.uln}/events`, {
    ...fields,
    confirmed: 'yes',
  });
  expect(done.statusCode).toBe(302);
  expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({ type: 'Withdrawn', payload: { reason: 'moved abroad' } });
});

test('restart: offered for a withdrawn EPA; a bad date is an error in words; check your answers, then restarted', async () => {
  expect((await admin.get(`/epas/${dev.uln}`)).body).toContain(`href="/epas/${dev.uln}/restart"`);
  const bad = await admin.post(`/epas/${dev.uln}/restart`, `/epas/${dev.uln}/restart`, {
    'gatewaySubmittedOn-day': '31',
    'gatewaySubmittedOn-month': '2',
    'gatewaySubmittedOn-year': year,
    reason: 'withdrawn in error',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain(
    '<a href="#gatewaySubmittedOn-day">The date the gateway was submitted again must be a real date, like 27 3 2027</a>',
  );
  const fields = {
    'gatewaySubmittedOn-day': day,
    'gatewaySubmittedOn-month': month,
    'gatewaySubmittedOn-year': year,
    reason: 'withdrawn in error',
  };
  const check = await admin.post(`/epas/${dev.uln}/restart`, `/epas/${dev.uln}/restart`, fields);
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: restart the EPA');
  expect(p.epa.callsOf('restart')).toHaveLength(0);
  const done = await admin.post(`/epas/${dev.uln}/restart`, `/epas/${dev.uln}/restart`, { ...fields, confirmed: 'yes' });
  expect(done.statusCode).toBe(302);
  expect(p.epa.callsOf('restart').at(-1)).toMatchObject({
    reason: 'withdrawn in error',
    raw: { uln: dev.uln, gatewaySubmittedOn: TODAY },
  });
});

test('restart is refused in words for a running EPA', async () => {
  const res = await admin.get(`/epas/${cara.uln}/restart`);
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('Only a withdrawn or finished EPA can be restarted');
});

test('an appeal is not offered without a published result', async () => {
  expect((await admin.get(`/epas/${cara.uln}`)).body).not.toContain('type=AppealLodged');
  expect((await admin.get(`/epas/${cara.uln}/events/new?type=AppealLodged`)).statusCode).toBe(400);
});

/** The components a form offers (its radios' values). */
const componentsOffered = (html: string) => [...html.matchAll(/name="component" type="radio" value="([^"]+)"/g)].map((m) => m[1]);

/** The planning meeting (002 Assessment Booking) was held by phone and not recorded: accepted with an override. */
const planningByPhone = { reason: 'planning meeting held by phone' };

/** An EPA whose observation was taken, graded and published `publishedDaysAgo` days before today. */
function published(name: string, publishedDaysAgo: number, extra: Record<string, unknown>[] = []) {
  const start = epaStart({
    apprentice: { name, email: `${name.split(' ')[0]!.toLowerCase()}@apprentice.example` },
    gatewaySubmittedOn: addDays(TODAY, -publishedDaysAgo - 25),
  });
  const taken = addDays(TODAY, -publishedDaysAgo - 2);
  p.epa.add(start, [
    { type: 'GatewayPassed', on: addDays(TODAY, -publishedDaysAgo - 22), override: { reason: 'evidence seen on paper' } },
    { type: 'AssessmentBooked', on: addDays(TODAY, -publishedDaysAgo - 20), component: 'observation', at: `${taken}T10:00` },
    { type: 'AssessmentTaken', on: taken, component: 'observation', override: planningByPhone },
    { type: 'GradeRecorded', on: addDays(TODAY, -publishedDaysAgo - 1), component: 'observation', grade: 'Pass' },
    { type: 'ResultModerated', on: addDays(TODAY, -publishedDaysAgo - 1), component: 'observation' },
    { type: 'ResultPublished', on: addDays(TODAY, -publishedDaysAgo), component: 'observation' },
    ...extra,
  ]);
  return start;
}

test('an appeal is offered after a published result within the 15 working days Innovate allows (rules/epaos/innovate.yaml), checked first', async () => {
  const gus = published('Gus Okonkwo-Baird', 7);
  const page = await admin.get(`/epas/${gus.uln}`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`/epas/${gus.uln}/events/new?type=AppealLodged`);
  const form = await admin.get(`/epas/${gus.uln}/events/new?type=AppealLodged`);
  expect(form.statusCode).toBe(200);
  expect(form.body).toContain('Which result is appealed?');
  // Only the result that can be appealed, in words.
  expect(componentsOffered(form.body)).toEqual(['observation']);
  expect(form.body).toContain('Practical observation with Q&amp;A');
  const fields = {
    type: 'AppealLodged',
    'on-day': day,
    'on-month': month,
    'on-year': year,
    component: 'observation',
    reason: 'the assessor left early',
  };
  const before = p.epa.callsOf('recordEvent').length;
  const check = await admin.post(`/epas/${gus.uln}/events/new?type=AppealLodged`, `/epas/${gus.uln}/events`, fields);
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: lodge an appeal');
  expect(check.body).toContain('What will be sent, and to whom');
  expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
  const done = await admin.post(`/epas/${gus.uln}/events/new?type=AppealLodged`, `/epas/${gus.uln}/events`, {
    ...fields,
    confirmed: 'yes',
  });
  expect(done.statusCode).toBe(302);
  expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({
    type: 'AppealLodged',
    payload: { component: 'observation', reason: 'the assessor left early', on: TODAY },
  });
});

test('an appeal is refused in words once the 15 working days after the result have passed', async () => {
  const hana = published('Hana Ferreira-Kol', 35);
  expect((await admin.get(`/epas/${hana.uln}`)).body).not.toContain('type=AppealLodged');
  const res = await admin.get(`/epas/${hana.uln}/events/new?type=AppealLodged`);
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('Lodge an appeal is not possible for this EPA now');
  expect(res.body).not.toMatch(/AppealLodged<|Internal Server Error/);
});

test('the appeal decision form: offered while an appeal awaits it, the decision in words, checked first', async () => {
  const ivo = published('Ivo Strand-Mensah', 6, [
    { type: 'AppealLodged', on: addDays(TODAY, -2), component: 'observation', reason: 'the assessor left early' },
  ]);
  expect((await admin.get(`/epas/${ivo.uln}`)).body).toContain('type=AppealDecided');
  const form = await admin.get(`/epas/${ivo.uln}/events/new?type=AppealDecided`);
  expect(form.statusCode).toBe(200);
  expect(form.body).toContain('Upheld: the grade changes');
  expect(form.body).toContain('Dismissed: the grade stands');
  expect(form.body).not.toMatch(/>upheld<|>dismissed</);
  const fields = {
    type: 'AppealDecided',
    'on-day': day,
    'on-month': month,
    'on-year': year,
    component: 'observation',
    outcome: 'dismissed',
  };
  const check = await admin.post(`/epas/${ivo.uln}/events/new?type=AppealDecided`, `/epas/${ivo.uln}/events`, fields);
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: record the appeal decision');
  expect(check.body).toContain('Dismissed: the grade stands');
  const done = await admin.post(`/epas/${ivo.uln}/events/new?type=AppealDecided`, `/epas/${ivo.uln}/events`, {
    ...fields,
    confirmed: 'yes',
  });
  expect(done.statusCode).toBe(302);
  expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({
    type: 'AppealDecided',
    payload: { outcome: 'dismissed', component: 'observation' },
  });
});

test('extenuating circumstances: only the assessments still to be taken, checked first, then recorded', async () => {
  const form = await admin.get(`/epas/${cara.uln}/events/new?type=ExtenuatingCircumstances`);
  expect(form.statusCode).toBe(200);
  expect(form.body).toContain('Which assessment do they affect?');
  expect(componentsOffered(form.body)).toContain('observation');
  expect(form.body).toContain('Practical observation with Q&amp;A');
  const fields = {
    type: 'ExtenuatingCircumstances',
    'on-day': day,
    'on-month': month,
    'on-year': year,
    component: 'observation',
    reason: 'in hospital that week',
  };
  const check = await admin.post(
    `/epas/${cara.uln}/events/new?type=ExtenuatingCircumstances`,
    `/epas/${cara.uln}/events`,
    fields,
  );
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain('Check your answers: record extenuating circumstances');
  const done = await admin.post(`/epas/${cara.uln}/events/new?type=ExtenuatingCircumstances`, `/epas/${cara.uln}/events`, {
    ...fields,
    confirmed: 'yes',
  });
  expect(done.statusCode).toBe(302);
  expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({
    type: 'ExtenuatingCircumstances',
    payload: { component: 'observation', reason: 'in hospital that week' },
  });
  // An assessment already taken is not offered.
  const jo = published('Jo Achebe-Lund', 3);
  const joForm = await admin.get(`/epas/${jo.uln}/events/new?type=ExtenuatingCircumstances`);
  expect(componentsOffered(joForm.body)).toEqual(['project', 'discussion']);
});

test("the grade form offers only ST0071's observation grades, Fail, Pass and Distinction (001 §5), and refuses Merit in words", async () => {
  const kit = epaStart({
    apprentice: { name: 'Kit Marlowe-Osei', email: 'kit@apprentice.example' },
    gatewaySubmittedOn: addDays(TODAY, -20),
  });
  p.epa.add(kit, [
    ...inAssessment,
    { type: 'AssessmentBooked', on: addDays(TODAY, -17), component: 'observation', at: `${addDays(TODAY, -2)}T10:00` },
    { type: 'AssessmentTaken', on: addDays(TODAY, -2), component: 'observation', override: planningByPhone },
  ]);
  const form = await admin.get(`/epas/${kit.uln}/events/new?type=GradeRecorded&component=observation`);
  expect(form.statusCode).toBe(200);
  const grades = [...form.body.matchAll(/name="grade" type="radio" value="([^"]+)"/g)].map((m) => m[1]);
  expect(grades).toEqual(['Fail', 'Pass', 'Distinction']);
  const res = await admin.post(`/epas/${kit.uln}/events/new?type=GradeRecorded`, `/epas/${kit.uln}/events`, {
    type: 'GradeRecorded',
    'on-day': day,
    'on-month': month,
    'on-year': year,
    component: 'observation',
    grade: 'Merit',
  });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain(
    '<a href="#grade">The practical observation with Q&amp;A is graded Fail, Pass or Distinction only</a>',
  );
});
