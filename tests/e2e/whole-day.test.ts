/**
 * An EPAO admin's whole day on the staff pages (issue 29, "Done when"), in headless Chromium
 * (Debian's chromium driven by playwright-core), on the real dev stack: the Temporal CLI dev server,
 * a real EPA worker with the real delivery activity (mail over SMTP to a catcher on loopback, the
 * sent record on file) and the real staff web app. Walked once at 1280 px and again at 390 px, each
 * in a browser of its own: sign in; find an apprentice; read what happens next; take an ST0071 EPA
 * (Innovate) through its gateway, bookings (one a mistake, voided through the void page after its
 * check-your-answers page), extenuating circumstances, results (only the grades each component
 * allows), an appeal lodged and decided, and the certificate; read a message as it was sent; withdraw
 * another EPA and restart it; start an EPA with three mistakes and see all three; import from the
 * CSV template with UK dates; add and disable a colleague. Every page passes axe-core (WCAG 2.2 AA)
 * at that width, does not scroll sideways, shows no code word, and is photographed; after every
 * form the focus is on the success banner or the error summary. Events are dated back from the
 * dev server's today (the rules take backdated dates).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApi } from '../../src/api/server';
import { addUser } from '../../src/app/users';
import { addDays, addWorkingDays, isWorkingDay, londonDateOf, subtractWorkingDays } from '../../src/calendar';
import { FileAccountAudit } from '../../src/store/account-audit';
import { SentStore } from '../../src/store/sent-record';
import { FileUserStore } from '../../src/store/user-store';
import type { EpaStart } from '../../src/epa/people';
import { browserTest, checkPage, focusedId, haveChromium, launchChromium } from '../support/browser';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventually } from '../support/lifecycle';
import { mailActivities } from '../support/mail-harness';
import { epaStart, uniqueUln } from '../support/people';
import { startSmtp, type TestSmtp } from '../support/smtp';

const PASSWORD = 'a long admin password for the whole day';
const today = londonDateOf(Date.now());
const ago = (n: number) => addDays(today, -n);
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The working day on or before `n` days ago: assessments are booked on working days (a weekend booking is warned about). */
const workday = (n: number): string => (isWorkingDay(ago(n)) ? ago(n) : subtractWorkingDays(ago(n), 1));
// The lifecycle's days: the gateway passed 63 days ago, the planning meeting the next working day, the
// bookings 57 days ago (the observation with more than two weeks' notice, 001 §5), the project
// interview, then the discussion (001 §5 order), then the observation (Innovate's order).
const planning = addWorkingDays(ago(63), 1);
const interview = workday(38);
const discussion = workday(32);
const observation = workday(25);
const rearranged = workday(12);

let dir: string;
let smtp: TestSmtp;
let stack: DevStack;
let api: FastifyInstance;
let browser: Browser | undefined;
let baseUrl: string;

/** Each walk's own apprentices: one for the whole lifecycle, one to withdraw and restart. */
const people = {
  1280: {
    lifecycle: epaStart({
      gatewaySubmittedOn: ago(66),
      apprentice: { name: 'Marisol Quennell', email: 'marisol.quennell@apprentice.example' },
    }),
    withdrawn: epaStart({
      gatewaySubmittedOn: ago(6),
      apprentice: { name: 'Tobiah Grennan', email: 'tobiah.grennan@apprentice.example' },
    }),
    colleague: { name: 'Sam Okafor', username: 'sam.okafor' },
  },
  390: {
    lifecycle: epaStart({
      gatewaySubmittedOn: ago(66),
      apprentice: { name: 'Iolanthe Vasquez', email: 'iolanthe.vasquez@apprentice.example' },
    }),
    withdrawn: epaStart({
      gatewaySubmittedOn: ago(6),
      apprentice: { name: 'Keir Abernethy', email: 'keir.abernethy@apprentice.example' },
    }),
    colleague: { name: 'Priya Lockhart', username: 'priya.lockhart' },
  },
} as const;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-whole-day-'));
  smtp = await startSmtp();
  const sent = new SentStore(path.join(dir, 'sent'));
  stack = await startDevStack({ taskQueue: 'epa-whole-day', activities: mailActivities(smtp.url, sent) });
  const users = new FileUserStore(path.join(dir, 'users.json'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: PASSWORD });
  api = buildApi({
    epa: stack.epa,
    adminTokens: ['admin-token-for-the-whole-day-0123'],
    opsTokens: [],
    users,
    accountAudit: new FileAccountAudit(path.join(dir, 'account-changes.jsonl')),
    sentCopies: sent,
    sessionSecret: 'a-session-secret-for-the-whole-day-0123456789',
    serviceName: 'Example EPAO',
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
  });
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  // Yesterday's work: the apprentices whose gateways came in.
  for (const walk of Object.values(people)) {
    await stack.epa.start(walk.lifecycle);
    await stack.epa.start(walk.withdrawn);
  }
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.teardown();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One admin's day at one width. */
class Day {
  constructor(
    readonly page: Page,
    readonly width: 1280 | 390,
  ) {}

  /** The page checked at this walk's width: axe, no sideways scrolling, no code words, a screenshot. */
  async check(name: string, options: { words?: boolean } = {}): Promise<void> {
    await this.page.waitForLoadState('load');
    // Every page starts with GOV.UK Frontend's skip link to its main content.
    expect([name, await this.page.locator('body > a.govuk-skip-link[href="#main-content"]').count()]).toEqual([name, 1]);
    expect([name, await this.page.locator('main#main-content').count()]).toEqual([name, 1]);
    await checkPage(this.page, `day-${name}`, { words: options.words ?? true, widths: [this.width] });
  }

  /** After a form: the page at `url`, the success banner saying `banner`, with the focus. */
  async done(url: string, banner: string | RegExp, name?: string): Promise<void> {
    await this.page.waitForURL(url);
    const text = flat(await this.page.locator('.govuk-notification-banner--success').innerText());
    if (typeof banner === 'string') expect(text).toContain(banner);
    else expect(text).toMatch(banner);
    // No rule broken nor warned about on the way: the day follows the plans.
    expect(text).not.toContain('Warning');
    await eventually(async () => expect(await focusedId(this.page)).toMatch(/^(epa-flash|account-changed)$/), 5_000);
    if (name) await this.check(name);
  }

  async fillDate(name: string, date: string): Promise<void> {
    const [y, m, d] = date.split('-') as [string, string, string];
    await this.page.fill(`#${name}-day`, String(Number(d)));
    await this.page.fill(`#${name}-month`, String(Number(m)));
    await this.page.fill(`#${name}-year`, y);
  }

  /**
   * Fills a record form as a person would: a date (yyyy-mm-dd) into its three boxes, a date and time
   * (yyyy-mm-ddThh:mm) into them and the time box, a radio or checkbox by its value, a select by its
   * option, anything else typed.
   */
  async fill(fields: Record<string, string | boolean>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'boolean') {
        if (value) await this.page.check(`input[name="${name}"]`);
      } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) await this.fillDate(name, value);
      else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) {
        await this.fillDate(name, value.slice(0, 10));
        await this.page.fill(`#${name}-time`, value.slice(11));
      } else {
        const kind = await this.page
          .locator(`[name="${name}"]`)
          .first()
          .evaluate((el) => `${el.tagName}:${(el as unknown as { type?: string }).type ?? ''}`);
        if (kind === 'INPUT:radio') await this.page.check(`input[name="${name}"][value="${value}"]`);
        else if (kind.startsWith('SELECT')) await this.page.selectOption(`[name="${name}"]`, value);
        else await this.page.fill(`[name="${name}"]`, value);
      }
    }
  }

  /**
   * Opens a record form from the EPA page's "Record an event" list. Each shape of form is checked
   * once (FORMS_CHECKED); the others are the same template with other dates and choices.
   */
  async open(uln: string, title: string): Promise<void> {
    if (this.page.url() !== `${baseUrl}/epas/${uln}`) await this.page.goto(`${baseUrl}/epas/${uln}`);
    await this.page.locator('#record-event').getByRole('link', { name: title, exact: true }).click();
    await this.page.waitForSelector(`h1:has-text("${title}")`);
    if (!FORMS_CHECKED.has(title) || this.formsChecked.has(title)) return;
    this.formsChecked.add(title);
    await this.check(`form-${title.toLowerCase().replace(/\W+/g, '-')}`);
  }

  private readonly formsChecked = new Set<string>();

  /**
   * Records an event through its form: opened from the EPA page, filled in, recorded; the EPA page
   * again with the banner focused (checked when `name` is given).
   */
  async record(uln: string, title: string, fields: Record<string, string | boolean>, name?: string): Promise<void> {
    await this.open(uln, title);
    await this.fill(fields);
    await this.page.click('form button:has-text("Record")');
    await this.done(`${baseUrl}/epas/${uln}`, `${title}: recorded`, name);
  }

  /** A form checked first: filled in, its check-your-answers page read (returned), then confirmed. */
  async checked(
    uln: string,
    title: string,
    fields: Record<string, string | boolean>,
    name: string,
    confirm: string,
    expectEffects: (effects: string, sent: string) => void,
    after?: string,
  ): Promise<void> {
    await this.open(uln, title);
    await this.fill(fields);
    await this.page.click('form button:has-text("Continue")');
    await this.page.waitForSelector('h1:has-text("Check your answers")');
    expectEffects(
      flat(await this.page.locator('#effects').innerText()),
      flat(await this.page.locator('#will-be-sent').innerText()),
    );
    await this.check(`${name}-check`);
    await this.page.click(`form button:has-text("${confirm}")`);
    await this.done(`${baseUrl}/epas/${uln}`, /recorded|withdrawn/i, after);
  }

  async signIn(): Promise<void> {
    await this.page.goto(`${baseUrl}/epas`);
    await this.page.waitForURL(`${baseUrl}/login?returnTo=%2Fepas`);
    await this.check('sign-in');
    // The first Tab reaches the skip link; following it puts the focus on the main content.
    await this.page.keyboard.press('Tab');
    expect(await focusedId(this.page)).toContain('govuk-skip-link');
    expect(await this.text('.govuk-skip-link')).toBe('Skip to main content');
    await this.page.keyboard.press('Enter');
    await eventually(async () => expect(await focusedId(this.page)).toBe('main-content'), 5_000);
    await this.page.fill('#username', 'amira');
    await this.page.fill('#password', PASSWORD);
    await this.page.click('button:has-text("Sign in")');
    await this.page.waitForURL(`${baseUrl}/epas`);
    await this.check('apprentices');
  }

  /** Finds an apprentice by name in the finder and opens their EPA. */
  async find(who: EpaStart, name: string): Promise<void> {
    const page = this.page;
    await page.goto(`${baseUrl}/epas`);
    await page.fill('#q', who.apprentice.name.split(' ')[1]!);
    await page.click('button:has-text("Find")');
    await page.waitForURL(/q=/);
    expect(await page.locator('#result-count').innerText()).toBe('Showing 1 to 1 of 1 EPA');
    await this.check(name);
    await page.click(`a:has-text("${who.apprentice.name}")`);
    await page.waitForURL(`${baseUrl}/epas/${who.uln}`);
  }

  /** Follows a link of the service navigation (on a phone, behind its Menu button). */
  async nav(text: string, url: string): Promise<void> {
    const menu = this.page.locator('.govuk-service-navigation__toggle');
    if (await menu.isVisible()) {
      expect(this.width).toBe(390);
      await menu.click();
    }
    await this.page.click(`.govuk-service-navigation a:has-text("${text}")`);
    await this.page.waitForURL(`${baseUrl}${url}`);
  }

  async text(selector: string): Promise<string> {
    return flat(await this.page.locator(selector).innerText());
  }
}

/** The record forms the walk checks, one of each shape: a date; a number; the evidence; a date and time; a component; grades; a reason. */
const FORMS_CHECKED = new Set([
  'Pass the gateway',
  'Portfolio handed in',
  'Record gateway evidence',
  'Book the planning meeting',
  'Book an assessment',
  'Assessment taken',
  'Record a grade',
  'Record extenuating circumstances',
  'Lodge an appeal',
  'Record the appeal decision',
  'Withdraw from the EPA',
]);

/** Invites and messages for an EPA as the SMTP catcher received them. */
const mailFor = (uln: string) =>
  smtp.received.filter((m) => String(m.parsed.headers.get('x-epa-key') ?? '').startsWith(`epa-${uln}/`));

async function wholeDay(width: 1280 | 390): Promise<void> {
  const { lifecycle: marisol, withdrawn: tobiah, colleague } = people[width];
  const context = await browser!.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const day = new Day(page, width);
  const uln = marisol.uln;

  await day.signIn();

  // The board first: what is overdue and due soon.
  await day.nav('Overdue and due soon', '/dashboard');
  // (The board's words are part 7's, in hand elsewhere: its stage counts still show the stages' keys.)
  await day.check('board', { words: false });

  // Find the apprentice; what happens next: the gateway review, who acts and by when; the evidence missing.
  await eventually(async () => {
    await page.goto(`${baseUrl}/epas?q=${encodeURIComponent(marisol.apprentice.name)}`);
    expect(await page.locator('#result-count').innerText()).toBe('Showing 1 to 1 of 1 EPA');
  }, 20_000);
  await day.find(marisol, 'finder');
  const next = await day.text('#next-steps');
  expect(next).toMatch(/\bthe EPAO\b/i);
  expect(next).toMatch(/by \w+day \d{1,2} \w+ \d{4}/);
  expect(await day.text('#gateway-evidence-heading + p')).toMatch(/^Still missing before the gateway can pass: /);
  await day.check('epa-gateway-review');

  // The gateway: the portfolio, the evidence (the checklist then complete), the pass, the planning meeting.
  await day.record(uln, 'Portfolio handed in', { on: ago(65), pieces: '12' });
  await day.record(uln, 'Record gateway evidence', {
    on: ago(64),
    english: 'Level 2',
    maths: 'Level 2',
    employerSignOff: true,
    declarationSigned: true,
    projectSynopsisAgreed: true,
    reasonableAdjustments: 'none',
  });
  expect(await day.text('#gateway-evidence-heading + p')).toBe('Everything the plan and the EPAO require is recorded.');
  await day.record(uln, 'Pass the gateway', { on: ago(63) });
  await day.record(uln, 'Book the planning meeting', { on: ago(63), at: `${planning}T10:00` });
  await day.record(uln, 'Planning meeting held', { on: planning });

  // A booking made by mistake back then: the observation, for a day still to come (its invites go out now).
  const mistaken = addWorkingDays(today, 10);
  await day.record(uln, 'Book an assessment', {
    on: ago(57),
    component: 'observation',
    at: `${mistaken}T10:00`,
    location: 'Harbour Road office',
    assessorName: 'Dorian Fairclough',
    assessorEmail: 'dorian.fairclough@assessors.example',
  });

  // A message as it was sent: the observation's invite to the apprentice, as the mail server received it.
  const invite = await eventually(async () => {
    const m = mailFor(uln).filter((x) => x.to[0] === marisol.apprentice.email && x.parsed.headers.get('x-epa-kind') === 'invite');
    expect(m).toHaveLength(1);
    return m[0]!;
  }, 20_000);
  const subject = invite.parsed.subject!;
  await eventually(async () => {
    await page.goto(`${baseUrl}/epas/${uln}`);
    expect(await page.locator(`#messages li:has-text("${marisol.apprentice.email}") a:has-text("${subject}")`).count()).toBe(1);
  }, 20_000);
  await page.locator(`#messages li:has-text("${marisol.apprentice.email}") a:has-text("${subject}")`).click();
  await page.waitForSelector(`h1:has-text("${subject}")`);
  for (const line of invite.parsed.text!.split('\n').filter((l) => l.trim()))
    expect(await day.text('#message-text')).toContain(flat(line));
  expect(await day.text('#invite')).toContain('Harbour Road office');
  await day.check('message');

  // Put the mistaken booking right: chosen from the entries, a reason, its effects (the invites
  // cancelled) checked before it is recorded.
  await page.goto(`${baseUrl}/epas/${uln}`);
  await page.click('#put-right a:has-text("Put a mistake right")');
  await page.waitForSelector('h1:has-text("Put a mistake right")');
  await day.check('void');
  const wrong = page.locator('.govuk-radios__item', { hasText: /practical observation/i });
  expect(await wrong.count()).toBe(1);
  await wrong.locator('input').check();
  await page.fill('#reason', 'Booked in the wrong month: the observation is in the EPA plan for October');
  await page.click('button:has-text("Continue")');
  await page.waitForSelector('h1:has-text("Check your answers: put a mistake right")');
  expect(await day.text('#answers')).toContain('Booked in the wrong month');
  expect(await day.text('#effects')).toMatch(/Stays in assessment/i);
  expect(await day.text('#will-be-sent')).toMatch(/cancel.*to the apprentice/i);
  await day.check('void-check');
  await page.click('button:has-text("Void the entry")');
  await day.done(`${baseUrl}/epas/${uln}`, 'is voided', 'voided');
  expect(await day.text('#timeline')).toMatch(/\(voided\)/);
  // The apprentice's calendar is put right: the invite cancelled, as the mail server received it.
  await eventually(async () => {
    const cancelled = mailFor(uln).filter((x) => x.parsed.headers.get('x-epa-kind') === 'inviteCancelled');
    expect(cancelled.map((x) => x.to[0])).toContain(marisol.apprentice.email);
  }, 20_000);

  // The bookings in the plans' order: the project interview before the discussion (001 §5), the
  // discussion before the observation (Innovate's), the observation with two weeks' notice.
  await day.record(uln, 'Book an assessment', { on: ago(57), component: 'project', at: `${interview}T10:00` });
  await day.record(uln, 'Book an assessment', { on: ago(57), component: 'discussion', at: `${discussion}T10:00` });
  await day.record(uln, 'Book an assessment', { on: ago(57), component: 'observation', at: `${observation}T10:00` });

  // The report, then the project interview and the discussion: taken, graded (only the grades each
  // allows), moderated, published.
  await day.record(uln, 'Project report handed in', { on: ago(56), words: '2500' });
  for (const [component, taken, grade] of [
    ['project', interview, 'Pass'],
    ['discussion', discussion, 'Distinction'],
  ] as const) {
    await day.record(uln, 'Assessment taken', { on: taken, component });
    await day.open(uln, 'Record a grade');
    await day.fill({ component });
    expect(
      await page.locator('input[name="grade"]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)),
    ).toEqual(['Fail', 'Pass', 'Distinction']);
    await day.fill({ on: addDays(taken, 1), grade });
    await page.click('form button:has-text("Record")');
    await day.done(`${baseUrl}/epas/${uln}`, 'Record a grade: recorded');
    await day.record(uln, 'Decision moderated', { on: addDays(taken, 1), component });
    await day.record(uln, 'Publish a result', { on: addDays(taken, 2), component });
  }

  // Extenuating circumstances before the observation: its booking is cancelled, to be rearranged.
  await day.checked(
    uln,
    'Record extenuating circumstances',
    { on: ago(30), component: 'observation', reason: 'The apprentice was in hospital' },
    'extenuating',
    'Record extenuating circumstances: record it',
    (effects) => expect(effects).toMatch(/Stays in assessment/i),
  );
  await day.record(uln, 'Book an assessment', { on: ago(30), component: 'observation', at: `${rearranged}T10:00` });
  await day.record(uln, 'Assessment taken', { on: rearranged, component: 'observation' });
  await day.record(uln, 'Record a grade', { on: addDays(rearranged, 1), component: 'observation', grade: 'Pass' });
  await day.record(uln, 'Decision moderated', { on: addDays(rearranged, 1), component: 'observation' });
  await day.record(uln, 'Publish a result', { on: addDays(rearranged, 2), component: 'observation' });

  // An appeal against the observation's result, lodged within Innovate's window and upheld.
  await day.checked(
    uln,
    'Lodge an appeal',
    { on: addDays(rearranged, 4), component: 'observation', reason: 'The assessor stopped the observation ten minutes early' },
    'appeal-lodged',
    'Lodge an appeal: record it',
    () => undefined,
  );
  await day.checked(
    uln,
    'Record the appeal decision',
    { on: ago(5), component: 'observation', outcome: 'upheld', grade: 'Distinction' },
    'appeal-decided',
    'Record the appeal decision: record it',
    () => undefined,
  );
  expect(await day.text('[data-component="observation"]')).toContain('Distinction');

  // The certificate: claimed and received; nothing more to do.
  await day.record(uln, 'Certificate claimed', { on: ago(4) });
  await day.record(uln, 'Certificate received', { on: ago(1) }, 'completed');
  expect(await day.text('#next-steps')).toContain('Nothing more: the EPA is complete');

  // Another apprentice withdraws (checked first), and comes back: the EPA restarted (checked first).
  await day.find(tobiah, 'finder-withdraw');
  await day.checked(
    tobiah.uln,
    'Withdraw from the EPA',
    { on: ago(2), reason: 'Moved to a job abroad' },
    'withdraw',
    'Withdraw from the EPA',
    (effects) => expect(effects).toMatch(/Becomes withdrawn/i),
    'withdrawn',
  );
  expect(await day.text('#next-steps')).toContain('withdrawn');
  await page.click('a:has-text("Restart the EPA")');
  await page.waitForSelector('h1:has-text("Restart the EPA")');
  await day.check('restart');
  await day.fillDate('gatewaySubmittedOn', today);
  await page.fill('#reason', 'The apprentice came back to the employer');
  await page.click('button:has-text("Continue")');
  await page.waitForSelector('h1:has-text("Check your answers: restart the EPA")');
  await day.check('restart-check');
  await page.click('button:has-text("Restart the EPA")');
  await day.done(`${baseUrl}/epas/${tobiah.uln}`, 'The EPA has been restarted', 'restarted');

  // Start an EPA with three mistakes: all three listed, the summary focused, each linked to its field; then put right.
  await page.goto(`${baseUrl}/epas`);
  await page.click('a:has-text("Start an EPA")');
  await page.waitForURL(`${baseUrl}/epas/new`);
  await day.check('start');
  const wren = uniqueUln();
  await day.fill({
    uln: wren,
    apprenticeName: 'Wren Halloway',
    apprenticeEmail: 'wren.halloway.apprentice.example',
    employerContactName: 'Noor Castellan',
    employerContactEmail: 'noor.castellan@brightside.example',
    provider: 'Northgate Training',
    providerContactName: 'Femi Arkwright',
    providerContactEmail: 'femi.arkwright@northgate.example',
    standard: 'ST0071',
    epao: 'innovate',
  });
  await page.fill('#gatewaySubmittedOn-day', '31');
  await page.fill('#gatewaySubmittedOn-month', '2');
  await page.fill('#gatewaySubmittedOn-year', '2027');
  await page.click('button:has-text("Start the EPA")');
  await page.waitForSelector('.govuk-error-summary');
  await eventually(async () => expect(await focusedId(page)).toContain('govuk-error-summary'), 5_000);
  const links = page.locator('.govuk-error-summary__list a');
  expect(await links.allInnerTexts()).toEqual([
    "Enter the apprentice's email address in the correct format, like name@example.com",
    "Enter the employer's organisation",
    'The gateway submission date must be a real date: February 2027 has 28 days',
  ]);
  await day.check('start-three-mistakes');
  for (const [i, field] of [
    [0, 'apprenticeEmail'],
    [1, 'employer'],
    [2, 'gatewaySubmittedOn-day'],
  ] as const) {
    await links.nth(i).click();
    await eventually(async () => expect(await focusedId(page)).toBe(field), 5_000);
  }
  await page.fill('#apprenticeEmail', 'wren.halloway@apprentice.example');
  await page.fill('#employer', 'Brightside Lettings Ltd');
  await day.fillDate('gatewaySubmittedOn', ago(1));
  await page.click('button:has-text("Start the EPA")');
  await day.done(`${baseUrl}/epas/${wren}`, 'EPA started', 'started');

  // Import from the template, filled in with UK dates (one impossible): checked, then applied.
  await page.goto(`${baseUrl}/epas`);
  await page.click('a:has-text("Import from a CSV file")');
  await page.waitForURL(`${baseUrl}/imports`);
  await day.check('import');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download the CSV template")')]);
  const [header, example] = readFileSync((await download.path())!, 'utf8').split('\r\n') as [string, string];
  const row = (uln: string, name: string, date: string) =>
    example
      .replace(/^\d{10},Rosa Example,rosa\.example@/, `${uln},${name},${name.split(' ')[0]!.toLowerCase()}@`)
      .replace(/,\d{2}\/\d{2}\/\d{4},/, `,${date},`);
  const uk = (date: string) => date.split('-').reverse().join('/');
  const orla = uniqueUln();
  const csv = [header, row(orla, 'Orla Brennagh', uk(ago(3))), row(uniqueUln(), 'Piet Vandermeer', '31/02/2027')].join('\r\n');
  await page.setInputFiles('#file', { name: 'apprentices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('button:has-text("Check the file")');
  await page.waitForSelector('h1:has-text("Check the import")');
  // (A phone shows no empty details cell: the words "Nothing" are for the wide table only.)
  const rows = async () =>
    (await page.locator('#import-rows tbody tr').allInnerTexts()).map((t) => flat(t).replace(/ Nothing$/, ''));
  expect(await rows()).toEqual([
    `2 Orla Brennagh ULN ${orla} Will start`,
    expect.stringMatching(/^3 Piet Vandermeer ULN \d{10} Not started: 1 problem 31\/02\/2027 is not a real calendar date/),
  ]);
  await day.check('import-check');
  await page.click('button:has-text("Start 1 EPA")');
  await page.waitForSelector('h1:has-text("Import done")');
  expect((await rows())[0]).toBe(`2 Orla Brennagh ULN ${orla} Started`);
  await day.check('import-done');
  expect((await stack.epa.status(orla)).people.apprentice.name).toBe('Orla Brennagh');

  // A colleague: added (checked first, the password shown once), then disabled (checked first).
  await day.nav('Accounts', '/accounts');
  await day.check('accounts');
  await page.click('a:has-text("Add an account")');
  await page.waitForURL(`${baseUrl}/accounts/new`);
  await day.check('account-new');
  await page.fill('#name', colleague.name);
  await page.fill('#username', colleague.username);
  await page.check('#role');
  await page.click('button:has-text("Continue")');
  expect(await day.text('h1')).toBe('Check the new account');
  await day.check('account-check');
  await page.click('button:has-text("Add account")');
  expect(await day.text('h1')).toBe(`Account added for ${colleague.name}`);
  expect((await page.locator('#new-password').innerText()).length).toBeGreaterThanOrEqual(20);
  await day.check('account-added');
  await page.click('a:has-text("Back to accounts")');
  await page.waitForURL(`${baseUrl}/accounts`);
  await page.click(`[data-account="${colleague.username}"] a[href="/accounts/${colleague.username}/disable"]`);
  await page.waitForURL(`${baseUrl}/accounts/${colleague.username}/disable`);
  expect(await day.text('h1')).toBe(`Disable ${colleague.name}’s account?`);
  await day.check('account-disable');
  await page.click('button:has-text("Disable account")');
  await day.done(`${baseUrl}/accounts`, `${colleague.name}’s account is disabled`, 'account-disabled');
  expect(await day.text(`[data-account="${colleague.username}"]`)).toContain('Disabled: cannot sign in');

  await context.close();
}

browserTest('an admin’s whole day at 1280 px', () => wholeDay(1280), 180_000);
browserTest('an admin’s whole day at 390 px', () => wholeDay(390), 180_000);
