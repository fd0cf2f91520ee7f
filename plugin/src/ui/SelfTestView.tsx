import { useState } from 'react';
import { formatReport, reportFileName, summaryLine, type ReportDestinations, type SelfTestCheck, type SelfTestReport } from '../selftest/report';
import type { PanelError } from './error-message';
import { ErrorDetails } from './ErrorDetails';

/** A self-test as the panel shows it: checks arrive one by one while it runs. */
export type SelfTestRun =
  | { phase: 'running'; checks: SelfTestCheck[] }
  | { phase: 'done'; checks: SelfTestCheck[]; report: SelfTestReport }
  /** It threw before it could report: the checks so far, and why. */
  | { phase: 'stopped'; checks: SelfTestCheck[]; error: PanelError };

function CheckLine({ check }: { check: SelfTestCheck }) {
  return (
    <div className={check.passed ? 'check passed' : 'check failed'} role="listitem">
      <sp-body size="S">
        {check.passed ? '✓' : '✗'} {check.name} · {Math.round(check.ms)} ms
      </sp-body>
      {check.error !== undefined && (
        <div className="check-error">
          <sp-body size="S">{check.error}</sp-body>
        </div>
      )}
    </div>
  );
}

/** What "Run self-test" shows: each check live with its exact error, the summary, and the report to copy or save. */
export function SelfTestView({ run, reportFile, onClose }: { run: SelfTestRun; reportFile: ReportDestinations; onClose(): void }) {
  const [outcome, setOutcome] = useState<{ message: string; failed: boolean }>();

  async function send(report: SelfTestReport, how: 'copy' | 'save') {
    setOutcome(undefined);
    const text = formatReport(report);
    try {
      if (how === 'copy') {
        await reportFile.copy(text);
        setOutcome({ message: 'Report copied to the clipboard.', failed: false });
      } else {
        const saved = await reportFile.save(reportFileName(report), text);
        if (saved !== undefined) setOutcome({ message: `Report saved as ${saved}.`, failed: false });
      }
    } catch (caught) {
      setOutcome({ message: caught instanceof Error ? caught.message : String(caught), failed: true });
    }
  }

  return (
    <div role="region" aria-label="Self-test" className="self-test">
      <sp-heading size="XS">Self-test</sp-heading>
      <sp-body size="S">Opens scratch documents, makes every Photoshop call Mend makes and a round trip through the helper, then closes them without saving.</sp-body>
      <div role="list" aria-label="Checks">
        {run.checks.map((check, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: checks are only ever appended, and names repeat (one "Close a scratch document" per document)
          <CheckLine key={index} check={check} />
        ))}
      </div>
      {run.phase === 'running' && <sp-body role="status">Running…</sp-body>}
      {run.phase === 'done' && <sp-body role="status">{summaryLine(run.report)}</sp-body>}
      {run.phase === 'stopped' && (
        <div role="alert" className="error">
          <sp-body>The self-test stopped: {run.error.message}</sp-body>
          <ErrorDetails details={run.error.details} />
        </div>
      )}
      <div className="actions">
        {run.phase === 'done' && (
          <>
            <sp-button variant="secondary" onClick={() => void send(run.report, 'copy')}>
              Copy report
            </sp-button>
            <sp-button variant="secondary" onClick={() => void send(run.report, 'save')}>
              Save report…
            </sp-button>
          </>
        )}
        <sp-button variant="secondary" disabled={run.phase === 'running' ? true : undefined} onClick={onClose}>
          Close
        </sp-button>
      </div>
      {outcome && <sp-body role={outcome.failed ? 'alert' : 'note'}>{outcome.message}</sp-body>}
    </div>
  );
}
