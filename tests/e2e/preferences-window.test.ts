/**
 * The preferences window in its Electron size (720×820): section navigation as a landmark of links, the
 * SMTP account near the top, a Save bar that stays in view, a question before unsaved changes are lost
 * (closing or reloading), and a language saved in one window reaching every open window at once
 * (`prefs:changed`, broadcast by main and forwarded by the web shell).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { windowSize } from '../../shared/window-sizes';
import { createAppFixture } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { startTestWebShell } from '../support/web-shell-fixture';

async function start() {
  const fixture = await createAppFixture();
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser({ viewport: windowSize('userPrefs') });
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('heading', { name: 'Documents' }).waitFor();
  const open = async (button: string) => {
    const page = await openTab(context, () => documents.getByRole('button', { name: button, exact: true }).click());
    await page.getByRole('heading', { name: button, level: 1 }).waitFor();
    return page;
  };
  return { fixture, context, documents, open };
}

const saveButtonInView = (page: Page) =>
  page.getByRole('button', { name: 'Save', exact: true }).evaluate((button) => {
    const box = button.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

describe('the preferences window', () => {
  test('section links, SMTP near the top, a Save bar always in view', { timeout: 60_000 }, async () => {
    const { open } = await start();
    for (const which of ['User preferences', 'Office preferences']) {
      const page = await open(which);
      const nav = page.getByRole('navigation', { name: 'Sections' });
      const links = await nav.getByRole('link').allTextContents();
      expect(links.slice(0, which === 'User preferences' ? 3 : 2)).toContain('SMTP account for sending e-mail');
      const sections = await page
        .locator('fieldset[data-section]')
        .evaluateAll((all) => all.map((one) => one.getAttribute('data-section')));
      expect(sections.indexOf('smtp')).toBe(1);

      expect(await saveButtonInView(page)).toBe(true);
      await nav.getByRole('link', { name: 'E-mail notifications' }).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#section-notifications');
      const notifications = page.locator('#section-notifications');
      expect(await notifications.evaluate((element) => element.getBoundingClientRect().top < window.innerHeight)).toBe(true);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      expect(await saveButtonInView(page)).toBe(true);
    }
  });

  test('unsaved changes: the window says so and asks before closing; saved, it closes freely', { timeout: 60_000 }, async () => {
    const { open } = await start();
    const page = await open('Office preferences');
    const status = page.getByTestId('save-bar').getByRole('status');
    expect(await status.textContent()).toBe('Everything is saved.');
    await page.getByLabel('Office e-mail', { exact: true }).fill('kancelar@bila.example');
    expect(await status.textContent()).toBe('You have unsaved changes.');

    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    expect(await page.getByLabel('Office e-mail', { exact: true }).inputValue()).toBe('kancelar@bila.example');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Preferences saved.').waitFor();
    expect(await status.textContent()).toBe('Everything is saved.');
    const closed = page.waitForEvent('close');
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(asked).toEqual(['beforeunload']);
  });

  test('a language saved in one window reaches every open window at once', { timeout: 60_000 }, async () => {
    const { documents, open } = await start();
    const office = await open('Office preferences');
    const user = await open('User preferences');
    await user.getByRole('button', { name: 'Use my own setting – Language' }).click();
    await user.getByLabel('Language', { exact: true }).selectOption('cs');
    await user.getByRole('button', { name: 'Save', exact: true }).click();
    // No reload anywhere: each window re-renders in Czech when main says the preferences changed.
    await documents.getByRole('heading', { name: 'Doklady', level: 1 }).waitFor();
    await office.getByRole('heading', { name: 'Nastavení kanceláře', level: 1 }).waitFor();
    await user.getByRole('heading', { name: 'Uživatelské nastavení', level: 1 }).waitFor();
    expect(await documents.evaluate(() => document.documentElement.lang)).toBe('cs');
  });
});
