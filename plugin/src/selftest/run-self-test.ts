import type { HelperApi } from '../ui/helper-connection';
import type { Host } from '../workflows/host';
import type { SelfTestCheck, SelfTestReport } from './report';

/**
 * STUB, to be replaced by the self-test itself (scratch documents, every host call, a helper round trip).
 * Until then the panel's "Run self-test" says so instead of pretending to pass.
 */
export async function runSelfTest(_deps: { host: Host; helper: HelperApi | undefined }, _onCheck: (check: SelfTestCheck) => void): Promise<SelfTestReport> {
  throw new Error('The self-test is not part of this build yet.');
}
