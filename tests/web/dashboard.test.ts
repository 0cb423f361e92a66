/**
 * Route tests of the ops board (src/web/routes/dashboard.ts) and the finder's deadline column on
 * in-memory fakes: who must act on any missed deadline, the deadline missed beside "Overdue", the
 * next 14 days with planning meetings, the CSV in words with links to epa-flow's own pages.
 */
import { parse } from 'csv-parse/sync';
import { addDays } from '../../src/calendar';
import { listingRow } from '../support/fake-epa-service';
import { OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let ops: Awaited<ReturnType<typeof session>>;

/** Overdue for the EPAO (gateway review, missed first) and for the apprentice (project report). */
const ada = listingRow('1000000011', 'Ada Kovač', {
  stage: 'InAssessment',
  overdue: true,
  mustAct: 'epaoAdmin',
  missed: [
    { key: 'gatewayReviewDue', due: addDays(TODAY, -14), owner: 'epaoAdmin' },
    { key: 'reportDue', due: addDays(TODAY, -5), component: 'project', owner: 'apprentice' },
  ],
  nextDeadline: { key: 'epaPeriodEnds', due: addDays(TODAY, 60) },
});
/** Not overdue: a planning meeting booked in three days, an assessment in a week. */
const dee = listingRow('1000000012', 'Dee Fox', {
  stage: 'InAssessment',
  nextDeadline: { key: 'planningMeetingDue', due: addDays(TODAY, 30) },
  planningMeeting: { at: `${addDays(TODAY, 3)}T14:30` },
  bookings: [{ component: 'discussion', at: `${addDays(TODAY, 7)}T10:00` }],
});

beforeAll(async () => {
  p = await pagesApp();
  p.listings.rows.push(ada, dee);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

/** The overdue table's rows (ULNs) on a board page. */
const overdueUlns = (html: string): string[] =>
  [...(html.split('id="upcoming-heading"')[0] ?? '').matchAll(/<tr class="govuk-table__row" data-uln="(\d+)">/g)].map(
    (m) => m[1]!,
  );

test('who must act: an EPA owing the EPAO and the apprentice is under both, showing that owner’s deadline first', async () => {
  const byApprentice = await ops.get('/dashboard?owner=apprentice');
  expect(byApprentice.statusCode).toBe(200);
  expect(overdueUlns(byApprentice.body)).toEqual([ada.uln]);
  expect(byApprentice.body).toContain(
    'Project report<br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">due ',
  );
  expect(byApprentice.body).toContain('Chase the project report');
  expect(byApprentice.body).toContain('<option value="apprentice" selected>Apprentice</option>');
  const byEpao = await ops.get('/dashboard?owner=EPAO');
  expect(overdueUlns(byEpao.body)).toEqual([ada.uln]);
  expect(byEpao.body).toContain('Review the gateway evidence, then pass or reject it');
  expect(byEpao.body).toContain('EPAO, apprentice');
  expect(overdueUlns((await ops.get('/dashboard?owner=employer')).body)).toEqual([]);
  const unknown = await ops.get('/dashboard?owner=epaoAdmin');
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toContain('unknown owner &quot;epaoAdmin&quot;');
});

test('the board in words: stages by name, deadlines with their dates, the next 14 days with the planning meeting', async () => {
  const board = await ops.get('/dashboard');
  const text = board.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  expect(text).toContain('2 In assessment');
  expect(text).toContain('Gateway review due ');
  expect(text).toContain('Also missed: Project report, due ');
  expect(text).toMatch(/at 2:30pm Planning meeting Dee Fox/);
  expect(text).toMatch(/at 10:00am Assessment: professional discussion supported by portfolio evidence Dee Fox/);
  for (const code of ['InAssessment', 'gatewayReviewDue', 'reportDue', 'planningMeetingDue', 'epaoAdmin', 'T14:30'])
    expect([code, text.includes(code)]).toEqual([code, false]);
});

test('the finder: an overdue EPA shows the deadline it missed beside the tag, never only a future next deadline', async () => {
  const found = await ops.get('/epas');
  const adaRow = found.body.split(`data-uln="${ada.uln}"`)[1]!.split('</tr>')[0]!;
  const cells = adaRow.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  expect(adaRow).toContain('govuk-tag--red');
  expect(cells).toMatch(/Overdue Gateway review was due \w+day \d+ \w+ \d{4} Then: End of the EPA period, \w+day/);
  expect(cells).toContain('In assessment');
  expect(cells).toContain('Innovate Awarding');
  // The filters' choices in words, their values the codes the address keeps.
  expect(found.body).toContain('<option value="InAssessment">In assessment</option>');
  expect(found.body).toContain('<option value="innovate">Innovate Awarding</option>');
  const filtered = await ops.get('/epas?stage=InAssessment&epao=innovate');
  expect(filtered.body).toMatch(/moj-filter__tag[^>]*>[^<]*(<span[^>]*>[^<]*<\/span>)?\s*In assessment/);
  expect(filtered.body).toContain('Innovate Awarding</a>');
  const deeRow = found.body.split(`data-uln="${dee.uln}"`)[1]!.split('</tr>')[0]!;
  expect(deeRow).not.toContain('Overdue');
  expect(deeRow.replace(/<[^>]+>/g, ' ')).toContain('Planning meeting');
});

test('the CSV of the filtered board: display names, dates in words, links to the EPA’s own page, not the Temporal UI', async () => {
  const csv = await ops.get('/dashboard/overdue.csv?owner=apprentice');
  expect(csv.statusCode).toBe(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  const [header, ...rows] = parse(csv.body) as string[][];
  expect(header!.at(-1)).toBe('EPA page');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toEqual(
    expect.arrayContaining([
      ada.uln,
      'Ada Kovač',
      'ST0071 Customer Service Specialist',
      'Innovate Awarding',
      'In assessment',
      'Project report',
      'apprentice, EPAO',
      `http://127.0.0.1:8080/epas/${ada.uln}`,
    ]),
  );
  expect(csv.body).not.toMatch(/8233|workflows\/epa-/);
});
