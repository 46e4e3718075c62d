import type { KurierErrorShape } from '../shared/errors';
import { catalogs } from '../shared/i18n';

/**
 * Main reports invalid input as `input.invalid` with details `field path → message key`; this turns
 * that into a lookup for the form, returning nothing for any other error. Only details whose value names
 * a field message (`fields.*`) count as marked fields: `{ _: 'untrustedSender' }` or
 * `{ field: 'filePath' }` mark nothing on screen, so "1 field needs fixing" must not be said for them.
 */
export function fieldProblems(error: KurierErrorShape | null): {
  readonly of: (field: string) => string | undefined;
  readonly count: number;
} {
  const details = error?.code === 'input.invalid' ? error.details : {};
  const marked = Object.entries(details).filter(
    ([field, value]) => field !== '_' && typeof value === 'string' && Object.hasOwn(catalogs.en.fields, value),
  );
  return {
    of: (field) => {
      const value = details[field];
      return typeof value === 'string' ? value : undefined;
    },
    count: marked.length,
  };
}
