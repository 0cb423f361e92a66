/**
 * The EPA page shows met late in amber, never green (issue #28 part 1): a gateway reviewed late
 * (002 "What Happens During Gateway?": two weeks) and an observation booked at short notice with an
 * override (001 §5: two weeks' notice), on the in-memory fake, through app.inject.
 */
import { addDays } from '../../src/calendar';
import { dateInWords } from '../../src/epa/display-names';
import { epaStart } from '../support/people';
import { ADMIN, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
const submitted = addDays(TODAY, -60);
const passed = addDays(TODAY, -30); // 30 days after submission: 16 days after the two weeks
const evidence = {
  type: 'GatewayEvidenceRecorded',
  on: submitted,
  englishMaths: { english: 'Level 2', maths: 'Level 2' },
  employerSignOff: true,
  declarationSigned: true,
  projectSynopsisAgreed: true,
  reasonableAdjustments: 'none',
};
const dora = epaStart({
  apprentice: { name: 'Dora Quillfeather', email: 'dora@apprentice.example' },
  gatewaySubmittedOn: submitted,
});

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(dora, [
    { type: 'PortfolioSubmitted', on: submitted, pieces: 12 },
    evidence,
    { type: 'GatewayPassed', on: passed },
    { type: 'PlanningMeetingBooked', on: passed, at: `${passed}T14:00` },
    { type: 'PlanningMeetingHeld', on: passed },
    {
      type: 'AssessmentBooked',
      component: 'observation',
      on: addDays(TODAY, -2),
      at: `${addDays(TODAY, 10)}T10:00`,
      override: { reason: 'the apprentice asked for an early date' },
    },
  ]);
  admin = await session(p.app, ADMIN);
});
afterAll(async () => {
  await p.app.close();
});

const row = (html: string, key: string) => {
  const m = new RegExp(`<tr class="govuk-table__row" data-deadline="${key}">([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row ${key}`);
  return m[1]!;
};

test('a gateway reviewed late is amber with how late, a violation citing 002, and counted; never a green Met', async () => {
  const page = await admin.get(`/epas/${dora.uln}`);
  expect(page.statusCode).toBe(200);
  const review = row(page.body, 'gatewayReviewDue');
  expect(review).toContain('govuk-tag--orange');
  expect(review).toContain(`Met late ${dateInWords(passed)}: 16 days late`);
  expect(review).not.toContain('govuk-tag--green');
  expect(page.body).toMatch(/id="met-late-count"[\s\S]*?2 deadlines met late, 2 of them the EPAO's own/);
  expect(page.body).toMatch(/data-rule="gatewayReviewMetLate"[\s\S]*?16 days after it was due[\s\S]*?002/);
});

test('a short-notice booking with an override: amber, the override beside it, not a green Met', async () => {
  const page = await admin.get(`/epas/${dora.uln}`);
  const notice = row(page.body, 'observationNoticeBy');
  expect(notice).toContain('govuk-tag--orange');
  expect(notice).not.toContain('govuk-tag--green');
  expect(notice).toContain('Override: the apprentice asked for an early date');
  expect(page.body).toMatch(/data-rule="assessmentNotice"[\s\S]*?accepted with an override: the apprentice asked/);
});

test('a message that failed for good is said at the top of the page, with why, in words', async () => {
  p.epa.logs.set(dora.uln, [
    {
      key: 'invite:observation-1:0',
      kind: 'invite',
      role: 'apprentice',
      to: ['dora@apprentice.example'],
      at: `${TODAY}T09:00:00.000Z`,
      status: 'failed',
      error: 'the invite message cannot be built, and never will be: 01:30 on Sunday 28 March 2027 does not exist in London',
    },
  ]);
  const page = await admin.get(`/epas/${dora.uln}`);
  expect(page.body).toMatch(
    /id="messages-failed"[\s\S]*?1 message could not be sent and will not be retried:[\s\S]*?invite to the apprentice: the invite message cannot be built, and never will be: 01:30 on Sunday 28 March 2027 does not exist in London/,
  );
  p.epa.logs.delete(dora.uln);
  expect((await admin.get(`/epas/${dora.uln}`)).body).not.toContain('id="messages-failed"');
});
