/**
 * @jest-environment jsdom
 *
 * The self-test report as a tester attaches it to a bug, and how it reaches the clipboard or a file in UXP.
 */
import { createReportDestinations } from '../../../plugin/src/host/report-file';
import { formatReport, reportFileName, summaryLine, type SelfTestReport } from '../../../plugin/src/selftest/report';
import { storage } from '../../fakes/photoshop/uxp';

const REPORT: SelfTestReport = {
  startedAt: '2025-03-04T05:06:07.000Z',
  photoshopVersion: '26.1.0',
  pluginVersion: '0.1.0',
  helperVersion: '0.1.0',
  checks: [
    { name: 'read layer (8-bit RGB)', passed: true, ms: 12.4 },
    { name: 'write pixels (16-bit RGB)', passed: false, error: 'putPixels failed:\n  the image data is 8-bit', ms: 7 },
    { name: 'close scratch documents', passed: true, ms: 3 },
  ],
};

describe('the self-test report', () => {
  it('is one line per check with the exact error, the versions first and "N passed, M failed" last', () => {
    expect(formatReport(REPORT).split('\n')).toEqual([
      'Mend self-test, 2025-03-04T05:06:07.000Z',
      'Photoshop 26.1.0 · Mend plugin 0.1.0 · helper 0.1.0',
      '',
      'PASS  read layer (8-bit RGB) (12 ms)',
      'FAIL  write pixels (16-bit RGB) (7 ms): putPixels failed: | the image data is 8-bit',
      'PASS  close scratch documents (3 ms)',
      '',
      '2 passed, 1 failed',
    ]);
    expect(summaryLine(REPORT)).toBe('2 passed, 1 failed');
  });

  it('says when the helper was not reached', () => {
    expect(formatReport({ ...REPORT, helperVersion: undefined }).split('\n')[1]).toBe('Photoshop 26.1.0 · Mend plugin 0.1.0 · helper not reached');
  });

  it('is saved under a name that says what it is and when, valid on Windows', () => {
    expect(reportFileName(REPORT)).toBe('mend-self-test-2025-03-04T05-06-07.txt');
  });
});

describe('copying and saving it in UXP', () => {
  const destinations = createReportDestinations();
  const setClipboard = (clipboard: object | undefined) => Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
  afterEach(() => {
    setClipboard(undefined);
    jest.restoreAllMocks();
  });

  /** Methods that need their object, as the browser's do ("Illegal invocation" when called unbound). */
  class UxpClipboard {
    readonly copied: unknown[] = [];
    async setContent(data: object) {
      this.copied.push(data);
    }
  }
  class ClipboardWithWriteTextOnly {
    readonly copied: unknown[] = [];
    async writeText(text: string) {
      this.copied.push(text);
    }
  }

  it("copies with UXP's clipboard.setContent as text/plain", async () => {
    const clipboard = new UxpClipboard();
    setClipboard(clipboard);
    await destinations.copy('report');
    expect(clipboard.copied).toEqual([{ 'text/plain': 'report' }]);
  });

  it('copies with writeText where setContent is missing', async () => {
    const clipboard = new ClipboardWithWriteTextOnly();
    setClipboard(clipboard);
    await destinations.copy('report');
    expect(clipboard.copied).toEqual(['report']);
  });

  it('says to save instead when there is no clipboard', async () => {
    await expect(destinations.copy('report')).rejects.toThrow(/no clipboard.*Use “Save report…” instead/);
  });

  it('writes the text to the file picked in the save dialog, offering .txt', async () => {
    const getFileForSaving = jest.spyOn(storage.localFileSystem, 'getFileForSaving');
    expect(await destinations.save('mend-self-test.txt', 'report')).toBe('mend-self-test.txt');
    expect(getFileForSaving).toHaveBeenCalledWith('mend-self-test.txt', { types: ['txt'] });
    expect(storage.localFileSystem.written.get('mend-self-test.txt')).toBe('report');
  });

  it('answers nothing when the user cancels the dialog', async () => {
    storage.localFileSystem.cancelNextDialog();
    expect(await destinations.save('cancelled.txt', 'report')).toBeUndefined();
    expect(storage.localFileSystem.written.has('cancelled.txt')).toBe(false);
  });

  it('says to copy instead when this UXP has no save dialog', async () => {
    jest.replaceProperty(storage, 'localFileSystem', undefined as unknown as typeof storage.localFileSystem);
    await expect(destinations.save('mend-self-test.txt', 'report')).rejects.toThrow(/no save dialog.*Use “Copy report” instead/);
  });
});
