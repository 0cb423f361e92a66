/**
 * The EPA page as a case file (issue 29), in headless Chromium (Debian's chromium driven by
 * playwright-core) on the staff pages over in-memory fakes that keep what is recorded
 * (tests/support/web-app.ts, fake-epa-service.ts): as an admin, read "What happens next"; put a
 * mistaken booking right (choose it, give a reason, check the effects and what will be sent,
 * confirm: the success banner has the focus and the timeline marks the booking voided); add a note;
 * open the messages list and a message; withdraw (checked first) and restart the withdrawn EPA.
 * Every page passes axe-core (WCAG 2.2 AA), does not scroll sideways at 390 pixels, is photographed
 * at 1280 and 390 pixels into test-artifacts/, and shows no code key, event type name, SHOUTED code
 * or ISO time in its visible text.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SentCopy } from '../../activities/sent-record';
import { addDays } from '../../src/calendar';
import { workflowIdFor } from '../../src/epa/ids';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { ADMIN, pagesApp, TODAY, type PagesApp } from '../support/web-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve(__dirname, '../../test-artifacts');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium (scripts/install-system-deps.sh)`);
const maybe = haveChromium ? test : test.skip;

let p: PagesApp;
let browser: Browser | undefined;
let baseUrl: string;

const [year, month, day] = TODAY.split('-') as [string, string, string];
const ines = epaStart({
  apprentice: { name: 'Ines Varga-Holm', email: 'ines.varga-holm@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -20),
});
const epaId = workflowIdFor(ines.uln);
const invite: SentCopy = {
  epaId,
  key: 'invite:observation-1:0',
  role: 'apprentice',
  kind: 'invite',
  to: { name: 'Ines Varga-Holm', email: 'ines.varga-holm@apprentice.example' },
  subject: 'Your observation is booked for Sunday 4 April 2027 at 10am',
  text: 'Dear Ines,\n\nYour practical observation is booked.\nPlease bring your portfolio.',
  invite: { method: 'REQUEST', at: `${addDays(TODAY, 20)}T10:00`, durationMinutes: 60, location: 'Harbour Road office' },
  keptAt: `${addDays(TODAY, -3)}T09:00:00.000Z`,
};

beforeAll(async () => {
  if (!haveChromium) return;
  p = await pagesApp();
  p.epa.keepsRecorded = true;
  p.epa.add(ines, [
    {
      type: 'GatewayPassed',
      on: addDays(TODAY, -10),
      eventId: 'gateway-passed-0001',
      override: { reason: 'evidence seen on paper' },
    },
    {
      type: 'AssessmentBooked',
      on: addDays(TODAY, -3),
      component: 'observation',
      at: `${addDays(TODAY, 20)}T10:00`,
      eventId: 'booking-in-error-0001',
    },
  ]);
  p.epa.logs.set(ines.uln, [
    { key: invite.key, kind: 'invite', role: 'apprentice', to: [invite.to.email], at: invite.keptAt, status: 'sent' },
  ]);
  await p.copies.keep(invite);
  baseUrl = await p.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await p?.app.close();
});

/** What a person reads must be words: no camelCase key, event type name, SHOUTED code or ISO date-time. */
const CODE_WORDS: [string, RegExp][] = [
  ['a camelCase key', /\b[a-z]+[A-Z][A-Za-z]*(\.[a-z]\w*)?\b/],
  ['an event type name', /\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/],
  ['a SHOUTED code', /\b[A-Z]{5,}\b/],
  ['an ISO date-time', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
];

/** No axe violations at WCAG 2.2 AA; no code words in the visible text; no sideways scrolling at 390 px; screenshots at both widths. */
async function checkPage(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect([name, results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)]).toEqual([name, []]);
  const text = await page.locator('body').innerText();
  const found = CODE_WORDS.flatMap(([what, re]) => {
    const m = re.exec(text);
    return m ? [`${what}: "${m[0]}" in "${text.slice(Math.max(0, m.index - 40), m.index + 40)}"`] : [];
  });
  expect([name, found]).toEqual([name, []]);
  mkdirSync(artifacts, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const sideways = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
        .document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect([name, width, sideways]).toEqual([name, width, 0]);
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const focusedId = (page: Page) =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { id: string; className: string } | null } }).document
      .activeElement;
    return el ? el.id || el.className : '';
  });

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

maybe(
  'an admin works an EPA as a case file: what happens next, a mistake put right, a note, the messages, withdraw and restart',
  async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${baseUrl}/epas`);

    // The EPA page: "What happens next" names the actions, who acts and by when, in words.
    await page.goto(`${baseUrl}/epas/${ines.uln}`);
    const next = flat(await page.locator('#next-steps').innerText());
    expect(next).toMatch(/\b(the apprentice|the employer|the provider|the assessor|the EPAO)\b/i);
    expect(next).toMatch(/by \w+day \d{1,2} \w+ \d{4}/);
    await checkPage(page, 'case-file-epa');

    // Put the mistaken booking right: choose it and give a reason.
    await page.click('a:has-text("Put a mistake right")');
    await page.waitForSelector('h1:has-text("Put a mistake right")');
    await checkPage(page, 'case-file-void');
    await page.check('input[name="voids"][value="booking-in-error-0001"]');
    await page.fill('#reason', 'Booked for the wrong apprentice');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: put a mistake right")');
    expect(flat(await page.locator('#answers').innerText())).toContain('Booked for the wrong apprentice');
    expect(flat(await page.locator('#effects').innerText())).toMatch(/Stage/);
    expect(await page.locator('#sent-heading').innerText()).toBe('What will be sent, and to whom');
    expect(flat(await page.locator('#will-be-sent').innerText())).not.toBe('');
    await checkPage(page, 'case-file-void-check');
    expect(p.epa.callsOf('recordEvent')).toHaveLength(0);
    await page.click('button:has-text("Void the entry")');
    await page.waitForURL(`${baseUrl}/epas/${ines.uln}`);
    const banner = page.locator('.govuk-notification-banner--success');
    expect(flat(await banner.innerText())).toContain('is voided');
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(p.epa.callsOf('recordEvent').at(-1)).toMatchObject({
      type: 'EventVoided',
      payload: { voids: 'booking-in-error-0001' },
    });
    const timeline = flat(await page.locator('#timeline').innerText());
    expect(timeline).toMatch(/\(voided\)/);
    expect(timeline).toContain('Voided on');
    expect(timeline).toContain('Booked for the wrong apprentice');
    await checkPage(page, 'case-file-voided');

    // A note: on the timeline with its text.
    await page.click('#add-note');
    await page.waitForSelector('label:has-text("Add a note")');
    await checkPage(page, 'case-file-note');
    await page.fill('#text', 'The employer rang: the observation moves to April.');
    await page.click('button:has-text("Add note")');
    await page.waitForSelector('.govuk-notification-banner--success');
    expect(flat(await page.locator('.govuk-notification-banner--success').innerText())).toContain('Note added');
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(flat(await page.locator('#timeline').innerText())).toContain('The employer rang: the observation moves to April.');

    // The messages list, and one message as it was sent.
    const messages = page.locator('#messages li');
    expect(await messages.count()).toBe(1);
    expect(flat(await messages.first().innerText())).toContain('to the apprentice, ines.varga-holm@apprentice.example');
    await page.click(`#messages a:has-text("${invite.subject}")`);
    await page.waitForSelector(`h1:has-text("${invite.subject}")`);
    expect(await page.locator('#message-text').innerText()).toContain('Please bring your portfolio.');
    await checkPage(page, 'case-file-message');

    // Withdraw with a reason: checked first.
    await page.goto(`${baseUrl}/epas/${ines.uln}`);
    await page.click('#record-event a:has-text("Withdraw from the EPA")');
    await page.waitForSelector('h1:has-text("Withdraw from the EPA")');
    await page.fill('#on-day', day);
    await page.fill('#on-month', month);
    await page.fill('#on-year', year);
    await page.fill('#reason', 'Moved to a job abroad');
    await checkPage(page, 'case-file-withdraw');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: withdraw from the EPA")');
    expect(flat(await page.locator('#effects').innerText())).toMatch(/Becomes withdrawn/i);
    await checkPage(page, 'case-file-withdraw-check');
    await page.click('button:has-text("Withdraw from the EPA")');
    await page.waitForURL(`${baseUrl}/epas/${ines.uln}`);
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(flat(await page.locator('#next-steps').innerText())).toContain('withdrawn');
    await checkPage(page, 'case-file-withdrawn');

    // Restart the withdrawn EPA with a reason: checked first.
    await page.click('a:has-text("Restart the EPA")');
    await page.waitForSelector('h1:has-text("Restart the EPA")');
    await page.fill('#gatewaySubmittedOn-day', day);
    await page.fill('#gatewaySubmittedOn-month', month);
    await page.fill('#gatewaySubmittedOn-year', year);
    await page.fill('#reason', 'The apprentice came back to the employer');
    await checkPage(page, 'case-file-restart');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: restart the EPA")');
    await checkPage(page, 'case-file-restart-check');
    await page.click('button:has-text("Restart the EPA")');
    await page.waitForURL(`${baseUrl}/epas/${ines.uln}`);
    expect(flat(await page.locator('.govuk-notification-banner--success').innerText())).toContain('The EPA has been restarted');
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(p.epa.callsOf('restart').at(-1)).toMatchObject({
      reason: 'The apprentice came back to the employer',
      raw: { uln: ines.uln, gatewaySubmittedOn: TODAY },
    });
    await checkPage(page, 'case-file-restarted');
    await context.close();
  },
  180_000,
);
