/**
 * The slice of UXP's `uxp` module that Mend uses, as UXP documents it
 * (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/Modules/uxp/Key-Value%20Storage/SecureStorage/).
 *
 * @adobe/cc-ext-uxp-types is not referenced: it also declares browser globals (fetch, document, WebSocket, a
 * `fs` module) that would override the DOM and Node types of the whole program, and it puts `secureStorage`
 * at the module's top level while UXP serves it as `require('uxp').storage.secureStorage`.
 */
declare module 'uxp' {
  export interface SecureStorage {
    /** Rejects when the value is empty or could not be stored. */
    setItem(key: string, value: string | ArrayBuffer | Uint8Array): Promise<void>;
    getItem(key: string): Promise<Uint8Array | null | undefined>;
    /** Rejects when the key is not found. */
    removeItem(key: string): Promise<void>;
  }

  export const storage: { readonly secureStorage: SecureStorage };

  /** The application the plugin runs in (UXP's `host` module), e.g. { name: 'Photoshop', version: '26.1.0' }. */
  export const host: { readonly name: string; readonly version: string };
}
