import { kurier } from './kurier';

/**
 * Opens a sign-in page, a help page or a mailto draft outside Kurier. Main decides whether the address
 * may be opened at all (`external.notAllowed` otherwise): Electron opens it in the system browser; the
 * web shell answers `opened: false`, and the browser showing Kurier opens it in a new tab.
 */
export async function openExternal(url: string): Promise<Awaited<ReturnType<typeof kurier.external.open>>> {
  const result = await kurier.external.open({ url });
  if (result.ok && !result.value.opened) window.open(url, '_blank', 'noopener,noreferrer');
  return result;
}
