/**
 * Debian's Chromium driven by playwright-core, for end-to-end tests against the web shell. Each call
 * gives the current test its own browser and a fresh context (no cookies or storage shared between
 * tests); both are closed when the test finishes.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';

/** Where Debian's `chromium` package installs the browser (CI installs it). */
export const chromiumPath = '/usr/bin/chromium';

// Headless, and quiet: nothing but our loopback server should be contacted during a test.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

/** A launched browser with the test's own context. */
export interface TestBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
}

/** How a test's context is set up: viewport and the colour scheme the pages see (`prefers-color-scheme`). */
export interface TestBrowserOptions {
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
  /** Device pixels per CSS pixel (1.25: Windows at 125 % scaling). */
  readonly deviceScaleFactor?: number;
  /**
   * Lets the test read what a page holds despite the renderer's CSP (e.g. fetch a `blob:` PDF the page
   * opened in a tab, which `connect-src 'self'` forbids); the app's own pages never need it.
   */
  readonly bypassCSP?: boolean;
}

/** Launches Chromium and opens a fresh context (viewport 1100×900, light scheme unless told otherwise). */
export async function launchTestBrowser(options: TestBrowserOptions = {}): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}; end-to-end tests need it (apt-get install chromium).`);
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  onTestFinished(() => browser.close());
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1100, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.deviceScaleFactor ? { deviceScaleFactor: options.deviceScaleFactor } : {}),
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  onTestFinished(() => context.close());
  return { browser, context };
}

/** Clicks a control that opens another Kurier window (a new tab in the web shell) and returns the tab. */
export async function openTab(context: BrowserContext, click: () => Promise<void>): Promise<Page> {
  const [page] = await Promise.all([context.waitForEvent('page'), click()]);
  await page.waitForLoadState('domcontentloaded');
  return page;
}

const screenshotDir = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/**
 * Saves a README screenshot, only when KURIER_SCREENSHOTS=1, so a CI run leaves the tree clean. The whole
 * page by default; `{ fullPage: false }` keeps what the window shows (a modal dialog over a long list).
 */
export async function screenshot(page: Page, name: string, options: { readonly fullPage?: boolean } = {}): Promise<void> {
  if (process.env.KURIER_SCREENSHOTS !== '1') return;
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({
    path: path.join(screenshotDir, name),
    fullPage: options.fullPage ?? true,
    animations: 'disabled',
    caret: 'hide',
  });
}

/** Like {@link screenshot}, for one part of a page (a section of a long window). */
export async function screenshotOf(locator: Locator, name: string): Promise<void> {
  if (process.env.KURIER_SCREENSHOTS !== '1') return;
  await mkdir(screenshotDir, { recursive: true });
  await locator.screenshot({ path: path.join(screenshotDir, name), animations: 'disabled', caret: 'hide' });
}
