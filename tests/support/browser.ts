/**
 * The staff pages in headless Chromium (Debian's chromium driven by playwright-core), as the
 * browser tests share it: the browser, the test that needs it, and one check per page (axe-core at
 * WCAG 2.2 AA, no sideways scrolling at 390 px, screenshots at 1280 and 390 px into test-artifacts/,
 * and optionally no code words in the visible text).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium (scripts/install-system-deps.sh)`);
/** `test` where Chromium is installed; skipped (never in CI) where it is not. */
export const browserTest = haveChromium ? test : test.skip;

export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/** What a person reads must be words (outside `data-verbatim` elements): no camelCase key, event type name, SHOUTED code or ISO date-time. */
export const CODE_WORDS: [string, RegExp][] = [
  ['a camelCase key', /\b[a-z]+[A-Z][A-Za-z]*(\.[a-z]\w*)?\b/],
  ['an event type name', /\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/],
  ['a SHOUTED code', /\b[A-Z]{5,}\b/],
  ['an ISO date-time', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
];

/**
 * No axe violations at WCAG 2.2 AA (at the first of `widths`); with `words`, no code words in the
 * visible text; no sideways scrolling and a screenshot `<name>-<width>.png` at each of `widths`
 * (default 1280 and 390 px); the page is left at the first width.
 */
export async function checkPage(
  page: Page,
  name: string,
  options: { words?: boolean; widths?: readonly number[] } = {},
): Promise<void> {
  const widths = options.widths ?? [1280, 390];
  await page.setViewportSize({ width: widths[0]!, height: 900 });
  // Legacy mode: axe runs in the page itself (the pages have no frames), not through a blank page of its own per
  // check, which took two to three times as long.
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .setLegacyMode()
    .analyze();
  expect([name, results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)]).toEqual([name, []]);
  if (options.words) {
    // A secret shown once (a generated password) is verbatim, not words: random letters can look like a key.
    const verbatim = await page.locator('[data-verbatim]').allInnerTexts();
    const text = verbatim.reduce((t, v) => t.split(v).join(' '), await page.locator('body').innerText());
    const found = CODE_WORDS.flatMap(([what, re]) => {
      const m = re.exec(text);
      return m ? [`${what}: "${m[0]}" in "${text.slice(Math.max(0, m.index - 40), m.index + 40)}"`] : [];
    });
    expect([name, found]).toEqual([name, []]);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const sideways = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
        .document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect([name, width, sideways]).toEqual([name, width, 0]);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  if (widths.length > 1) await page.setViewportSize({ width: widths[0]!, height: 900 });
}

/** The id (else the class) of the element that has the focus. */
export const focusedId = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { id: string; className: string } | null } }).document
      .activeElement;
    return el ? el.id || el.className : '';
  });
