/**
 * Route tests: the action pages (src/web/routes/actions.ts, the checked-first record forms) on the
 * in-memory fakes: put a mistake right (001 §5 booking, voided), withdraw and restart, an appeal
 * only within the EPAO's window (001 §8: appeals managed by the EPAO; innovate's 15 working days),
 * and the grades a component allows (001 §6: ST0071's components are Fail, Pass or Distinction).
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
