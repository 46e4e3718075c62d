import type { RawInputOf } from '../shared/contract';
import { kurier } from './kurier';

/**
 * Opens another Kurier window. Electron opens a real window; the web shell answers with an address,
 * which becomes a new browser tab.
 */
export async function openWindow(spec: RawInputOf<'windows:open'>): Promise<void> {
  const result = await kurier.windows.open(spec);
  if (result.ok && !result.value.opened) window.open(result.value.url, '_blank', 'noopener');
}
