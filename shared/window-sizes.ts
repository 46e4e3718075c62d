/**
 * The size (CSS pixels, Electron's device-independent pixels) each Kurier window opens at. One place
 * for main, which opens the windows, and the tests that check every window state fits its window at
 * 100 % and 125 % scaling.
 */
import type { WindowSpec } from './window-query';

/** Width and height of a window's content. */
export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

/** The document list is wide (a table); every other window is a form. */
export function windowSize(kind: WindowSpec['window']): WindowSize {
  return kind === 'documents' ? { width: 1100, height: 720 } : { width: 720, height: 820 };
}
