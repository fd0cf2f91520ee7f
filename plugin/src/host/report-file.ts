import { storage } from 'uxp';
import type { ReportDestinations } from '../selftest/report';

/**
 * The file a save dialog answers, as UXP documents `File.write` (UTF-8 text by default):
 * https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/modules/uxp/persistent-file-storage/file/
 */
export interface WritableFile {
  readonly name: string;
  write(data: string): Promise<unknown>;
}

/**
 * `require('uxp').storage.localFileSystem`'s save dialog: it resolves with null when the user cancels, and
 * `types` are extensions without the dot. Needs `requiredPermissions.localFileSystem: "request"` (manifest v5).
 * https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/modules/uxp/persistent-file-storage/file-system-provider/
 */
export interface SaveDialog {
  getFileForSaving(suggestedName: string, options: { types: string[] }): Promise<WritableFile | null>;
}

/**
 * UXP's `navigator.clipboard`: `setContent` keyed by MIME type is UXP's own call, `writeText` came with UXP 6.
 * Needs `requiredPermissions.clipboard` (manifest v5).
 * https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/global-members/data-transfers/clipboard/
 */
interface UxpClipboard {
  setContent?(data: { 'text/plain': string }): Promise<unknown>;
  writeText?(text: string): Promise<unknown>;
}

/**
 * Copies and saves the self-test report. Each call is looked up when used, because what UXP offers differs
 * between Photoshop versions: a missing one is reported in words that point to the other way out.
 */
export function createReportDestinations(): ReportDestinations {
  return {
    async copy(text) {
      const clipboard = (globalThis.navigator as { clipboard?: UxpClipboard } | undefined)?.clipboard;
      if (clipboard?.setContent) await clipboard.setContent({ 'text/plain': text });
      else if (clipboard?.writeText) await clipboard.writeText(text);
      else throw new Error('This Photoshop gives plugins no clipboard (navigator.clipboard has neither setContent nor writeText). Use “Save report…” instead.');
    },
    async save(suggestedName, text) {
      // uxp.d.ts types only secureStorage; the save dialog is looked up as possibly missing.
      const dialog = (storage as { localFileSystem?: Partial<SaveDialog> }).localFileSystem;
      if (!dialog?.getFileForSaving)
        throw new Error('This Photoshop gives plugins no save dialog (storage.localFileSystem.getFileForSaving is missing). Use “Copy report” instead.');
      const file = await dialog.getFileForSaving(suggestedName, { types: ['txt'] });
      if (!file) return undefined;
      await file.write(text);
      return file.name;
    },
  };
}
