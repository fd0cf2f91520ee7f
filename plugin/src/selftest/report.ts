/** One check of the self-test: what was exercised, whether it worked, and the exact error when not. */
export interface SelfTestCheck {
  name: string;
  passed: boolean;
  error?: string;
  ms: number;
}

/** A self-test run, as a tester attaches it to a bug report. */
export interface SelfTestReport {
  startedAt: string;
  photoshopVersion: string;
  pluginVersion: string;
  /** Absent when the helper was not reachable. */
  helperVersion?: string;
  checks: SelfTestCheck[];
}

/** Where a report can go: the clipboard or a file the user picks (Photoshop's, or a stand-in in tests). */
export interface ReportDestinations {
  copy(text: string): Promise<void>;
  /** Resolves with the saved file's name, or undefined when the user cancelled the save dialog. */
  save(suggestedName: string, text: string): Promise<string | undefined>;
}

/** "N passed, M failed" */
export function summaryLine(report: SelfTestReport): string {
  const passed = report.checks.filter((check) => check.passed).length;
  return `${passed} passed, ${report.checks.length - passed} failed`;
}

/** One line per check (a multi-line error is joined with " | "), so a failure reads the same in a bug report as in the panel. */
function formatCheck(check: SelfTestCheck): string {
  const error = check.error === undefined ? '' : `: ${check.error.trim().replace(/\s*\n\s*/g, ' | ')}`;
  return `${check.passed ? 'PASS' : 'FAIL'}  ${check.name} (${Math.round(check.ms)} ms)${error}`;
}

/** The report as plain text: versions first, one line per check, and the summary as the last line. */
export function formatReport(report: SelfTestReport): string {
  return [
    `Mend self-test, ${report.startedAt}`,
    `Photoshop ${report.photoshopVersion} · Mend plugin ${report.pluginVersion} · helper ${report.helperVersion ?? 'not reached'}`,
    '',
    ...report.checks.map(formatCheck),
    '',
    summaryLine(report),
  ].join('\n');
}

/** A file name that sorts by date and says what it is, e.g. "mend-self-test-2025-01-31T10-20-00.txt". */
export function reportFileName(report: SelfTestReport): string {
  return `mend-self-test-${report.startedAt.slice(0, 19).replace(/:/g, '-')}.txt`;
}
