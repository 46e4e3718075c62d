/**
 * Kurier's help links: the only fixed pages it opens in the system browser. The README sends offices to
 * the same pages (a Google app password; registering a sign-in app with Microsoft Entra or Google
 * Cloud). Anything else a window asks to open is refused, except the consent page of a sign-in in
 * progress and `mailto:` drafts (see `external:open` in the contract).
 */
export const helpLinks: readonly string[] = [
  'https://myaccount.google.com/apppasswords',
  'https://entra.microsoft.com/',
  'https://console.cloud.google.com/',
];
