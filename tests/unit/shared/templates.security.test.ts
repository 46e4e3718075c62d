/**
 * The template check and rendering on hostile input: long runs of white space after `{{`, which made
 * the old regular expression backtrack over every split of the run (quadratic: `{{` and 20,000 spaces
 * took 0.67 s, 200,000 spaces minutes). Only results are asserted here; `npm run bench` reports times.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateSchema, unknownPlaceholders, type PlaceholderValues } from '../../../shared/templates';

const values = { number: 'FV-2026-0042', amount: '12 100,00 Kč' } as unknown as PlaceholderValues;

describe.each([20_000, 200_000])('a template with %i spaces inside braces', (count) => {
  const spaces = ' '.repeat(count);

  it('reports an unclosed {{ as a stray fragment', () => {
    expect(unknownPlaceholders(`{{${spaces}`)).toEqual(['{{']);
    expect(unknownPlaceholders(`Faktura {{${spaces}number`)).toEqual(['{{']);
    expect(unknownPlaceholders(`{{${spaces}{{${spaces}`)).toEqual(['{{']);
  });

  it('still finds a well-formed placeholder padded with the spaces, known or not', () => {
    expect(unknownPlaceholders(`{{${spaces}number${spaces}}}`)).toEqual([]);
    expect(unknownPlaceholders(`{{${spaces}numbr${spaces}}}`)).toEqual(['numbr']);
  });

  it('renders the padded placeholder and leaves the unclosed one as typed', () => {
    const { body } = renderTemplate({ subject: '', body: `Faktura {{${spaces}number${spaces}}} {{${spaces}` }, values);
    expect(body).toBe(`Faktura FV-2026-0042 {{${spaces}`);
  });

  it('refuses the template in the schema', () => {
    const result = templateSchema.safeParse({ subject: 'Faktura', body: `{{${spaces}`.slice(0, 20_000) });
    expect(result.success).toBe(false);
  });
});
