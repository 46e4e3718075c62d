/**
 * The one wrapper every call goes through, in Electron and in the web shell alike: check the channel,
 * parse the input with the contract's schema, call the handler, and return a Result. Nothing is thrown
 * across the boundary; unexpected exceptions are logged and reported as `internal.unexpected`.
 */
import type { z } from 'zod';
import { contract, type Channel, type InputOf, type OutputOf } from '../../shared/contract';
import { KurierError, type Result } from '../../shared/errors';
import type { Logger } from '../services/logging/logger';

/** One handler per channel, receiving validated input. */
export type Handlers = {
  readonly [C in Channel]: (input: InputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;
};

/** True when `value` names a channel of the contract. */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}

/** Field path → message key, for the form to mark each bad field. */
export function issuesToDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '_';
    // Our schemas give every check a message key (`invalidAddress`, `lineBreak`…); zod's own
    // English sentences, where no key was set, become the generic `invalid`.
    details[field] ??= /^[a-zA-Z]+$/.test(issue.message) ? issue.message : 'invalid';
  }
  return details;
}

/** Validates and runs one call. */
export async function dispatch(handlers: Handlers, channel: unknown, input: unknown, logger: Logger): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    logger.warn('unknownChannel', { channel: String(channel).slice(0, 64) });
    return { ok: false, error: { code: 'input.invalid', details: { _: 'unknownChannel' } } };
  }
  const parsed = contract[channel].input.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: { code: 'input.invalid', details: issuesToDetails(parsed.error) } };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof KurierError) {
      logger.info('callFailed', { channel, code: error.code, cause: error.cause });
      return { ok: false, error: error.toShape() };
    }
    logger.error('callCrashed', { channel, error });
    return { ok: false, error: { code: 'internal.unexpected', details: {} } };
  }
}
