/**
 * One WebSocket of the web shell: each text frame is one call `{ id, channel, input }`, answered with
 * `{ id, result }`. No frame can take the process down: a frame over the size limit or with invalid
 * UTF-8 closes this socket with the close code RFC 6455 gives for it (1009, 1007 — ws emits an `error`
 * then, which without a listener was an uncaught exception that ended the whole shell and every batch
 * it was sending), a frame that is not JSON or is binary closes it with 1003, and JSON that is not a
 * call object (`null`, `[]`, `42`) is answered with `input.invalid`.
 */
import type { WebSocket } from 'ws';
import type { Result } from '../../shared/errors';
import { dispatch, type Handlers } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';

/**
 * The largest frame accepted; bigger ones close the socket with 1009. The largest call is a company
 * logo (at most 1 MiB, shared/company-profile.ts) as Base64: about 1.34 MiB with its envelope.
 */
export const maxFrameBytes = 1.5 * 1024 * 1024;

/** Serves calls on `ws` until it closes. */
export function serveCalls(ws: WebSocket, handlers: Handlers, log: Logger): void {
  ws.on('error', (error) => {
    // ws has already closed the socket with the fitting code; this only has to be heard.
    log.warn('socketError', { error });
  });
  ws.on('message', (data, isBinary) => {
    const call = parseCall(data, isBinary);
    if (call === 'unreadable') {
      ws.close(1003, 'not json');
      return;
    }
    if (call === null) {
      send(ws, log, -1, { ok: false, error: { code: 'input.invalid', details: { _: 'notACall' } } });
      return;
    }
    const id = typeof call.id === 'number' ? call.id : -1;
    void dispatch(handlers, call.channel, call.input, log).then((result) => {
      send(ws, log, id, result);
    });
  });
}

function parseCall(data: unknown, isBinary: boolean): { id?: unknown; channel?: unknown; input?: unknown } | 'unreadable' | null {
  if (isBinary || !Buffer.isBuffer(data)) return 'unreadable';
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    return 'unreadable';
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

function send(ws: WebSocket, log: Logger, id: number, result: Result<unknown>): void {
  let frame: string;
  try {
    frame = JSON.stringify({ id, result });
  } catch (error) {
    // A handler returned something JSON cannot carry (a BigInt, a cycle): report it, do not throw.
    log.error('answerNotSerialisable', { error });
    frame = JSON.stringify({ id, result: { ok: false, error: { code: 'internal.unexpected', details: {} } } });
  }
  ws.send(frame, (error) => {
    if (error) log.info('answerNotSent', { error });
  });
}
