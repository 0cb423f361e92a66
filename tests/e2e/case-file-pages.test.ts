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
import type { Browser, Page } from 'playwright-core';
import type { SentCopy } from '../../activities/sent-record';
import { addDays } from '../../src/calendar';
import { workflowIdFor } from '../../src/epa/ids';
import { browserTest, checkPage, focusedId, haveChromium, launchChromium } from '../support/browser';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';
import { ADMIN, pagesApp, TODAY, type PagesApp } from '../support/web-app';

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
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await p?.app.close();
});

const check = (page: Page, name: string) => checkPage(page, name, { words: true });

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

browserTest(
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
    await check(page, 'case-file-epa');

    // Put the mistaken booking right: choose it and give a reason.
    await page.click('a:has-text("Put a mistake right")');
    await page.waitForSelector('h1:has-text("Put a mistake right")');
    await check(page, 'case-file-void');
    await page.check('input[name="voids"][value="booking-in-error-0001"]');
    await page.fill('#reason', 'Booked for the wrong apprentice');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: put a mistake right")');
    expect(flat(await page.locator('#answers').innerText())).toContain('Booked for the wrong apprentice');
    expect(flat(await page.locator('#effects').innerText())).toMatch(/Stage/);
    expect(await page.locator('#sent-heading').innerText()).toBe('What will be sent, and to whom');
    expect(flat(await page.locator('#will-be-sent').innerText())).not.toBe('');
    await check(page, 'case-file-void-check');
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
    await check(page, 'case-file-voided');

    // A note: on the timeline with its text.
    await page.click('#add-note');
    await page.waitForSelector('label:has-text("Add a note")');
    await check(page, 'case-file-note');
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
    await check(page, 'case-file-message');

    // Withdraw with a reason: checked first.
    await page.goto(`${baseUrl}/epas/${ines.uln}`);
    await page.click('#record-event a:has-text("Withdraw from the EPA")');
    await page.waitForSelector('h1:has-text("Withdraw from the EPA")');
    await page.fill('#on-day', day);
    await page.fill('#on-month', month);
    await page.fill('#on-year', year);
    await page.fill('#reason', 'Moved to a job abroad');
    await check(page, 'case-file-withdraw');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: withdraw from the EPA")');
    expect(flat(await page.locator('#effects').innerText())).toMatch(/Becomes withdrawn/i);
    await check(page, 'case-file-withdraw-check');
    await page.click('button:has-text("Withdraw from the EPA")');
    await page.waitForURL(`${baseUrl}/epas/${ines.uln}`);
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(flat(await page.locator('#next-steps').innerText())).toContain('withdrawn');
    await check(page, 'case-file-withdrawn');

    // Restart the withdrawn EPA with a reason: checked first.
    await page.click('a:has-text("Restart the EPA")');
    await page.waitForSelector('h1:has-text("Restart the EPA")');
    await page.fill('#gatewaySubmittedOn-day', day);
    await page.fill('#gatewaySubmittedOn-month', month);
    await page.fill('#gatewaySubmittedOn-year', year);
    await page.fill('#reason', 'The apprentice came back to the employer');
    await check(page, 'case-file-restart');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: restart the EPA")');
    await check(page, 'case-file-restart-check');
    await page.click('button:has-text("Restart the EPA")');
    await page.waitForURL(`${baseUrl}/epas/${ines.uln}`);
    expect(flat(await page.locator('.govuk-notification-banner--success').innerText())).toContain('The EPA has been restarted');
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);
    expect(p.epa.callsOf('restart').at(-1)).toMatchObject({
      reason: 'The apprentice came back to the employer',
      raw: { uln: ines.uln, gatewaySubmittedOn: TODAY },
    });
    await check(page, 'case-file-restarted');
    await context.close();
  },
  180_000,
);
