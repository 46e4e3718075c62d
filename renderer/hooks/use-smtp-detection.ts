import { useState } from 'react';
import type { SmtpDetection } from '../../shared/diagnostics';
import type { KurierErrorShape } from '../../shared/errors';
import type { SmtpAccount } from '../../shared/prefs';
import { useKurier } from './use-kurier';

/** What detection found, merged into the form. */
export type FoundSettings = Pick<SmtpAccount, 'host' | 'port' | 'security' | 'username'>;

/** The state of a detection run, and how to start one. */
export interface DetectionState {
  readonly busy: boolean;
  readonly detection: SmtpDetection | null;
  readonly error: KurierErrorShape | null;
  run(address: string): Promise<void>;
}

/** Asks main to detect the server for an address; what is found goes to `onFound`. */
export function useSmtpDetection(onFound: (found: FoundSettings) => void): DetectionState {
  const kurier = useKurier();
  const [busy, setBusy] = useState(false);
  const [detection, setDetection] = useState<SmtpDetection | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const run = async (address: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setDetection(null);
    const result = await kurier.smtp.detect({ address });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDetection(result.value);
    const found = result.value.result;
    if (found) onFound({ host: found.host, port: found.port, security: found.security, username: found.username });
  };
  return { busy, detection, error, run };
}
