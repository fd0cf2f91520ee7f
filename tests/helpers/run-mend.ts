import { createApp } from '../../native-helper/src/app';
import type { CliIo } from '../../native-helper/src/cli/cli-io';
import { runCli } from '../../native-helper/src/cli/main';

/** Runs `mend <argv>` in this process on the CPU with its config folder at `configDir`; resolves with the exit code and what it printed. */
export async function runMend(configDir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: { MEND_CONFIG_DIR: configDir, MEND_PROVIDER: 'cpu' },
    createApp,
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
