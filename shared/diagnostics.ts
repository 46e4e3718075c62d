/**
 * What the SMTP diagnostics report to the windows: the staged connection test, settings detection from
 * an address, and the SPF check. Plain data only, so every report crosses IPC unchanged and can be
 * shown, or copied for support, as it is. The services that produce them live in electron/services.
 */
import type { KurierErrorShape } from './errors';
import type { ConnectionSecurity } from './smtp-security';

/** The stages of a connection test. */
export const connectionTestSteps = ['dns', 'connect', 'tls', 'greeting', 'starttls', 'ehlo', 'auth', 'message'] as const;
/** One of {@link connectionTestSteps}. */
export type ConnectionTestStepName = (typeof connectionTestSteps)[number];

/** What one stage learned; plain values only, so it can cross IPC and be shown or copied for support. */
export type StepFacts = Record<string, string | number | boolean>;

/** One stage of the test. A skipped stage says why in `facts.reason`. */
export interface ConnectionTestStep {
  readonly step: ConnectionTestStepName;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly ms: number;
  readonly facts: Readonly<StepFacts>;
  readonly error?: KurierErrorShape;
}

/** Every stage in the order it ran (all eight, always); on failure, the error of the failed stage. */
export type ConnectionTestResult =
  | { readonly ok: true; readonly ms: number; readonly steps: readonly ConnectionTestStep[] }
  | {
      readonly ok: false;
      readonly ms: number;
      readonly steps: readonly ConnectionTestStep[];
      readonly failedStep: ConnectionTestStepName;
      readonly error: KurierErrorShape;
    };

/** Where a result came from. */
export type DetectionSource = 'providerTable' | 'autoconfig' | 'srv' | 'mx' | 'probe';

/** Why a step failed (as opposed to finding nothing). */
export type DetectionFailure =
  | 'httpStatus'
  | 'tooManyRedirects'
  | 'insecureRedirect'
  | 'bodyTooLarge'
  | 'invalidXml'
  | 'invalidServerData'
  | 'plaintextOnly'
  | 'dnsError'
  | 'hostNotFound'
  | 'connectionRefused'
  | 'certificateUntrusted'
  | 'tlsFailed'
  | 'unexpectedReply'
  | 'noStartTls'
  | 'networkError';

/** What one step came to. */
export type StepOutcome =
  | { readonly status: 'found' }
  | { readonly status: 'notFound' }
  | { readonly status: 'failed'; readonly reason: DetectionFailure; readonly detail?: string }
  | { readonly status: 'timedOut' };

/** One thing tried: a table lookup, a URL, a DNS name or a host:port. */
export interface DetectionStep {
  readonly source: DetectionSource;
  readonly target: string;
  readonly outcome: StepOutcome;
}

/** Settings found for the address. `host` is ASCII (punycode for an IDN). */
export interface DetectedSmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly security: ConnectionSecurity;
  readonly username: string;
  readonly source: DetectionSource;
  readonly providerId?: string;
}

/** The steps tried, in order, and the first settings found (null when nothing was). */
export interface SmtpDetection {
  readonly steps: readonly DetectionStep[];
  readonly result: DetectedSmtpSettings | null;
}

/** How the user is expected to log in, so the UI can explain what to type. */
export type AuthHint = 'appPassword' | 'oauth' | 'password';

/** Whether the sender domain's SPF record lets the chosen server send for it (RFC 7208). */
export type SpfVerdict =
  /**
   * The server may send for the domain. `mechanism` is the top-level term that matched, as written
   * without a `+` (`include:_spf.google.com`, `ip4:192.0.2.0/24`); after `redirect=`, the one that
   * matched in the record redirected to.
   */
  | { readonly kind: 'allowed'; readonly mechanism: string }
  /**
   * No address of the server passes: the qualifier of the term that matched (usually `all`), `neutral`
   * when none did, and the record that decided (the redirect target's after a `redirect=`).
   */
  | { readonly kind: 'notAllowed'; readonly qualifier: 'fail' | 'softfail' | 'neutral'; readonly record: string }
  /** The sender domain publishes no SPF record. */
  | { readonly kind: 'noRecord' }
  /**
   * No answer: a DNS failure or timeout (temperror in RFC 7208 terms), a broken or too expensive record
   * (permerror), or a server host without addresses. `detail` is for support: the term or the query.
   */
  | {
      readonly kind: 'unknown';
      readonly reason: 'dnsError' | 'timeout' | 'tooManyLookups' | 'multipleRecords' | 'invalidRecord' | 'unresolvableServer';
      readonly detail?: string;
    };

/** The SPF check of one sender domain against one server (electron/services/mail/spf-check.ts). */
export interface SpfCheck {
  /** The sender's domain, in ASCII (punycode for an IDN). */
  readonly domain: string;
  readonly serverHost: string;
  /**
   * The addresses checked: those given, the host itself for an IP literal, or the host's A and AAAA
   * records. Empty when the server was not looked up because the record already decided (no record,
   * a broken record, a DNS failure on the record) or when it has no addresses.
   */
  readonly serverAddresses: readonly string[];
  /** The sender domain's SPF record, character-strings joined; null when there is none or it could not be read. */
  readonly record: string | null;
  readonly verdict: SpfVerdict;
  /**
   * DNS-querying terms (include, a, mx, ptr, exists, redirect) counted by the evaluation reported, as
   * RFC 7208 §4.6.4 counts them. 11 means the limit of 10 was exceeded (`tooManyLookups`): evaluation
   * stops there, so the record may need more.
   */
  readonly lookups: number;
}

/** How the provider of an account expects a login, when Kurier knows the provider. */
export interface ProviderHint {
  readonly providerId: string;
  readonly displayName: string;
  readonly authHint: AuthHint;
}

/** A connection test as the windows get it: the stages, the SPF verdict, and the login cooldown. */
export interface ConnectionCheckReport {
  readonly result: ConnectionTestResult;
  readonly spf: SpfCheck | null;
  readonly provider: ProviderHint | null;
  /** Seconds before this account may log in again in a test (after failed logins); 0 when now. */
  readonly cooldownSeconds: number;
}
