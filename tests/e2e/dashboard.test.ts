/**
 * The staff pages in headless Chromium (Debian's chromium driven by playwright-core): sign in by
 * keyboard, find an apprentice, open their EPA, see the overdue rows this test created (002
 * two-week gateway review missed), follow the CSV export. Every page is checked by axe-core (WCAG
 * 2.2 AA, no violations) and photographed at 1280 and 390 pixels wide into test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApi } from '../../src/api/server';
import { addUser } from '../../src/app/users';
import { FileUserStore } from '../../src/store/user-store';
import { addDays, londonDateOf } from '../../src/calendar';
import { dateInWords } from '../../src/epa/display-names';
import { freePort } from '../../src/temporal/binaries';
import { eventually, settledHistoryLength } from '../support/lifecycle';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { CODE_WORDS } from '../support/browser';
import { epaStart } from '../support/people';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OPS_PASSWORD = 'a long ops password';
const ADMIN_PASSWORD = 'a long admin password';
const artifacts = path.resolve(__dirname, '../../test-artifacts');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium (scripts/install-system-deps.sh)`);
const maybe = haveChromium ? test : test.skip;

let stack: DevStack;
let api: FastifyInstance;
let browser: Browser | undefined;
let baseUrl: string;
const today = londonDateOf(Date.now());

beforeAll(async () => {
  if (!haveChromium) return;
  stack = await startDevStack({ taskQueue: 'epa-dashboard' });
  // The staff site's public base URL is known before it listens: the CSV links to its pages.
  const port = await freePort();
  const users = new FileUserStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-users-')), 'users.json'));
  await addUser(users, { username: 'oscar', name: 'Oscar Penhallow', role: 'ops', password: OPS_PASSWORD });
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: ADMIN_PASSWORD });
  api = buildApi({
    epa: stack.epa,
    adminTokens: ['admin-token-for-the-browser-test'],
    opsTokens: [],
    users,
    sessionSecret: 'a-session-secret-for-the-browser-test-0123456789',
    serviceName: 'Example EPAO',
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    publicUrl: `http://127.0.0.1:${port}`,
  });
  baseUrl = await api.listen({ host: '127.0.0.1', port });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.teardown();
});

/** Presses Tab until `selector` has the focus (a keyboard user's way there), or fails after 80 presses. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate((sel) => {
      const doc = (globalThis as unknown as { document: { activeElement: unknown; querySelector(s: string): unknown } }).document;
      return doc.activeElement !== null && doc.activeElement === doc.querySelector(sel);
    }, selector);
    if (focused) return;
  }
  throw new Error(`${selector} never took the focus`);
}

/** No axe violations at WCAG 2.2 AA (with `words`, no code words in the text either), and screenshots at desktop and phone widths. */
async function checkPage(page: Page, name: string, options: { words?: boolean } = {}): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect([name, results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)]).toEqual([name, []]);
  if (options.words) {
    const text = await page.locator('body').innerText();
    const found = CODE_WORDS.flatMap(([what, re]) => (re.exec(text) ? [`${what}: ${re.exec(text)![0]}`] : []));
    expect([name, found]).toEqual([name, []]);
  }
  mkdirSync(artifacts, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** At 390 px: no axe violations there too, and the page itself never scrolls sideways (a wide table scrolls inside its own region). */
async function noSidewaysScroll(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 900 });
  const widths = await page.evaluate(() => {
    const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
      .documentElement;
    return { scroll: el.scrollWidth, client: el.clientWidth };
  });
  expect([name, widths.scroll <= widths.client]).toEqual([name, true]);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect([`${name} at 390 px`, results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)]).toEqual([
    `${name} at 390 px`,
    [],
  ]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

maybe('sign in by keyboard, find an apprentice, open their EPA, see the overdue EPAs, export them as CSV', async () => {
  const late = epaStart({
    gatewaySubmittedOn: addDays(today, -25),
    apprentice: { name: 'Bram Okafor', email: 'bram@apprentice.example' },
    employer: { organisation: 'Harbour Mutual', name: 'Lena Fairweather', email: 'lena@harbour.example' },
  });
  const fine = epaStart({
    gatewaySubmittedOn: addDays(today, -2),
    apprentice: { name: 'Cleo Marchetti', email: 'cleo@apprentice.example' },
  });
  // Every item of ST0071's gateway evidence (001 §4, 002 Gateway) but the portfolio.
  const evidence = {
    type: 'GatewayEvidenceRecorded',
    englishMaths: { english: 'Level 2', maths: 'Level 2' },
    employerSignOff: true,
    declarationSigned: true,
    projectSynopsisAgreed: true,
    reasonableAdjustments: 'none',
  };
  // Overdue for the EPAO (the observation's result, missed first) and for the apprentice (the
  // project report two weeks before the interview): under both in "who must act".
  const owing = epaStart({
    gatewaySubmittedOn: addDays(today, -60),
    apprentice: { name: 'Dara Quill', email: 'dara@apprentice.example' },
    events: [
      { type: 'PortfolioSubmitted', on: addDays(today, -60), pieces: 12 },
      { ...evidence, on: addDays(today, -60) },
      { type: 'GatewayPassed', on: addDays(today, -53) },
      { type: 'PlanningMeetingBooked', on: addDays(today, -53), at: `${addDays(today, -53)}T16:00` },
      { type: 'PlanningMeetingHeld', on: addDays(today, -53) },
      { type: 'AssessmentBooked', component: 'observation', on: addDays(today, -52), at: `${addDays(today, -30)}T10:00` },
      { type: 'AssessmentBooked', component: 'project', on: addDays(today, -52), at: `${addDays(today, 3)}T10:00` },
      { type: 'AssessmentTaken', component: 'observation', on: addDays(today, -30) },
    ],
  });
  // Not overdue: its planning meeting is booked for the day after tomorrow.
  const meeting = epaStart({
    gatewaySubmittedOn: addDays(today, -10),
    apprentice: { name: 'Elin Marsh', email: 'elin@apprentice.example' },
    events: [
      { type: 'PortfolioSubmitted', on: addDays(today, -10), pieces: 12 },
      { ...evidence, on: addDays(today, -10) },
      { type: 'GatewayPassed', on: addDays(today, -3) },
      { type: 'PlanningMeetingBooked', on: addDays(today, -3), at: `${addDays(today, 2)}T14:00` },
    ],
  });
  for (const s of [late, fine, owing, meeting]) await stack.epa.start(s);
  await eventually(async () =>
    expect((await stack.epa.list({ overdue: true })).map((e) => e.uln)).toEqual(expect.arrayContaining([late.uln, owing.uln])),
  );

  const context = await browser!.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/dashboard`);
  expect(page.url()).toBe(`${baseUrl}/login?returnTo=%2Fdashboard`); // not signed in: sent to the sign-in form
  await checkPage(page, 'sign-in');
  // By keyboard alone: the username field, the password, then Enter.
  await page.focus('#username');
  await page.keyboard.type('oscar');
  await page.keyboard.press('Tab');
  await page.keyboard.type(OPS_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}/dashboard`);

  const row = page.locator(`table[aria-labelledby="overdue-heading"] tr[data-uln="${late.uln}"]`);
  await expect(row.count()).resolves.toBe(1);
  const cells = await row.locator('td').allInnerTexts();
  expect(cells).toEqual([
    `Bram Okafor\nULN ${late.uln}`,
    'ST0071\nHarbour Mutual',
    `Gateway review\ndue ${dateInWords(addDays(today, -11))}`,
    '11',
    'EPAO', // who must act on the gateway review (002 Gateway)
    'Review the gateway evidence, then pass or reject it',
  ]);
  expect(await row.locator('a').getAttribute('href')).toBe(`/epas/${late.uln}`);
  const overdueRow = (uln: string) => page.locator(`table[aria-labelledby="overdue-heading"] tr[data-uln="${uln}"]`);
  // Filtered by who must act: the apprentice owes Dara's project report, nothing of Bram's.
  await page.selectOption('#owner', 'apprentice');
  await page.click('button:has-text("Filter")');
  await page.waitForURL(/owner=apprentice/);
  expect(await overdueRow(late.uln).count()).toBe(0);
  const asApprentice = await overdueRow(owing.uln).locator('td').allInnerTexts();
  expect(asApprentice[2]).toMatch(
    /^Project report\ndue \w+day \d+ \w+ \d{4}\nAlso missed: Result of the practical observation with Q&A, due .+ \(EPAO\)$/,
  );
  // Days overdue agree with the deadline shown: the report was due two weeks before the interview (in 3 days).
  expect(asApprentice.slice(3)).toEqual(['11', 'apprentice, EPAO', 'Chase the project report']);
  // The EPAO owes Bram's gateway review and Dara's result: both under it.
  await page.selectOption('#owner', 'EPAO');
  await page.click('button:has-text("Filter")');
  await page.waitForURL(/owner=EPAO/);
  expect(await overdueRow(late.uln).count()).toBe(1);
  expect(await overdueRow(fine.uln).count()).toBe(0);
  const asEpao = await overdueRow(owing.uln).locator('td').allInnerTexts();
  expect(asEpao[2]).toMatch(/^Result of the practical observation with Q&A\ndue /);
  expect(asEpao.slice(4)).toEqual(['EPAO, apprentice', 'Grade, moderate and publish the result']);
  expect(await page.locator('.moj-filter__tag').allInnerTexts()).toEqual([expect.stringContaining('EPAO')]);
  // Not overdue, but its gateway review (002) is due within the next 14 days; Elin's planning meeting is booked in them.
  expect(await page.locator(`#upcoming tr[data-uln="${fine.uln}"]`).innerText()).toContain('Deadline: gateway review');
  expect(await page.locator(`#upcoming tr[data-uln="${meeting.uln}"]`).innerText()).toBe(
    `${dateInWords(addDays(today, 2))} at 2:00pm\tPlanning meeting\tElin Marsh\tST0071\tBrightside Lettings Ltd\tIn assessment`,
  );
  expect(await page.locator('#stage-counts').innerText()).toContain('Gateway in review');

  await checkPage(page, 'dashboard', { words: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-export')]);
  expect(download.suggestedFilename()).toBe('overdue-epas.csv');
  const file = path.join(artifacts, 'overdue-epas.csv');
  await download.saveAs(file);
  const csv = readFileSync(file, 'utf8');
  // The board's filter (the EPAO) in words, dates in words, each row's link to the EPA's own page here.
  expect(csv.split('\r\n')[0]).toBe(
    '"ULN","Apprentice","Standard","EPAO","Employer","Stage","Missed deadline","Due","Days overdue","Who must act","Next action","Every missed deadline","EPA page"',
  );
  expect(csv).toContain(
    `"${late.uln}","Bram Okafor","ST0071 Customer Service Specialist","Innovate Awarding","Harbour Mutual","Gateway in review","Gateway review","${dateInWords(addDays(today, -11))}","11","EPAO","Review the gateway evidence, then pass or reject it","Gateway review, due ${dateInWords(addDays(today, -11))} (EPAO)","${baseUrl}/epas/${late.uln}"\r\n`,
  );
  expect(csv).toMatch(new RegExp(`"${owing.uln}","Dara Quill",.*"EPAO, apprentice",.*"${baseUrl}/epas/${owing.uln}"\r\n`));
  expect(csv).not.toMatch(/8233|gatewayReviewDue|GatewayReview|innovate/);
  // The link opens the EPA's page.
  await page.goto(`${baseUrl}/epas/${owing.uln}`);
  expect(await page.locator('h1').innerText()).toBe('Dara Quill');
  await page.goBack();

  // Find an apprentice by name, then open their EPA: by keyboard alone.
  await page.click('a:has-text("Apprentices")');
  await page.waitForURL(`${baseUrl}/epas`);
  await tabTo(page, '#q');
  await page.keyboard.type('okafor');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/epas\?q=okafor/);
  expect(await page.locator('#result-count').innerText()).toBe('Showing 1 to 1 of 1 EPA');
  await checkPage(page, 'apprentices');
  await tabTo(page, `tr[data-uln="${late.uln}"] a`);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}/epas/${late.uln}`);
  expect(await page.locator('h1').innerText()).toBe('Bram Okafor');
  expect(await page.locator('tr[data-deadline="gatewayReviewDue"]').innerText()).toContain('Missed');
  expect(await page.locator('#next-heading').innerText()).toBe('What happens next');
  expect(await page.locator('#next-steps').innerText()).toContain('The EPAO, was due by');
  await checkPage(page, 'apprentice');
  await noSidewaysScroll(page, 'apprentice');
  // A message from the log, and a page for an EPA that does not exist.
  await page.click('#messages a'); // each subject opens the message as it was sent
  await page.waitForURL(/\/message\?/);
  await checkPage(page, 'message');
  await page.goto(`${baseUrl}/epas/${epaStart().uln}`);
  expect(await page.locator('h1').innerText()).toBe('Not found');
  await checkPage(page, 'not-found');
  await context.close();
});

maybe('a form on another port of this host cannot act with the admin’s sign-in cookie', async () => {
  const victim = epaStart({ gatewaySubmittedOn: addDays(today, -2) });
  await stack.epa.start(victim);
  const handle = stack.client.workflow.getHandle(`epa-${victim.uln}`);
  await settledHistoryLength(handle); // once its first workflow task has settled

  // The admin signs in to the dashboard: the browser now holds the cookie for 127.0.0.1.
  const context = await browser!.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login?returnTo=%2Fdashboard`);
  await page.fill('#username', 'amira');
  await page.fill('#password', ADMIN_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${baseUrl}/dashboard`);

  // The admin's booking form: the EPA is still at its gateway, so a booking is refused, saying why.
  await page.goto(`${baseUrl}/epas/${victim.uln}/events/new?type=AssessmentBooked`);
  await checkPage(page, 'record-event');
  const [y, m, d] = addDays(today, 1).split('-');
  await page.check('input[name="component"][value="observation"]');
  await page.fill('#at-day', String(Number(d)));
  await page.fill('#at-month', String(Number(m)));
  await page.fill('#at-year', y!);
  await page.fill('#at-time', '10:00');
  await page.click('button:has-text("Record")');
  await page.waitForSelector('.govuk-error-summary');
  expect(await page.locator('.govuk-error-summary').innerText()).toContain('before the gateway has been passed');
  await checkPage(page, 'record-event-refused');
  expect((await stack.epa.status(victim.uln)).eventCount).toBe(1); // refused: nothing recorded
  const before = await settledHistoryLength(handle);

  // Another site on the same host (another port: same-site, so SameSite does not stop the cookie)
  // posts forms to the API and to the sign-out form.
  const http = await import('node:http');
  const forms = (target: string) => `<!doctype html><html><body>
<form id="f" method="post" action="${target}" enctype="application/x-www-form-urlencoded">
<input name="type" value="Withdrawn"><input name="on" value="${today}"><input name="reason" value="forged by another site"></form>
<script>document.getElementById('f').submit()</script></body></html>`;
  const evil = http.createServer((req, res) => {
    const target =
      req.url === '/logout'
        ? `${baseUrl}/logout`
        : req.url === '/plain'
          ? `${baseUrl}/api/epas/${victim.uln}/events?plain`
          : `${baseUrl}/api/epas/${victim.uln}/events`;
    res.setHeader('content-type', 'text/html');
    res.end(req.url === '/plain' ? forms(target).replace('application/x-www-form-urlencoded', 'text/plain') : forms(target));
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}`;
  try {
    for (const pathname of ['/', '/plain']) {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/api/`)),
        page.goto(`${evilUrl}${pathname}`),
      ]);
      expect([401, 415]).toContain(response.status());
    }
    const [logout] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${baseUrl}/logout`),
      page.goto(`${evilUrl}/logout`),
    ]);
    expect(logout.status()).toBe(403);
    // Nothing changed: the EPA runs on, its history as it was; the admin is still signed in.
    expect((await handle.fetchHistory()).events!.length).toBe(before);
    expect((await stack.epa.status(victim.uln)).stage).toBe('GatewayReview');
    await page.goto(`${baseUrl}/dashboard`);
    expect(page.url()).toBe(`${baseUrl}/dashboard`);
  } finally {
    await new Promise((r) => evil.close(r));
    await context.close();
  }
});

maybe(
  'an admin starts an EPA and records its whole ST0071 lifecycle with forms: a refused booking recorded anyway with a reason, a corrected email',
  async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?returnTo=%2Fepas`);
    await page.fill('#username', 'amira');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${baseUrl}/epas`);

    const g = addDays(today, -90);
    const day = (n: number) => addDays(g, n);
    const fillDate = async (name: string, date: string) => {
      const [y, m, d] = date.split('-');
      await page.fill(`#${name}-day`, String(Number(d)));
      await page.fill(`#${name}-month`, String(Number(m)));
      await page.fill(`#${name}-year`, y!);
    };

    // Start the EPA with the form.
    const fay = epaStart({ gatewaySubmittedOn: g, apprentice: { name: 'Fay Okonjo', email: 'fay@apprentice.example' } });
    await page.click('a:has-text("Import from a CSV file")');
    await page.waitForURL(`${baseUrl}/imports`);
    await checkPage(page, 'import');
    await page.goto(`${baseUrl}/epas`);
    await page.click('a:has-text("Start an EPA")');
    await page.waitForURL(`${baseUrl}/epas/new`);
    await checkPage(page, 'start-epa');
    for (const [field, value] of Object.entries({
      uln: fay.uln,
      apprenticeName: fay.apprentice.name,
      apprenticeEmail: fay.apprentice.email,
      employer: fay.employer.organisation,
      employerContactName: fay.employer.name,
      employerContactEmail: fay.employer.email,
      provider: fay.provider.organisation,
      providerContactName: fay.provider.name,
      providerContactEmail: fay.provider.email,
    }))
      await page.fill(`#${field}`, value);
    await page.selectOption('#standard', 'ST0071');
    await page.selectOption('#epao', 'innovate');
    await fillDate('gatewaySubmittedOn', g);
    await page.click('button:has-text("Start the EPA")');
    await page.waitForURL(`${baseUrl}/epas/${fay.uln}`);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('EPA started');

    /** One event through its form; `anyway`: the rule it breaks is recorded anyway with this reason. */
    const record = async (type: string, on: string, fields: Record<string, string> = {}, anyway?: string) => {
      await page.goto(`${baseUrl}/epas/${fay.uln}/events/new?type=${type}`);
      await fillDate('on', on);
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'at') {
          await fillDate('at', value.slice(0, 10));
          await page.fill('#at-time', value.slice(11, 16));
        } else if (await page.locator(`input[type="radio"][name="${name}"]`).count())
          await page.check(`input[type="radio"][name="${name}"][value="${value}"]`);
        else if (await page.locator(`select[name="${name}"]`).count()) await page.selectOption(`select[name="${name}"]`, value);
        else if (await page.locator(`input[type="checkbox"][name="${name}"]`).count())
          await page.check(`input[type="checkbox"][name="${name}"]`);
        else await page.fill(`[name="${name}"]`, value);
      }
      await page.click('form button.govuk-button');
      if (anyway) {
        await page.waitForSelector('.govuk-error-summary');
        const summary = await page.locator('.govuk-error-summary').innerText();
        await checkPage(page, 'record-anyway');
        await page.fill('#overrideReason', anyway);
        await page.click('button:has-text("Record anyway")');
        await page.waitForURL(`${baseUrl}/epas/${fay.uln}`);
        return summary;
      }
      await page.waitForURL(`${baseUrl}/epas/${fay.uln}`);
      return await page.locator('.govuk-notification-banner').innerText();
    };

    await record('PortfolioSubmitted', g, { pieces: '12' });
    await record('GatewayEvidenceRecorded', g, {
      english: 'Level 2',
      maths: 'Level 2',
      employerSignOff: 'yes',
      declarationSigned: 'yes',
      projectSynopsisAgreed: 'yes',
      reasonableAdjustments: 'none',
    });
    await record('GatewayPassed', day(7));
    await record('PlanningMeetingBooked', day(7), { at: `${day(7)}T16:00` });
    await record('PlanningMeetingHeld', day(7));
    // 001 §5: two weeks' notice of the observation. Three days' notice is refused, then recorded anyway.
    const refused = await record(
      'AssessmentBooked',
      day(7),
      { component: 'observation', at: `${day(10)}T10:00`, location: 'Head office' },
      'the apprentice asked for the earliest date',
    );
    expect(refused).toContain('001 §5');
    await record('AssessmentBooked', day(7), { component: 'discussion', at: `${day(28)}T10:00` });
    await record('AssessmentBooked', day(7), { component: 'project', at: `${day(42)}T10:00` });
    for (const [component, taken, grade] of [
      ['observation', 10, 'Pass'],
      ['discussion', 28, 'Distinction'],
      ['project', 42, 'Pass'],
    ] as const) {
      if (component === 'discussion') await record('ReportSubmitted', day(21), { words: '2500' });
      await record('AssessmentTaken', day(taken), { component });
      await record('GradeRecorded', day(taken + 1), { component, grade });
      await record('ResultModerated', day(taken + 1), { component });
      await record('ResultPublished', day(taken + 2), { component });
      if (component === 'discussion')
        await record('ContactDetailsChanged', day(taken + 2), {
          role: 'apprentice',
          email: 'fay.okonjo@apprentice.example',
          reason: 'new address',
        });
    }
    await record('CertificateClaimed', day(45));
    await record('CertificateReceived', day(60));

    const status = await stack.epa.status(fay.uln);
    expect(status).toMatchObject({
      stage: 'Completed',
      overall: 'Pass',
      grades: { observation: 'Pass', discussion: 'Distinction', project: 'Pass' },
    });
    expect(status.overrides).toEqual([
      expect.objectContaining({ rule: 'assessmentNotice', reason: 'the apprentice asked for the earliest date' }),
    ]);
    expect(status.people.apprentice.email).toBe('fay.okonjo@apprentice.example');
    expect(status.timeline.every((t) => t.by === 'Amira Sollen')).toBe(true);
    await page.goto(`${baseUrl}/epas/${fay.uln}`);
    expect(await page.locator('h1').innerText()).toBe('Fay Okonjo');
    await checkPage(page, 'apprentice-completed');
    await noSidewaysScroll(page, 'apprentice-completed');
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(`${baseUrl}/login`);
    await context.close();
  },
);

maybe(
  'the overdue board at 1,000 EPAs: filtered by who must act and by standard, paged 50 at a time',
  async () => {
    const started = Date.now();
    const many = Array.from({ length: 1000 }, (_, i) =>
      epaStart({
        gatewaySubmittedOn: addDays(today, -20 - (i % 5)),
        apprentice: { name: `Board Apprentice ${String(i).padStart(4, '0')}`, email: `board${i}@apprentice.example` },
      }),
    );
    for (let i = 0; i < many.length; i += 25) await Promise.all(many.slice(i, i + 25).map((s) => stack.epa.start(s)));
    // Settled: every EPA started and its first task run, the count the same twice in a row.
    let last = -1;
    const overdueNow = await eventually(async () => {
      const n = await stack.epa.count({ overdue: true, running: true });
      const settled = n === last;
      last = n;
      expect(n).toBeGreaterThanOrEqual(1000);
      expect(settled).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      return n;
    }, 120_000);
    for (const [what, run] of [
      ['overdue listing', () => stack.epa.overdue(today)],
      ['two stage counts', () => Promise.all(['GatewayReview', 'InAssessment'].map((stage) => stack.epa.count({ stage })))],
    ] as const) {
      const t = Date.now();
      await run();
      console.log(`board test: ${what} at ${overdueNow} overdue EPAs: ${Date.now() - t} ms`);
    }
    console.log(`board test: 1,000 EPAs started and overdue in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?returnTo=%2Fdashboard`);
    await page.fill('#username', 'oscar');
    await page.fill('#password', OPS_PASSWORD);
    const shown = Date.now();
    await page.click('button[type="submit"]');
    await page.waitForURL(`${baseUrl}/dashboard`);
    console.log(`board test: the board at ${overdueNow} overdue EPAs rendered in ${Date.now() - shown} ms`);
    expect(await page.locator('#overdue-heading').innerText()).toBe(`Overdue (${overdueNow})`);
    expect(await page.locator('tr[data-uln]').count()).toBeGreaterThanOrEqual(50);
    const firstPage = await page.locator('table[aria-labelledby="overdue-heading"] tr[data-uln]').count();
    expect(firstPage).toBe(50);
    await page.click('.govuk-pagination__next a');
    await page.waitForURL(/page=2/);
    expect(await page.locator('table[aria-labelledby="overdue-heading"] tr[data-uln]').count()).toBe(50);
    expect(await page.locator('text=Page 2 of').innerText()).toBe(`Page 2 of ${Math.ceil(overdueNow / 50)}`);
    await page.selectOption('#standard', 'ST0072');
    await page.click('button:has-text("Filter")');
    await page.waitForURL(/standard=ST0072/);
    expect(await page.locator('#overdue-heading').innerText()).toBe('Overdue (0)');
    await page.selectOption('#standard', '');
    await page.selectOption('#owner', 'EPAO');
    await page.click('button:has-text("Filter")');
    await page.waitForURL(/owner=EPAO/);
    expect(await page.locator('#overdue-heading').innerText()).toBe(`Overdue (${overdueNow})`);
    await checkPage(page, 'board-1000');
    await context.close();
  },
  300_000,
);
