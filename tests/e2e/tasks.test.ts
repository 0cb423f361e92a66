/**
 * Tasks (issue 29 part 9) in headless Chromium on the real dev stack (a Temporal dev server, the
 * EPA worker, the API's staff pages, lists from visibility): an admin opens an EPA, sees its open
 * task (the gateway review the EPAO owes) and no owner yet, chooses a colleague as its case owner
 * (check your answers, then confirmed), and finds the task on the board's "To handle" list under
 * that colleague, not under "No owner yet". Every page passes axe-core and shows no code word.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApi } from '../../src/api/server';
import { addUser } from '../../src/app/users';
import { addDays, londonDateOf } from '../../src/calendar';
import { FileUserStore } from '../../src/store/user-store';
import { browserTest, checkPage, haveChromium, launchChromium } from '../support/browser';
import { startDevStack, type DevStack } from '../support/dev-stack';
import { eventually } from '../support/lifecycle';
import { epaStart } from '../support/people';

let stack: DevStack;
let api: FastifyInstance;
let browser: Browser | undefined;
let baseUrl: string;
const PASSWORD = 'a long password for the tasks journey';
const today = londonDateOf(Date.now());
const tomas = epaStart({
  gatewaySubmittedOn: addDays(today, -2),
  apprentice: { name: 'Tomas Vellacott', email: 'tomas@apprentice.example' },
});

beforeAll(async () => {
  if (!haveChromium) return;
  stack = await startDevStack({ taskQueue: 'epa-tasks-pages' });
  const users = new FileUserStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-users-')), 'users.json'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: PASSWORD });
  await addUser(users, { username: 'noor', name: 'Noor Haddad', role: 'ops', password: PASSWORD });
  api = buildApi({
    epa: stack.epa,
    adminTokens: ['admin-token-for-the-tasks-test'],
    opsTokens: [],
    defaultEpaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    temporalUiUrl: 'http://127.0.0.1:8233',
    namespace: 'default',
    users,
    sessionSecret: 'a-session-secret-for-the-tasks-test-0123456789',
    serviceName: 'Example EPAO',
  });
  await stack.epa.start(tomas);
  await eventually(async () => expect((await stack.epa.list()).length).toBe(1));
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.teardown();
});

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

browserTest(
  'an admin gives an EPA a case owner and finds its task on the To handle list under that owner',
  async () => {
    const page = await (await browser!.newContext()).newPage();
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', 'amira');
    await page.fill('#password', PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${baseUrl}/epas`);

    // The EPA page: its open task (the gateway review the EPAO owes), no owner yet.
    await page.goto(`${baseUrl}/epas/${tomas.uln}`);
    expect(flat(await page.locator('#case-owner').innerText())).toMatch(/^Case owner: No owner yet/);
    expect(flat(await page.locator('#open-tasks').innerText())).toMatch(
      /Review the gateway evidence, then pass or reject it Due \w+day \d{1,2} \w+ \d{4}/,
    );
    await checkPage(page, 'tasks-epa', { words: true });

    // Choose the case owner: a colleague, checked first, then confirmed.
    await page.click('#change-owner');
    await page.waitForSelector('h1:has-text("Who owns this EPA?")');
    await checkPage(page, 'tasks-owner', { words: true });
    await page.check('input[name="owner"][value="noor"]');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector('h1:has-text("Check your answers: choose the case owner")');
    expect(flat(await page.locator('#answers').innerText())).toContain('Noor Haddad');
    expect(flat(await page.locator('#will-be-sent').innerText())).toBe('Nothing new will be sent.');
    await checkPage(page, 'tasks-owner-check', { words: true });
    await page.click('button:has-text("Confirm the case owner")');
    await page.waitForURL(`${baseUrl}/epas/${tomas.uln}#tasks-heading`);
    expect(flat(await page.locator('.govuk-notification-banner--success').innerText())).toContain(
      'Noor Haddad is now the case owner',
    );
    expect(flat(await page.locator('#case-owner').innerText())).toMatch(/^Case owner: Noor Haddad \(since /);

    // The To handle list: the task is Noor's (visibility catches up with the memo), no longer unowned.
    await page.click('nav a:has-text("To handle")');
    await page.waitForURL(`${baseUrl}/tasks`);
    expect(flat(await page.locator('#to-handle').innerText())).toBe('Nothing to handle.'); // Amira's own: none
    await eventually(async () => {
      await page.goto(`${baseUrl}/tasks?owner=noor`);
      expect(flat(await page.locator('#to-handle').innerText())).toContain('Tomas Vellacott');
    }, 30_000);
    const row = flat(await page.locator('#to-handle').innerText());
    expect(row).toContain('Review the gateway evidence, then pass or reject it');
    expect(row).toMatch(/Due \w+day \d{1,2} \w+ \d{4}/);
    expect(row).toContain('Owner: Noor Haddad');
    await checkPage(page, 'tasks-to-handle', { words: true });
    await page.goto(`${baseUrl}/tasks?owner=none`);
    expect(flat(await page.locator('#to-handle').innerText())).toBe('Nothing to handle.');
    await page.goto(`${baseUrl}/tasks?owner=noor`);
    await page.click('#to-handle a:has-text("Tomas Vellacott")');
    await page.waitForURL(`${baseUrl}/epas/${tomas.uln}#tasks-heading`);
  },
  120_000,
);
