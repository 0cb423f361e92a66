/**
 * Route tests: the finder, one apprentice's EPA, the ops board and its CSV, the error pages
 * (src/web/routes/epas.ts, dashboard.ts, src/web/index.ts) on in-memory fakes, through app.inject.
 */
import { ownerNames } from '../../src/app/epas';
import { rules } from '../../src/plans';

const nqualName = rules().policy('nqual')!.data.name;
import { addDays } from '../../src/calendar';
import { listingRow } from '../support/fake-epa-service';
import { epaStart, UNKNOWN_ULN } from '../support/people';
import { ADMIN, OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
let ops: Awaited<ReturnType<typeof session>>;

const bram = epaStart({
  apprentice: { name: 'Bram Okonkwo-Tell', email: 'bram@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -20),
});
const cleo = epaStart({
  standard: 'ST0072',
  epao: 'nqual',
  apprentice: { name: 'Cleo Marchetti', email: 'cleo@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -2),
});

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(bram);
  p.epa.add(cleo);
  p.listings.rows.push(
    listingRow(bram.uln, bram.apprentice.name, {
      stage: 'GatewayReview',
      overdue: true,
      mustAct: 'epaoAdmin',
      missed: [{ key: 'gatewayReviewDue', due: addDays(TODAY, -6) }],
      nextDeadline: { key: 'gatewayReviewDue', due: addDays(TODAY, -6) },
    }),
    listingRow(cleo.uln, cleo.apprentice.name, {
      standard: 'ST0072',
      epao: 'nqual',
      stage: 'GatewayReview',
      provider: 'Elsewhere College',
      nextDeadline: { key: 'gatewayReviewDue', due: addDays(TODAY, 5) },
      bookings: [{ component: 'observation', at: `${addDays(TODAY, 3)}T10:00` }],
    }),
  );
  admin = await session(p.app, ADMIN);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

/** Every link, form action and redirect a page or answer carries. */
const urlsIn = (html: string): string[] => [...html.matchAll(/(?:href|action|src)="([^"]*)"/g)].map((m) => m[1]!);

test('the finder lists every EPA, searches by name or ULN, filters, and says plainly when a filter value is unknown', async () => {
  const all = await admin.get('/epas');
  expect(all.statusCode).toBe(200);
  expect(all.body).toContain('<h1 class="govuk-heading-l">Apprentices</h1>');
  expect(all.body).toContain(bram.apprentice.name);
  expect(all.body).toContain(cleo.apprentice.name);
  expect(all.body).toContain(`href="/epas/${bram.uln}"`);

  const byName = await admin.get('/epas?q=marche');
  expect(byName.body).toContain(cleo.apprentice.name);
  expect(byName.body).not.toContain(bram.apprentice.name);
  const byUln = await admin.get(`/epas?q=${bram.uln}`);
  expect(byUln.body).toContain(bram.apprentice.name);
  expect(byUln.body).not.toContain(cleo.apprentice.name);
  const byStandard = await admin.get('/epas?standard=ST0072');
  expect(byStandard.body).toContain(cleo.apprentice.name);
  expect(byStandard.body).not.toContain(bram.apprentice.name);
  expect(p.listings.queries.at(-1)).toMatchObject({ standard: 'ST0072' });
  const overdue = await admin.get('/epas?overdue=yes');
  expect(overdue.body).toContain(bram.apprentice.name);
  expect(overdue.body).not.toContain(cleo.apprentice.name);

  const unknown = await admin.get('/epas?stage=Sleeping');
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toContain('There is a problem');
  expect(unknown.body).toContain('unknown stage &quot;Sleeping&quot;');
});

test('the finder in words: stages, standards, EPAOs and the next deadline by their names; the filters and their tags too', async () => {
  const page = await admin.get('/epas?stage=GatewayReview');
  expect(page.statusCode).toBe(200);
  const row = page.body.slice(page.body.indexOf(`data-uln="${bram.uln}"`)).split('</tr>')[0]!;
  expect(row).toContain('>Gateway in review');
  expect(row).toContain('Customer Service Specialist (ST0071)');
  expect(row).toContain('Innovate Awarding');
  expect(row).toContain(
    '<br>Gateway review<br><span class="govuk-hint govuk-!-margin-bottom-0">was due Tuesday 9 March 2027</span>',
  );
  expect(row).not.toContain('Then: Gateway review');
  expect(row).toContain('govuk-tag--red">\n  Overdue');
  // The values stay the codes the query takes; what a person reads is the name.
  expect(page.body).toContain('<option value="GatewayReview" selected>Gateway in review</option>');
  expect(page.body).toContain('<option value="nqual">NQual</option>'.replace('NQual', nqualName));
  expect(page.body).toMatch(
    /moj-filter__tag[^>]*>[^<]*<span class="govuk-visually-hidden">Remove this filter<\/span> Gateway in review/,
  );
  // No stage key, EPAO id or deadline key as text between tags.
  const text = page.body.replace(/<[^>]+>/g, ' ');
  for (const code of ['GatewayReview', 'gatewayReview', ' innovate ', ' nqual ']) expect(text).not.toContain(code);
  // Each cell carries its column's name for the stacked rows on a phone.
  expect(row).toContain('data-label="Next deadline"');
});

test("one apprentice's EPA: the people and the pinned rules from the core's view; an admin gets the forms, ops does not", async () => {
  const page = await admin.get(`/epas/${bram.uln}`);
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`<h1 class="govuk-heading-l">${bram.apprentice.name}</h1>`);
  expect(page.body).toContain(bram.employer.organisation);
  expect(page.body).toContain('ST0071');
  expect(page.body).toContain(`/events/new?type=GatewayPassed`);
  expect(p.epa.callsOf('status').at(-1)).toEqual({ method: 'status', uln: bram.uln });

  const asOps = await ops.get(`/epas/${bram.uln}`);
  expect(asOps.statusCode).toBe(200);
  expect(asOps.body).toContain(bram.apprentice.name);
  expect(asOps.body).not.toContain('/events/new?type=');
  // Forms are for admins only.
  const form = await ops.get(`/epas/${bram.uln}/events/new?type=GatewayPassed`);
  expect(form.statusCode).toBe(403);
  expect(form.body).toContain('You cannot do that');
});

test('an EPA that does not exist is a 404 page, a malformed ULN a 400; neither says more than it must', async () => {
  const missing = await admin.get(`/epas/${UNKNOWN_ULN}`);
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toContain('<h1 class="govuk-heading-l">Not found</h1>');
  expect(missing.body).toContain(`no EPA for ULN ${UNKNOWN_ULN}`);
  const malformed = await admin.get('/epas/12345');
  expect(malformed.statusCode).toBe(400);
  expect(malformed.body).toContain('There is a problem');
});

test('a failure the pages do not expect is the error page with a request id, and no detail of the failure', async () => {
  const status = p.epa.status.bind(p.epa);
  p.epa.status = async () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:7233 (bram@apprentice.example)');
  };
  try {
    const page = await admin.get(`/epas/${bram.uln}`);
    expect(page.statusCode).toBe(500);
    expect(page.body).toContain('Sorry, there is a problem with the service');
    expect(page.body).toMatch(/Try again later \(request [^)]+\)/);
    expect(page.body).not.toContain('ECONNREFUSED');
    expect(page.body).not.toContain('bram@apprentice.example');
  } finally {
    p.epa.status = status;
  }
});

test('the ops board: overdue EPAs with who must act, the next 14 days, and the CSV of the filtered set', async () => {
  const board = await ops.get('/dashboard');
  expect(board.statusCode).toBe(200);
  expect(board.body).toContain(bram.apprentice.name);
  // The next 14 days: Cleo's booked assessment.
  expect(board.body).toContain(cleo.apprentice.name);
  const csv = await ops.get(`/dashboard/overdue.csv?owner=${encodeURIComponent(ownerNames.epaoAdmin!)}`);
  expect(csv.statusCode).toBe(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers['content-disposition']).toBe('attachment; filename="overdue-epas.csv"');
  const lines = csv.body.trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(bram.uln);
  expect(csv.body).not.toContain(cleo.uln);
  const none = await ops.get(`/dashboard/overdue.csv?owner=${encodeURIComponent(ownerNames.apprentice!)}`);
  expect(none.body.trim().split(/\r?\n/)).toHaveLength(1);
});

test('no personal data in a URL: links, form actions and redirects carry ULNs and codes, never a name or an email', async () => {
  const pages = [
    await admin.get('/epas'),
    await admin.get(`/epas/${bram.uln}`),
    await admin.get(`/epas/${bram.uln}/events/new?type=GatewayPassed`),
    await ops.get('/dashboard'),
  ];
  const urls = pages.flatMap((res) => urlsIn(res.body));
  expect(urls.length).toBeGreaterThan(20);
  for (const who of [bram, cleo]) {
    const words = [who.apprentice.email, who.employer.email, who.provider.email, ...who.apprentice.name.split(' ')];
    for (const url of urls) for (const w of words) expect([url, decodeURIComponent(url).includes(w)]).toEqual([url, false]);
  }
  for (const url of urls) expect([url, /@/.test(decodeURIComponent(url))]).toEqual([url, false]);
});
