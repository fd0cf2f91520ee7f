import type { ReportDestinations, SelfTestCheck, SelfTestReport } from '../selftest/report';
import type { Host, TokenStore } from '../workflows/host';
import type { HelperApi, PollIntervals } from './helper-connection';
import type { PanelMenu } from './panel-menu';

/** What the panel is given by its entry point (Photoshop's) or by a test (fakes). */
export interface PanelServices {
  host: Host;
  tokens: TokenStore;
  /** A helper client carrying this token (none before pairing). */
  connect(token: string | undefined): HelperApi;
  /** Runs the self-test over `host` and the connected helper (none when not connected), reporting each check as it ends. */
  runSelfTest(deps: { host: Host; helper: HelperApi | undefined }, onCheck: (check: SelfTestCheck) => void): Promise<SelfTestReport>;
  /** Where "Copy report" and "Save report…" send the self-test's report. */
  reportFile: ReportDestinations;
  /** The flyout menu's choices ("Run self-test"). */
  menu: PanelMenu;
  pollMs?: PollIntervals;
}
