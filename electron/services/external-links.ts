/**
 * What Kurier may open in the system browser. A window (a compromised renderer, or a link in a value
 * shown on screen) must not be able to send the user to any address it likes: only the consent page of
 * a sign-in this process started, Kurier's fixed help links, and `mailto:` drafts pass.
 */
import { helpLinks } from '../../shared/external-links';

/** Decides whether `url` may be opened; `isPendingAuthorizeUrl` is the OAuth service's check. */
export function externalUrlPolicy(isPendingAuthorizeUrl: (url: string) => boolean): (url: string) => boolean {
  return (url) => {
    if (!URL.canParse(url)) return false;
    const parsed = new URL(url);
    if (parsed.protocol === 'mailto:') return true;
    // Compared after parsing, so `https://entra.microsoft.com.evil.example/` or a user-info trick fails.
    if (parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && helpLinks.includes(parsed.href))
      return true;
    return isPendingAuthorizeUrl(url);
  };
}
