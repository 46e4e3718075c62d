/**
 * axe-core in a page driven by playwright-core: the engine's source is evaluated in the page (through the
 * DevTools protocol, so the renderer's strict CSP does not block it), then every rule axe runs by
 * default — WCAG 2.x A/AA and best practices, including colour contrast and label/name mismatches —
 * checks the page as it is on screen. A violation fails the test with the rule, its help text and the
 * offending nodes, so the report says what to fix.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

interface Finding {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

/** Runs axe on the whole page and returns its violations, each with the nodes it found. */
export async function axeViolations(page: Page): Promise<Finding[]> {
  const installed = await page.evaluate(() => 'axe' in window);
  if (!installed) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const engine = (window as unknown as { axe: typeof axe }).axe;
    const results = await engine.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
    }));
  });
}

/** Fails with a readable list when axe finds any violation in the page; `label` names the window state. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  const report = violations.map(
    (violation) =>
      `${label}: ${violation.id} (${violation.help}), ${String(violation.nodes.length)} node(s):\n` +
      violation.nodes.map((node) => `  ${node.target}\n    ${node.summary.replaceAll('\n', '\n    ')}`).join('\n'),
  );
  // Soft: the test goes on to the next window state, so one run lists every state with a violation.
  expect.soft(report.join('\n'), `axe-core found violations in ${label}`).toBe('');
}
