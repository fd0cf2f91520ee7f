import type { AppOptions, MendApp } from '../app';

/** What the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  createApp(options: AppOptions): Promise<MendApp>;
  /** Registers a handler for Ctrl+C / termination; returns the unregister. */
  onInterrupt(handler: () => void): () => void;
}
