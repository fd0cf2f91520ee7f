import { randomInt } from 'node:crypto';

export const PAIRING_ATTEMPTS = 5;

/**
 * The one-step hand-off of the token to the panel: `mend serve` prints a 6-digit code, the panel
 * sends it once and keeps the token. Wrong guesses are counted; after a few the code stops working
 * until the helper restarts, so it cannot be brute-forced.
 */
export class Pairing {
  readonly code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  private failures = 0;

  /** True when `code` is right and pairing is still open. */
  attempt(code: string): boolean {
    if (this.failures >= PAIRING_ATTEMPTS) return false;
    if (code === this.code) return true;
    this.failures++;
    return false;
  }

  get closed(): boolean {
    return this.failures >= PAIRING_ATTEMPTS;
  }
}
