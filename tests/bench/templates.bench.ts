/**
 * The template check and rendering on long runs of spaces after `{{` (the input that made the old
 * regular expression backtrack quadratically). Reported, never asserted: the times should grow about
 * tenfold from 20,000 to 200,000 spaces, not a hundredfold.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate, unknownPlaceholders, type PlaceholderValues } from '../../shared/templates';
import { measure, record, startResults } from './measure';

const values = { number: 'FV-2026-0042' } as unknown as PlaceholderValues;

startResults('Template check on hostile input');

describe('template check', () => {
  it('checks and renders {{ followed by 20,000 and 200,000 spaces', async () => {
    for (const count of [20_000, 200_000]) {
      const unclosed = `{{${' '.repeat(count)}`;
      const padded = `{{${' '.repeat(count)}number${' '.repeat(count)}}}`;
      record(
        await measure(`check \`{{\` + ${count.toLocaleString('en')} spaces`, 20, () =>
          Promise.resolve(unknownPlaceholders(unclosed)),
        ),
      );
      record(
        await measure(`render \`{{ number }}\` padded with 2 × ${count.toLocaleString('en')} spaces`, 20, () =>
          Promise.resolve(renderTemplate({ subject: '', body: padded }, values)),
        ),
      );
    }
    expect(unknownPlaceholders('{{')).toEqual(['{{']);
  }, 300_000);
});
