/**
 * A failed message sent again, in headless Chromium on the real dev stack: the Temporal dev server,
 * an EPA worker with the real delivery activity over SMTP to a server on loopback (which refuses
 * the employer's first address with 550), the sent record and the kept copies in a temporary
 * folder, and the staff pages. An admin sees the message failed on the EPA page, opens it, presses
 * "Send again", reads on the check-your-answers page that it goes to the corrected address, and
 * confirms: the mail arrives once at the new address (parsed back with mailparser) with a new
 * Message-ID, and the timeline says "Message sent again". Every page passes axe-core (WCAG 2.2 AA),
 * does not scroll sideways at 390 px, and shows no code words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import {
  createAssessmentActivities,
  createDeliveryActivities,
  createListingActivities,
  messageIdFor,
  smtpTransport,
} from '../../activities';
import { buildApi } from '../../src/api/server';
import { addUser } from '../../src/app/users';
import { londonDateOf } from '../../src/calendar';
import { FileUserStore } from '../../src/store/user-store';
import { SentStore } from '../../src/store/sent-record';
import { browserTest, checkPage, focusedId, haveChromium, launchChromium } from '../support/browser';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventually } from '../support/lifecycle';
import { MAIL_FROM } from '../support/mail-harness';
import { epaStart } from '../support/people';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { gatewaySteps } from '../support/walk';

const ADMIN = { username: 'amira', name: 'Amira Sollen', password: 'a long admin password for the resend test' };
const OLD = 'hal.brightsde@harbour.example'; // mistyped: the mail server knows no such mailbox
const NEW = 'hal.brightside@harbour.example';
const today = londonDateOf(Date.now());

let dir: string;
let smtp: TestSmtp;
let stack: DevStack;
let api: FastifyInstance;
let browser: Browser | undefined;
let baseUrl: string;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'epa-resend-'));
  smtp = await startSmtp();
  smtp.rejectRecipients.add(OLD);
  const store = new SentStore(path.join(dir, 'sent'));
  stack = await startDevStack({
    taskQueue: 'epa-resend',
    activities: {
      ...createDeliveryActivities({ transport: smtpTransport(smtp.url), from: MAIL_FROM, sent: store, copies: store }),
      ...createListingActivities(),
      ...createAssessmentActivities({}),
    },
  });
  const users = new FileUserStore(path.join(dir, 'users.json'));
  await addUser(users, { username: ADMIN.username, name: ADMIN.name, role: 'admin', password: ADMIN.password });
  api = buildApi({
    epa: stack.epa,
    adminTokens: [],
    opsTokens: [],
    users,
    sentCopies: store,
    sessionSecret: 'a-session-secret-for-the-resend-test-0123456789',
    serviceName: 'Example EPAO',
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
  });
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.teardown();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const check = (page: Page, name: string) => checkPage(page, name, { words: true });

browserTest(
  'an admin sends a refused message again: it arrives once at the corrected address, with a new Message-ID, and the timeline says so',
  async () => {
    const input = epaStart({
      apprentice: { name: 'Tamsin Ruddock', email: 'tamsin.ruddock@apprentice.example' },
      employer: { organisation: 'Harbour Glazing', name: 'Hal Brightside', email: OLD },
      gatewaySubmittedOn: today,
    });
    await stack.epa.start(input);
    for (const [type, payload] of gatewaySteps('ST0071', today))
      await stack.epa.recordEvent(input.uln, type, { on: today, ...payload });
    const key = `gatewayOutcome:passed:${today}`;
    await eventually(async () => {
      const entry = (await stack.epa.status(input.uln)).log.find((l) => l.key === key && l.role === 'employer');
      expect(entry?.status).toBe('failed');
    }, 30_000);
    // The employer's address corrected (the contact correction's own page is tested elsewhere).
    await stack.epa.recordEvent(input.uln, 'ContactDetailsChanged', { on: today, role: 'employer', email: NEW, reason: 'typo' });

    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${baseUrl}/epas`);

    // The EPA page says the message failed; its subject opens it.
    await page.goto(`${baseUrl}/epas/${input.uln}`);
    expect(flat(await page.locator('#messages-failed').innerText())).toMatch(
      /could not be sent .*Gateway outcome to the employer: rejected by the mail server: 550/,
    );
    const subject = "Gateway passed: Tamsin Ruddock's end-point assessment";
    const failed = page.locator('#messages li[data-status="failed"]', { hasText: subject });
    await expect(failed.count()).resolves.toBe(1);
    await failed.locator('a').click();
    await page.waitForSelector('#send-again');
    expect(flat(await page.locator('.govuk-summary-list').first().innerText())).toContain(`The employer: Hal Brightside, ${OLD}`);
    expect(page.url()).not.toContain('@');
    await check(page, 'resend-failed-message');

    // Send again: the check-your-answers page says what goes to whom, at the corrected address.
    await page.click('#send-again');
    await page.waitForSelector('h1:has-text("Check your answers: send the message again")');
    expect(page.url()).not.toContain('@');
    expect(flat(await page.locator('#answers').innerText())).toContain(`The employer: Hal Brightside, ${NEW}`);
    expect(flat(await page.locator('#address-changed').innerText())).toBe(
      `The address has been corrected since it failed: it goes to ${NEW} now, not ${OLD}.`,
    );
    expect(flat(await page.locator('#will-be-sent').innerText())).toBe(
      `“${subject}” to the employer at ${NEW}, straight away, as it was written`,
    );
    await check(page, 'resend-check-answers');
    await page.fill('#reason', 'Address corrected after the employer rang');
    await page.click('#send-again-confirm');
    await page.waitForURL(`${baseUrl}/epas/${input.uln}`);
    expect(flat(await page.locator('.govuk-notification-banner--success').innerText())).toContain(
      `Message sent again: “${subject}” to the employer`,
    );
    await eventually(async () => expect(await focusedId(page)).toBe('epa-flash'), 5_000);

    // The mail arrives once, at the new address, under a new key and Message-ID.
    const againKey = `epa-${input.uln}/${key}/again-1/employer`;
    const arrived = await eventually(async () => {
      const got = smtp.received.filter((m) => m.parsed.headers.get('x-epa-key') === againKey);
      expect(got).toHaveLength(1);
      return got[0]!;
    }, 30_000);
    expect(arrived.to).toEqual([NEW]);
    expect(arrived.parsed.subject).toBe(subject);
    expect(arrived.parsed.messageId).toBe(messageIdFor(againKey, MAIL_FROM.email));
    expect(arrived.parsed.messageId).not.toBe(messageIdFor(`epa-${input.uln}/${key}/employer`, MAIL_FROM.email));
    expect(smtp.received.filter((m) => m.to.includes(NEW))).toHaveLength(1);

    // The timeline says so; the messages list has it delivered; the warning is gone.
    await eventually(async () => {
      await page.reload();
      expect(await page.locator('#messages li[data-status="sent"] a', { hasText: subject }).count()).toBeGreaterThanOrEqual(2);
    }, 30_000);
    const timeline = flat(await page.locator('#timeline').innerText());
    expect(timeline).toContain('Message sent again');
    expect(timeline).toContain(`“${subject}” to the employer`);
    expect(timeline).toContain('Amira Sollen');
    expect(timeline).toContain('Address corrected after the employer rang');
    // The warning at the top no longer lists it. (The planning meeting's message to the old address
    // still fails when the test runs before the meeting's 4pm; after it the message has expired
    // unsent, and no warning shows at all.)
    const warnings = (await page.locator('#messages-failed').allInnerTexts()).map(flat);
    expect(warnings.join(' ')).not.toContain('Gateway outcome');
    await check(page, 'resend-epa-after');

    // The failed message's page no longer offers it: sent again and delivered.
    await failed.locator('a').click();
    await page.waitForSelector('#send-again-why');
    expect(flat(await page.locator('#send-again-why').innerText())).toMatch(
      /^This message has been sent again already and was delivered \w+day/,
    );
    await context.close();
  },
  180_000,
);
