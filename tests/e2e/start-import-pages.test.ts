/**
 * The start form and the import in headless Chromium (Debian's chromium driven by playwright-core),
 * on the staff pages over in-memory fakes (tests/support/web-app.ts): a start with three mistakes
 * lists all three, the error summary takes the focus and each link moves to its field; the import's
 * template is downloaded, filled in with UK dates (one impossible) and checked, then applied, each
 * row's outcome shown. Every page passes axe-core (WCAG 2.2 AA), does not scroll sideways at 390
 * pixels, and is photographed at 1280 and 390 pixels wide into test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { addDays } from '../../src/calendar';
import { browserTest, checkPage, focusedId, haveChromium, launchChromium } from '../support/browser';
import { eventually } from '../support/lifecycle';
import { epaStart, uniqueUln } from '../support/people';
import { ADMIN, pagesApp, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let browser: Browser | undefined;
let baseUrl: string;

beforeAll(async () => {
  if (!haveChromium) return;
  p = await pagesApp();
  baseUrl = await p.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await p?.app.close();
});

browserTest(
  'a start with three mistakes lists all three; the import from the template with UK dates shows every row',
  async () => {
    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${baseUrl}/epas`);

    // Three mistakes: an email without its @, no employer, and 31 February.
    await page.goto(`${baseUrl}/epas/new`);
    const fields: Record<string, string> = {
      uln: uniqueUln(),
      apprenticeName: 'Wren Halloway',
      apprenticeEmail: 'wren.halloway.apprentice.example',
      employerContactName: 'Noor Castellan',
      employerContactEmail: 'noor.castellan@brightside.example',
      provider: 'Northgate Training',
      providerContactName: 'Femi Arkwright',
      providerContactEmail: 'femi.arkwright@northgate.example',
      'gatewaySubmittedOn-day': '31',
      'gatewaySubmittedOn-month': '2',
      'gatewaySubmittedOn-year': '2027',
    };
    for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
    await page.selectOption('#standard', 'ST0071');
    await page.selectOption('#epao', 'innovate');
    await page.click('button:has-text("Start the EPA")');
    await page.waitForSelector('.govuk-error-summary');
    // GOV.UK Frontend moves the focus to the summary.
    await eventually(async () => expect(await focusedId(page)).toContain('govuk-error-summary'), 5_000);
    const links = page.locator('.govuk-error-summary__list a');
    expect(await links.allInnerTexts()).toEqual([
      "Enter the apprentice's email address in the correct format, like name@example.com",
      "Enter the employer's organisation",
      'The gateway submission date must be a real date: February 2027 has 28 days',
    ]);
    expect(await page.locator('.govuk-error-message').count()).toBe(3);
    await checkPage(page, 'start-three-mistakes');
    await links.nth(2).click();
    await eventually(async () => expect(await focusedId(page)).toBe('gatewaySubmittedOn-day'), 5_000);
    await links.nth(1).click();
    await eventually(async () => expect(await focusedId(page)).toBe('employer'), 5_000);
    expect(p.epa.callsOf('start')).toHaveLength(0);

    // The import: the template downloaded, its example row replaced by three apprentices.
    await page.goto(`${baseUrl}/imports`);
    await checkPage(page, 'import-form');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download the CSV template")')]);
    expect(download.suggestedFilename()).toBe('epa-import-template.csv');
    const template = readFileSync((await download.path())!, 'utf8').split('\r\n');
    const [header, example] = template as [string, string];
    const cells = (uln: string, name: string, date: string) =>
      example
        .replace(/^\d{10},Rosa Example,rosa\.example@/, `${uln},${name},${name.split(' ')[0]!.toLowerCase()}@`)
        .replace(/,\d{2}\/\d{2}\/\d{4},/, `,${date},`);
    const uk = (date: string) => date.split('-').reverse().join('/');
    const existing = epaStart({ gatewaySubmittedOn: addDays(TODAY, -9) });
    p.epa.add(existing);
    const good = uniqueUln();
    const csv = [
      header,
      cells(good, 'Orla Brennagh', uk(addDays(TODAY, -4))),
      cells(uniqueUln(), 'Piet Vandermeer', '31/02/2027'),
      cells(existing.uln, 'Ada Testwell', uk(addDays(TODAY, -9))),
    ].join('\r\n');
    await page.setInputFiles('#file', { name: 'apprentices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('button:has-text("Check the file")');
    await page.waitForSelector('h1:has-text("Check the import")');
    const rows = async () =>
      (await page.locator('#import-rows tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(await rows()).toEqual([
      `2 Orla Brennagh ULN ${good} Will start Nothing`,
      expect.stringMatching(
        /^3 Piet Vandermeer ULN \d{10} Not started: 1 problem 31\/02\/2027 is not a real calendar date: February 2027 has 28 days \(column gateway_submitted_on\)$/,
      ),
      `4 Ada Testwell ULN ${existing.uln} Already has an EPA: skipped This ULN already has an EPA (running)`,
    ]);
    await checkPage(page, 'import-check');
    await page.click('button:has-text("Start 1 EPA")');
    await page.waitForSelector('h1:has-text("Import done")');
    expect(await rows()).toEqual([
      `2 Orla Brennagh ULN ${good} Started Nothing`,
      expect.stringMatching(/^3 Piet Vandermeer .*Not started: 1 problem/),
      `4 Ada Testwell ULN ${existing.uln} Already has an EPA: skipped This ULN already has an EPA (running)`,
    ]);
    expect(p.epa.callsOf('start').map((c) => (c.raw as { uln: string }).uln)).toEqual([good]);
    await checkPage(page, 'import-done');
    await context.close();
  },
  120_000,
);
