import { CancelledError, MendError } from '../errors';

/** Exit codes are part of the CLI contract: scripts tell usage, input and runtime failures apart. */
export const EXIT = {
  ok: 0,
  runtime: 1,
  usage: 2,
  input: 3,
  modelMissing: 4,
  cancelled: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    runtime failure (the model or the machine failed)
  2    bad usage (unknown option, missing argument, bad value)
  3    bad input (unreadable image, output exists without --overwrite)
  4    model missing (unknown id, or not built: run \`mend models prepare\`)
  130  cancelled (Ctrl+C); nothing is left behind`;

export function exitCodeFor(error: unknown): number {
  if (error instanceof CancelledError) return EXIT.cancelled;
  if (!(error instanceof MendError)) return EXIT.runtime;
  switch (error.code) {
    case 'bad_usage':
      return EXIT.usage;
    case 'bad_input':
    case 'output_exists':
      return EXIT.input;
    case 'model_missing':
      return EXIT.modelMissing;
    default:
      return EXIT.runtime;
  }
}

/** How a command's action hands its exit code to `runCli`. */
export type SetExitCode = (code: number) => void;
