/** In-memory stand-in for UXP's `uxp` module (jest maps `uxp` here): only storage.secureStorage. */
import type { SecureStorage } from 'uxp';

class FakeSecureStorage implements SecureStorage {
  readonly items = new Map<string, Uint8Array>();

  async setItem(key: string, value: string | ArrayBuffer | Uint8Array): Promise<void> {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value.slice(0));
    if (bytes.length === 0) throw new Error('secureStorage.setItem: the value is empty');
    this.items.set(key, bytes);
  }

  /** UXP does not document what a missing key gives; the fake takes the harsher reading and rejects. */
  async getItem(key: string): Promise<Uint8Array> {
    const bytes = this.items.get(key);
    if (!bytes) throw new Error(`secureStorage.getItem: no item "${key}"`);
    return bytes.slice();
  }

  async removeItem(key: string): Promise<void> {
    if (!this.items.delete(key)) throw new Error(`secureStorage.removeItem: no item "${key}"`);
  }
}

export const storage = { secureStorage: new FakeSecureStorage() } satisfies { readonly secureStorage: SecureStorage };
