/**
 * The EPA page as a case file (issue 29 parts 1 and 3): "What happens next" with who acts and the
 * date in words, the gateway-evidence checklist before the gateway passes, only the forms the EPA
 * allows now, grouped, and no code key, event type name, SHOUTED stage or ISO time in what a person
 * reads. On the in-memory fake (real views of the pure core), through app.inject.
 */
import { addDays } from '../../src/calendar';
import { dateInWords } from '../../src/epa/display-names';
import { epaStart } from '../support/people';
import { ADMIN, OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
let ops: Awaited<ReturnType<typeof session>>;

// ST0071 with Innovate (seed 002 Gateway: the EPAO reviews the gateway within two weeks).
const gus = epaStart({
  apprentice: { name: 'Gus Arbuthnot', email: 'gus@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -3),
});
const passed = addDays(TODAY, -20);
const ivy = epaStart({
  apprentice: { name: 'Ivy Penrose', email: 'ivy@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -30),
});
const ivyEvents = [
  { type: 'PortfolioSubmitted', on: addDays(TODAY, -30), pieces: 12 },
  {
    type: 'GatewayEvidenceRecorded',
    on: addDays(TODAY, -30),
    englishMaths: { english: 'Level 2', maths: 'Level 2' },
    employerSignOff: true,
    declarationSigned: true,
    projectSynopsisAgreed: true,
    reasonableAdjustments: 'none',
  },
  { type: 'GatewayPassed', on: passed },
  { type: 'PlanningMeetingBooked', on: passed, at: `${passed}T14:00` },
  { type: 'PlanningMeetingHeld', on: passed },
  // 001 §5: two weeks' notice of the observation; booked at short notice, with an override.
  {
    type: 'AssessmentBooked',
    component: 'observation',
    on: addDays(TODAY, -2),
    at: `${addDays(TODAY, 5)}T10:00`,
    override: { reason: 'the apprentice asked for an early date' },
  },
];

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(gus);
  p.epa.add(ivy, ivyEvents);
  admin = await session(p.app, ADMIN);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

/** What a person reads: the text of the page, without tags, attributes, scripts or styles. */
const readable = (html: string): string =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** The readable text from the element with `id` to the next section heading. */
const section = (html: string, id: string): string => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no #${id}`);
  const end = html.slice(start).search(/<h2 |<h3 class="govuk-heading-s" id=/);
  return readable(`<x ${html.slice(start, end < 0 ? undefined : start + end)}`);
};

function expectPlainWords(html: string): void {
  const text = readable(html);
  expect(text.match(/\b[a-z]+[A-Z][a-zA-Z]+\.[a-z]\w*/g)).toBeNull(); // resultDue.observation
  expect(text.match(/\b[a-z]+[A-Z][a-zA-Z]+\b/g)).toBeNull(); // missedBeforeEntry, gatewayReviewDue
  expect(text.match(/\b[A-Z][a-z]+[A-Z][a-zA-Z]+\b/g)).toBeNull(); // GradeRecorded, InAssessment
  expect(text).not.toMatch(/#\d+\)/); // "GradeRecorded (#10)"
  expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no ISO time anywhere, attributes included
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no ISO date in what is read
  expect(text.match(/\b[A-Z]{5,}\b/g)).toBeNull(); // INASSESSMENT
  expect(text).not.toMatch(/\binnovate\b|\bnqual\b/);
}

test('before the gateway passes: what happens next is the missing evidence and the review, by the EPAO, by a date in words; the checklist shows what is missing', async () => {
  const page = await admin.get(`/epas/${gus.uln}`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toMatch(/<h2 class="govuk-heading-m" id="next-heading">What happens next<\/h2>[\s\S]*id="next-steps"/);
  // The next-steps section comes before the EPA's details.
  expect(page.body.indexOf('What happens next')).toBeLessThan(page.body.indexOf('>The EPA</h2>'));
  const next = section(page.body, 'next-steps');
  const reviewBy = dateInWords(addDays(TODAY, -3 + 14)); // 002 Gateway: two weeks from the submission
  expect(next).toContain('Record the gateway evidence still missing: English and maths');
  expect(next).toContain('Review the gateway evidence, then pass or reject the gateway');
  expect(next).toContain(`The EPAO, by ${reviewBy}`);
  expect(page.body).toContain(`href="/epas/${gus.uln}/events/new?type=GatewayEvidenceRecorded"`);
  expect(page.body).toContain(`href="/epas/${gus.uln}/events/new?type=GatewayPassed"`);
  // The checklist: the plan's items (001 §4 English and maths, employer sign-off) and Innovate's, each missing.
  const checklist = section(page.body, 'gateway-evidence');
  expect(checklist).toContain('English and maths Missing');
  expect(checklist).toContain("The employer's sign-off Missing");
  expect(readable(page.body)).toContain('Still missing before the gateway can pass: English and maths');
  // The EPAO by its name, the stage in words.
  expect(readable(page.body)).toContain('Innovate Awarding');
  expect(readable(page.body)).toContain('Gateway in review');
  expectPlainWords(page.body);
});

test('in assessment: the steps say who acts and when, each links to the form that records it with its component chosen', async () => {
  const page = await admin.get(`/epas/${ivy.uln}`);
  expect(page.statusCode).toBe(200);
  const next = section(page.body, 'next-steps');
  // The two components not booked yet (001 §5: project, discussion), by the end of the EPA period.
  expect(next).toContain('Book the work-based project supported by an interview');
  expect(next).toContain('Book the professional discussion supported by portfolio evidence');
  expect(page.body).toContain(`href="/epas/${ivy.uln}/events/new?type=AssessmentBooked&amp;component=project"`);
  expect(next).toMatch(/The EPAO, by \w+day \d+ \w+ \d{4}/);
  expect(page.body).not.toContain('id="gateway-evidence"'); // the gateway has passed
  const form = await admin.get(`/epas/${ivy.uln}/events/new?type=AssessmentBooked&component=project`);
  expect(form.body).toMatch(/value="project" checked/);
  expectPlainWords(page.body);
});

test('the timeline says what each entry did: the booking its component and date, the override its rule; newest first', async () => {
  const page = await admin.get(`/epas/${ivy.uln}`);
  const timeline = section(page.body, 'timeline');
  const at = dateInWords(addDays(TODAY, 5));
  expect(timeline).toMatch(new RegExp(`Assessment booked[\\s\\S]*Practical observation with Q&A Booked for ${at} at 10:00am`));
  expect(timeline).toContain('Recorded anyway, breaking the rule:');
  expect(timeline).toContain('Reason: the apprentice asked for an early date');
  expect(timeline).toContain('by Amira Sollen');
  expect(timeline).toContain('Stage now in assessment (was gateway in review)');
  expect(timeline.indexOf('Assessment booked')).toBeLessThan(timeline.indexOf('Gateway submitted'));
});

test('only the forms the EPA allows now, grouped; nothing to take, grade or publish is not offered; ops get no forms', async () => {
  const page = await admin.get(`/epas/${ivy.uln}`);
  const record = page.body.slice(page.body.indexOf('id="record-event"'), page.body.indexOf('>The EPA</h2>'));
  for (const heading of ['Book', 'Record a result', 'Corrections']) expect(record).toContain(`>${heading}</h3>`);
  expect(record).toContain('type=AssessmentBooked');
  expect(record).toContain('type=AssessmentTaken'); // the observation is booked
  expect(record).not.toContain('type=GradeRecorded'); // nothing taken yet
  expect(record).not.toContain('type=ResultPublished');
  expect(record).not.toContain('type=PlanningMeetingHeld'); // already held
  expect(record).not.toContain('type=GatewayPassed'); // the gateway has passed

  const asOps = await ops.get(`/epas/${ivy.uln}`);
  expect(asOps.body).toContain('What happens next');
  expect(asOps.body).not.toContain('/events/new?type=');
});
