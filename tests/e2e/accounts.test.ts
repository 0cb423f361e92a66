/**
 * Accounts in the browser (headless Chromium, Debian's chromium driven by playwright-core): an admin
 * adds a colleague on the accounts page, the colleague signs in with the password shown once, the
 * admin disables them, and they are signed out and can no longer sign in. The accounts and their
 * audit list are the real file adapters. Every page passes axe-core (WCAG 2.2 AA), does not scroll
 * sideways at 390 pixels, and is photographed at 1280 and 390 pixels into test-artifacts/.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApi } from '../../src/api/server';
import { EpaClient } from '../../src/app/epa-client';
import { addUser } from '../../src/app/users';
import { FileAccountAudit } from '../../src/store/account-audit';
import { FileUserStore } from '../../src/store/user-store';
import { browserTest, checkPage, focusedId, haveChromium, launchChromium } from '../support/browser';
import { FakeListings } from '../support/fake-epa-service';

const ADMIN_PASSWORD = 'a long admin password';

let api: FastifyInstance;
let browser: Browser | undefined;
let baseUrl: string;
let audit: FileAccountAudit;

beforeAll(async () => {
  if (!haveChromium) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epa-accounts-'));
  const users = new FileUserStore(path.join(dir, 'users.json'));
  audit = new FileAccountAudit(path.join(dir, 'account-changes.jsonl'));
  await addUser(users, { username: 'amira', name: 'Amira Sollen', role: 'admin', password: ADMIN_PASSWORD });
  api = buildApi({
    // The accounts pages never ask Temporal (the client connects lazily); the finder lists from an empty fake.
    epa: new EpaClient(new Client()),
    listings: new FakeListings([]),
    adminTokens: ['admin-token-for-the-accounts-test'],
    opsTokens: [],
    users,
    accountAudit: audit,
    sessionSecret: 'a-session-secret-for-the-accounts-test-0123456789',
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
});

const check = (page: Page, name: string) => checkPage(page, `accounts-${name}`);

browserTest(
  'an admin adds a colleague, the colleague signs in, the admin disables them, and they can no longer sign in',
  async () => {
    const adminContext = await browser!.newContext();
    const admin = await adminContext.newPage();
    await admin.goto(`${baseUrl}/accounts`);
    expect(admin.url()).toBe(`${baseUrl}/login?returnTo=%2Faccounts`);
    await admin.fill('#username', 'amira');
    await admin.fill('#password', ADMIN_PASSWORD);
    await admin.click('button:has-text("Sign in")');
    await admin.waitForURL(`${baseUrl}/accounts`);
    expect(await admin.locator('h1').innerText()).toBe('Accounts');
    await check(admin, 'list');

    // Add Sam: the form's problems all at once, then the check page, then the password shown once.
    await admin.click('a:has-text("Add an account")');
    await admin.waitForURL(`${baseUrl}/accounts/new`);
    await check(admin, 'new');
    await admin.fill('#username', 'Sam Okafor');
    await admin.click('button:has-text("Continue")');
    // (allInnerTexts does not wait: the page with the summary must have loaded first.)
    await admin.waitForSelector('.govuk-error-summary');
    expect(await admin.locator('.govuk-error-summary__list li').allInnerTexts()).toEqual([
      'Enter the person’s full name',
      expect.stringMatching(/^Enter a username of 2 to 40 characters/),
      'Choose a role',
    ]);
    await check(admin, 'new-errors');
    await admin.fill('#name', 'Sam Okafor');
    await admin.fill('#username', 'sam.okafor');
    await admin.check('#role');
    await admin.click('button:has-text("Continue")');
    expect(await admin.locator('h1').innerText()).toBe('Check the new account');
    expect(await admin.locator('.govuk-summary-list').innerText()).toContain('sam.okafor');
    await check(admin, 'new-check');
    await admin.click('button:has-text("Add account")');
    expect(await admin.locator('h1').innerText()).toBe('Account added for Sam Okafor');
    const password = await admin.locator('#new-password').innerText();
    expect(password.length).toBeGreaterThanOrEqual(20);
    await check(admin, 'added');

    // Sam signs in with it, in a browser of their own.
    const samContext = await browser!.newContext();
    const sam = await samContext.newPage();
    await sam.goto(`${baseUrl}/login`);
    await sam.fill('#username', 'sam.okafor');
    await sam.fill('#password', password);
    await sam.click('button:has-text("Sign in")');
    await sam.waitForURL(`${baseUrl}/epas`);
    expect(await sam.locator('.govuk-service-navigation').innerText()).toContain('Sign out Sam Okafor');
    // Ops: no Accounts link, and the page itself says why not.
    expect(await sam.locator('a[href="/accounts"]').count()).toBe(0);
    await sam.goto(`${baseUrl}/accounts`);
    expect(await sam.locator('h1').innerText()).toBe('You cannot do that');
    expect(await sam.locator('main').innerText()).toContain('Only admins can see and change staff accounts.');
    await check(sam, 'forbidden');

    // Amira disables Sam: a check page, then the list with a banner that has the focus.
    await admin.click('a:has-text("Back to accounts")');
    await admin.waitForURL(`${baseUrl}/accounts`);
    await admin.click('[data-account="sam.okafor"] a[href="/accounts/sam.okafor/disable"]');
    expect(await admin.locator('h1').innerText()).toBe('Disable Sam Okafor’s account?');
    await check(admin, 'disable-check');
    await admin.click('button:has-text("Disable account")');
    await admin.waitForURL(`${baseUrl}/accounts`);
    expect(await admin.locator('.govuk-notification-banner').innerText()).toContain(
      'Sam Okafor’s account is disabled: they have been signed out everywhere',
    );
    expect(await focusedId(admin)).toBe('account-changed');
    expect(await admin.locator('[data-account="sam.okafor"]').innerText()).toContain('Disabled: cannot sign in');
    expect(await admin.locator('.epa-changes li').allInnerTexts()).toEqual([
      expect.stringMatching(/Amira Sollen disabled Sam Okafor \(sam\.okafor\): signed out everywhere$/),
      expect.stringMatching(/Amira Sollen added Sam Okafor \(sam\.okafor\) as ops, with a generated password$/),
    ]);
    await check(admin, 'disabled');

    // Sam is signed out at their next click, and cannot sign in again.
    await sam.goto(`${baseUrl}/epas`);
    expect(sam.url()).toBe(`${baseUrl}/login?returnTo=%2Fepas`);
    await sam.fill('#username', 'sam.okafor');
    await sam.fill('#password', password);
    await sam.click('button:has-text("Sign in")');
    expect(await sam.locator('.govuk-error-summary').innerText()).toContain('Enter a correct username and password');

    // The audit list on file holds who, when, what and to whom: never the password.
    const changes = await audit.recent(10);
    expect(changes.map((c) => [c.by.name, c.change, c.account.username])).toEqual([
      ['Amira Sollen', 'disabled', 'sam.okafor'],
      ['Amira Sollen', 'added', 'sam.okafor'],
    ]);
    expect(JSON.stringify(changes)).not.toContain(password);
    await samContext.close();
    await adminContext.close();
  },
);
