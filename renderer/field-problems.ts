import type { KurierErrorShape } from '../shared/errors';

/**
 * Main reports invalid input as `input.invalid` with details `field path → message key`; this turns
 * that into a lookup for the form, returning nothing for any other error.
 */
export function fieldProblems(error: KurierErrorShape | null): { readonly of: (field: string) => string | undefined; readonly count: number } {
  const details = error?.code === 'input.invalid' ? error.details : {};
  return {
    of: (field) => {
      const value = details[field];
      return typeof value === 'string' ? value : undefined;
    },
    count: Object.keys(details).length,
  };
}
