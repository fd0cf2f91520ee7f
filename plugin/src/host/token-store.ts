import { storage } from 'uxp';
import type { TokenStore } from '../workflows/host';

const TOKEN_KEY = 'mend.helper-token';

/**
 * The helper's token in UXP secure storage. The token is stored as its ASCII bytes rather than as a string:
 * UXP hands every item back as a Uint8Array and does not document which encoding a stored string gets.
 */
export function createTokenStore(): TokenStore {
  const secureStorage = storage.secureStorage;

  return {
    async load(): Promise<string | undefined> {
      let stored: Uint8Array | null | undefined;
      try {
        stored = await secureStorage.getItem(TOKEN_KEY);
      } catch {
        // UXP documents secure storage as a cache that can lose items (reinstall, damaged keys): an item that
        // cannot be read counts as absent, and the panel pairs again.
        return undefined;
      }
      if (!stored || stored.length === 0) return undefined;
      return String.fromCharCode(...stored);
    },
    async save(token: string): Promise<void> {
      if (!/^[\x21-\x7e]+$/.test(token)) throw new Error('The helper token must be printable ASCII without spaces.');
      await secureStorage.setItem(
        TOKEN_KEY,
        Uint8Array.from(token, (character) => character.charCodeAt(0)),
      );
    },
  };
}
