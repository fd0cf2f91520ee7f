/** In-memory stand-in for UXP's `uxp` module (jest maps `uxp` here): storage.secureStorage, the save dialog and entrypoints. */
import type { SecureStorage } from 'uxp';
import type { SaveDialog, WritableFile } from '../../../plugin/src/host/report-file';

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

/** `localFileSystem.getFileForSaving`: the user accepts the suggested name, unless a test cancels the next dialog. */
class FakeSaveDialog implements SaveDialog {
  /** What was written, by file name. */
  readonly written = new Map<string, string>();
  private cancelNext = false;

  cancelNextDialog(): void {
    this.cancelNext = true;
  }

  async getFileForSaving(suggestedName: string, options: { types: string[] }): Promise<WritableFile | null> {
    if (options.types.some((type) => type.startsWith('.'))) throw new Error('getFileForSaving: types are extensions without the "."');
    if (this.cancelNext) {
      this.cancelNext = false;
      return null;
    }
    const written = this.written;
    return {
      name: suggestedName,
      async write(data: string) {
        written.set(suggestedName, data);
        return data.length;
      },
    };
  }
}

export const storage = { secureStorage: new FakeSecureStorage(), localFileSystem: new FakeSaveDialog() } satisfies {
  readonly secureStorage: SecureStorage;
  readonly localFileSystem: SaveDialog;
};

/** A panel's lifecycle as UXP calls it: `create` once with the panel's root node, `invokeMenu` with a flyout item's id. */
export interface FakePanel {
  create?(rootNode: HTMLElement): void | Promise<void>;
  menuItems?: ReadonlyArray<{ id: string; label: string }>;
  invokeMenu?(id: string): void | Promise<void>;
}

const registeredPanels = new Map<string, FakePanel>();

/** `require('uxp').host`: the application and its version. */
export const host = { name: 'Photoshop (fake)', version: '25.0.0' } as const;

/** `entrypoints.setup`: keeps the panels the plugin registers, for a test to create them as Photoshop would. */

export const entrypoints = {
  setup(definition: { panels: Record<string, FakePanel> }): void {
    if (registeredPanels.size) throw new Error('entrypoints.setup may be called only once per plugin');
    for (const [id, panel] of Object.entries(definition.panels)) registeredPanels.set(id, panel);
  },
};

/** The panel registered under `id`, as the manifest's entry point names it. */
export function registeredPanel(id: string): FakePanel | undefined {
  return registeredPanels.get(id);
}
