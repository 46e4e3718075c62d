import { ksefNumberChecksum } from '../../shared/imports';

/**
 * A made-up KSeF number a test types: `NIP-YYYYMMDD-XXXXXXXXXXXX` with the check part Kurier expects
 * appended (the CRC-8 itself is pinned to the ministry's examples in tests/unit/shared/ksef-number.test.ts).
 */
export function withKsefChecksum(first32: string): string {
  if (first32.length !== 32) throw new RangeError(`A KSeF number without its check part has 32 characters: ${first32}`);
  return `${first32}-${ksefNumberChecksum(first32)}`;
}
