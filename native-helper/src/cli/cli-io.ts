import type { AppOptions, MendApp } from '../app';

/** What the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  createApp(options: AppOptions): Promise<MendApp>;
  /** Registers a handler for Ctrl+C / termination; returns the unregister. */
  onInterrupt(handler: () => void): () => void;
  /** Runs a system program (`mend service`: systemctl, launchctl, wscript) and rejects with its stderr; the real one when absent. Tests record the commands instead. */
  runCommand?(command: string[]): Promise<void>;
}
