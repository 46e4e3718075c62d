/**
 * The watched-folder section of the office preferences in Chromium through the web shell: choosing a
 * company's folder and an auto-send type by keyboard-reachable controls, and the folder being watched at
 * once (its imported/ and rejected/ sub-folders appear) and remembered when the window opens again.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

describe.skipIf(!keyringAvailable)('watched folder preferences', () => {
  test('a company gets a watched folder and auto-sends payslips', { timeout: 60_000 }, async () => {
    const fixture = await createAppFixture();
    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('heading', { name: 'Documents' }).waitFor();
    const open = async () => {
      const page = await openTab(context, () => documents.getByRole('button', { name: 'Office preferences' }).click());
      await page.getByRole('heading', { name: 'Watched folder' }).waitFor();
      return page;
    };
    const folder = path.join(await tempDir('kurier-inbox-e2e-'), 'zasobnik');
    const page = await open();
    const company = page.getByLabel('Company', { exact: true });
    const chosen = await company.locator('option').first().textContent();
    await company.selectOption({ label: chosen ?? '' });
    await page.getByLabel('Folder the accounting program exports into').fill(folder);
    await page.getByRole('checkbox', { name: 'Payslip' }).check();
    await page.getByRole('button', { name: 'Save the watched folder' }).click();
    await page.getByText(`Saved: ${folder}`).waitFor();
    expect(existsSync(path.join(folder, 'imported'))).toBe(true);
    expect(existsSync(path.join(folder, 'rejected'))).toBe(true);
    await page.close();

    const again = await open();
    await again.getByLabel('Company', { exact: true }).selectOption({ label: chosen ?? '' });
    await expect.poll(() => again.getByLabel('Folder the accounting program exports into').inputValue()).toBe(folder);
    expect(await again.getByRole('checkbox', { name: 'Payslip' }).isChecked()).toBe(true);
    expect(await again.getByRole('checkbox', { name: 'Invoice', exact: true }).isChecked()).toBe(false);
  });
});
