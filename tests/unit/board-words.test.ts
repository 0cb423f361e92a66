/**
 * The ops board's pure parts (src/app/epas.ts, listings.ts, workflows/definitions.ts): who must act
 * is everyone who owes a missed deadline; a row shows the deadline it missed, in words, beside
 * "Overdue"; the next 14 days hold planning meetings; the CSV is in display names with links to
 * epa-flow's own pages.
 */
import { parse } from 'csv-parse/sync';
import { boardCsvRows, epaLinks, foundRow, opsBoard, overdueCsv, upcoming } from '../../src/app/epas';
import { missedOwners, VisibilityListings } from '../../src/app/listings';
import type { EpaFilter } from '../../src/app/epa-client';
import { londonInstant } from '../../src/calendar';
import { publicBaseUrl } from '../../src/config';
import { listingAttributes, listingMemo, listingRow } from '../../workflows/definitions';
import { FakeListings, listingRow as row } from '../support/fake-epa-service';
import { epaStart } from '../support/people';
import { plan, st0071Evidence, type RawEvent } from '../support/cases';

const TODAY = '2027-03-15';
const NOW = londonInstant(TODAY, '12:00');
const LINKS = epaLinks('https://epa.example.org/', (id) => `http://127.0.0.1:8233/namespaces/default/workflows/${id}`);

/** Ada owes the EPAO's gateway review (missed first) and her own project report; Ben owes only the employer's gateway form. */
const ada = row('1000000001', 'Ada Kovač', {
  stage: 'InAssessment',
  overdue: true,
  mustAct: 'epaoAdmin',
  missed: [
    { key: 'reportDue', due: '2027-03-10', component: 'project', owner: 'apprentice' },
    { key: 'gatewayReviewDue', due: '2027-03-01', owner: 'epaoAdmin' },
  ],
  nextDeadline: { key: 'epaPeriodEnds', due: '2027-06-01' },
});
/** A row written before the rows named each missed deadline's owner: read from the key. */
const ben = row('1000000002', 'Ben Osei', {
  stage: 'GatewayReview',
  overdue: true,
  mustAct: 'employer',
  missed: [{ key: 'gatewayFormDue', due: '2027-03-12' }],
});
const cy = row('1000000003', 'Cy Mbeki', { nextDeadline: { key: 'resultDue.observation', due: '2027-03-20' } });

test('who must act: everyone who owes a missed deadline, the earliest missed first; an older row by its keys', () => {
  expect(missedOwners(ada)).toEqual(['epaoAdmin', 'apprentice']);
  expect(missedOwners(ben)).toEqual(['employer']);
  expect(missedOwners(cy)).toEqual([]);
  expect(missedOwners(row('1', 'X', { missed: [{ key: 'resultDue.project', due: '2027-01-01' }] }))).toEqual(['epaoAdmin']);
});

test('the board filtered by who must act: an EPA with an apprentice and an EPAO deadline missed is under both, showing that owner’s deadline', async () => {
  const listings = new FakeListings([ada, ben, cy]);
  const byApprentice = await opsBoard(listings, NOW, LINKS, { owner: 'apprentice' });
  expect(byApprentice.overdue.map((r) => r.uln)).toEqual([ada.uln]);
  expect(byApprentice.overdue[0]).toMatchObject({
    missedInWords: 'Project report',
    missedDueWords: 'Wednesday 10 March 2027',
    daysShown: 5, // since the report was due; the board's order counts from the earliest missed (14 days)
    daysOverdue: 14,
    owner: 'apprentice, EPAO',
    nextAction: 'Chase the project report',
  });
  const byEpao = await opsBoard(listings, NOW, LINKS, { owner: 'EPAO' });
  expect(byEpao.overdue.map((r) => r.uln)).toEqual([ada.uln]);
  expect(byEpao.overdue[0]).toMatchObject({
    missedInWords: 'Gateway review',
    missedDueWords: 'Monday 1 March 2027',
    daysOverdue: 14,
    daysShown: 14,
    owner: 'EPAO, apprentice',
    nextAction: 'Review the gateway evidence, then pass or reject it',
    stageName: 'In assessment',
    epaoName: 'Innovate Awarding',
  });
  expect(byEpao.overdue[0]!.alsoMissed.map((m) => [m.name, m.dueWords, m.owner])).toEqual([
    ['Project report', 'Wednesday 10 March 2027', 'apprentice'],
  ]);
  expect((await opsBoard(listings, NOW, LINKS, { owner: 'employer' })).overdue.map((r) => r.uln)).toEqual([ben.uln]);
  expect((await opsBoard(listings, NOW, LINKS, {})).overdue.map((r) => r.uln)).toEqual([ada.uln, ben.uln]);
  await expect(opsBoard(listings, NOW, LINKS, { owner: 'epaoAdmin' })).rejects.toThrow(/unknown owner "epaoAdmin"/);
});

test('the visibility listings filter who must act on the memo’s missed deadlines (its EpaOwner names only the most urgent)', async () => {
  const asked: EpaFilter[] = [];
  const reader = {
    list: async (filter: EpaFilter) => (asked.push(filter), [ada, ben, cy].filter((r) => filter.overdue !== true || r.overdue)),
    count: async () => 3,
  };
  const listings = new VisibilityListings(reader);
  const page = await listings.page({ overdue: true, running: true, owner: 'apprentice' }, 'overdueSince', 1, 50, NOW);
  expect(page.rows.map((r) => r.uln)).toEqual([ada.uln]);
  expect(page.total).toBe(1);
  expect(asked.every((f) => f.owner === undefined)).toBe(true);
  expect(await listings.count({ owner: 'employer' })).toBe(1);
});

test('a found EPA that is overdue shows the deadline it missed and its date in words, never its next one beside "Overdue"', () => {
  expect(foundRow(ada)).toMatchObject({
    stageName: 'In assessment',
    epaoName: 'Innovate Awarding',
    deadline: { name: 'Gateway review', dueWords: 'Monday 1 March 2027', missed: true },
    then: { name: 'End of the EPA period', dueWords: 'Tuesday 1 June 2027' },
  });
  expect(foundRow(cy)).toMatchObject({
    deadline: { name: 'Result of the practical observation with Q&A', dueWords: 'Saturday 20 March 2027', missed: false },
    then: null,
  });
  expect(foundRow(row('1', 'X')).deadline).toBeNull();
});

test('the next 14 days: deadlines, assessments and planning meetings, soonest first, in words', async () => {
  const meeting = row('1000000004', 'Dee Fox', {
    nextDeadline: { key: 'planningMeetingDue', due: '2027-04-20' },
    bookings: [{ component: 'observation', at: '2027-03-22T10:00' }],
    planningMeeting: { at: '2027-03-17T14:30' },
  });
  const later = row('1000000005', 'Eli Gray', { planningMeeting: { at: '2027-03-30T09:00' } });
  const items = await upcoming(new FakeListings([meeting, later, cy]), NOW);
  expect(items.map((i) => [i.epa.uln, i.when, i.what])).toEqual([
    [meeting.uln, 'Wednesday 17 March 2027 at 2:30pm', 'Planning meeting'],
    [cy.uln, 'Saturday 20 March 2027', 'Deadline: result of the practical observation with Q&A'],
    [meeting.uln, 'Monday 22 March 2027 at 10:00am', 'Assessment: practical observation with Q&A'],
  ]);
});

test('the CSV: display names, London dates in words, each EPA’s own page on the public base URL; formulas stay text', async () => {
  const evil = row('1000000006', '=HYPERLINK("http://x.example")', {
    overdue: true,
    employer: '+Acme',
    missed: [{ key: 'resultDue.observation', due: '2027-03-05' }],
  });
  const csv = overdueCsv(await boardCsvRows(new FakeListings([ada, ben, evil]), NOW, LINKS, {}));
  const [header, ...lines] = parse(csv) as string[][];
  expect(header).toEqual([
    'ULN',
    'Apprentice',
    'Standard',
    'EPAO',
    'Employer',
    'Stage',
    'Missed deadline',
    'Due',
    'Days overdue',
    'Who must act',
    'Next action',
    'Every missed deadline',
    'EPA page',
  ]);
  expect(lines[0]).toEqual([
    ada.uln,
    'Ada Kovač',
    'ST0071 Customer Service Specialist',
    'Innovate Awarding',
    'Brightside Lettings Ltd',
    'In assessment',
    'Gateway review',
    'Monday 1 March 2027',
    '14',
    'EPAO, apprentice',
    'Review the gateway evidence, then pass or reject it',
    'Gateway review, due Monday 1 March 2027 (EPAO); Project report, due Wednesday 10 March 2027 (apprentice)',
    `https://epa.example.org/epas/${ada.uln}`,
  ]);
  expect(lines[1]).toEqual(
    expect.arrayContaining(['Result of the practical observation with Q&A', "'+Acme", `'=HYPERLINK("http://x.example")`]),
  );
  expect(lines[2]).toEqual(
    expect.arrayContaining(['Gateway in review', 'Gateway form', 'employer', `https://epa.example.org/epas/${ben.uln}`]),
  );
  expect(csv).not.toMatch(/8233|temporal|gatewayReviewDue|InAssessment|innovate/);
});

test('the public base URL: EPA_PUBLIC_URL without its trailing slash, else the API’s own address', () => {
  expect(publicBaseUrl({ EPA_PUBLIC_URL: 'https://epa.example.org/staff/', EPA_API_HOST: '0.0.0.0', EPA_API_PORT: 80 })).toBe(
    'https://epa.example.org/staff',
  );
  expect(publicBaseUrl({ EPA_API_HOST: '127.0.0.1', EPA_API_PORT: 8080 })).toBe('http://127.0.0.1:8080');
  expect(publicBaseUrl({ EPA_API_HOST: '0.0.0.0', EPA_API_PORT: 8080 })).toBe('http://127.0.0.1:8080');
  expect(publicBaseUrl({ EPA_API_HOST: '::1', EPA_API_PORT: 8080 })).toBe('http://[::1]:8080');
  expect(epaLinks('https://epa.example.org/staff', (id) => id).page('1234567890')).toBe(
    'https://epa.example.org/staff/epas/1234567890',
  );
});

describe('what the workflow writes for the lists', () => {
  // ST0071 with Innovate: gateway passed, planning meeting booked for later; the project report
  // (the apprentice's) and the gateway form (the employer's) missed by 2027-01-20.
  const events: RawEvent[] = [
    { type: 'GatewaySubmitted', on: '2026-11-02' },
    { type: 'PortfolioSubmitted', on: '2026-11-02', pieces: 12 },
    st0071Evidence('2026-11-02'),
    { type: 'GatewayPassed', on: '2026-11-16' },
    { type: 'PlanningMeetingBooked', on: '2026-11-16', at: '2027-01-25T15:00' },
    { type: 'AssessmentBooked', component: 'project', on: '2026-11-16', at: '2027-01-26T10:00' },
  ];
  const v = plan('ST0071', events, '2027-01-20');
  const start = epaStart({ gatewaySubmittedOn: '2026-11-02' });

  test('the row names each missed deadline’s owner, and the planning meeting booked', () => {
    const r = listingRow(`epa-${start.uln}`, start, start, v, '2026-11-02T09:00:00.000Z', { planningMeeting: true });
    expect(r.missed.length).toBeGreaterThan(0);
    expect(r.missed.every((m) => v.deadlines.find((d) => d.key === m.key)!.owner === m.owner)).toBe(true);
    expect(r.missed.map((m) => m.owner)).toContain('apprentice');
    expect(r.planningMeeting).toEqual({ at: '2027-01-25T15:00' });
    const held = plan('ST0071', [...events, { type: 'PlanningMeetingHeld', on: '2027-01-25' }], '2027-01-25');
    expect(
      listingRow(`epa-${start.uln}`, start, start, held, '2026-11-02T09:00:00.000Z', { planningMeeting: true }).planningMeeting,
    ).toBeUndefined();
    // Without the patch (a history recorded before it), the row is as it was: no write more when the meeting is booked.
    expect(listingRow(`epa-${start.uln}`, start, start, v, '2026-11-02T09:00:00.000Z').planningMeeting).toBeUndefined();
  });

  test('the memo and booking days hold the planning meeting only where the workflow says so (its patch)', () => {
    expect(listingMemo(start, v).planningMeeting).toBeUndefined();
    expect(listingAttributes(start, v).bookingDays).toBe('2027-01-26');
    expect(listingMemo(start, v, { planningMeeting: true }).planningMeeting).toEqual({ at: '2027-01-25T15:00' });
    expect(listingAttributes(start, v, { planningMeeting: true }).bookingDays).toBe('2027-01-25 2027-01-26');
  });
});
