import { Command, CommanderError } from 'commander';
import { createApp } from '../app';
import { MendError } from '../errors';
import { HELPER_VERSION } from '../package-info';
import { addBenchCommand } from './bench-command';
import type { CliIo } from './cli-io';
import { addEvalCommand } from './eval-command';
import { EXIT, EXIT_CODES_HELP, exitCodeFor, type SetExitCode } from './exit-codes';
import { addInpaintCommand, addRepairCommand, addRestoreCommand, addUpscaleCommand } from './image-commands';
import { addFacesCommand } from './faces-command';
import { addInfoCommand } from './info-command';
import { addModelsCommand } from './models-command';
import { addRestoreFacesCommand } from './restore-faces-command';
import { addServeCommand } from './serve-command';
import { addServiceCommand } from './service-command';

function buildProgram(io: CliIo, setExit: SetExitCode): Command {
  const program = new Command('mend')
    .description('Mend: local AI photo restoration and upscaling (helper for the Photoshop panel, and a CLI for batch work)')
    .version(HELPER_VERSION)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(run `mend --help` for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  addUpscaleCommand(program, io, setExit);
  addRestoreCommand(program, io, setExit);
  addInpaintCommand(program, io, setExit);
  addRepairCommand(program, io, setExit);
  addFacesCommand(program, io, setExit);
  addModelsCommand(program, io, setExit);
  addRestoreFacesCommand(program, io, setExit);
  addEvalCommand(program, io, setExit);
  addBenchCommand(program, io, setExit);
  addInfoCommand(program, io, setExit);
  addServeCommand(program, io, setExit);
  addServiceCommand(program, io, setExit);
  return program;
}

/** Runs the CLI; resolves to the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof MendError ? error.message : ((error as Error)?.message ?? String(error));
    io.stderr.write(`mend: ${message}\n`);
    if (io.env.MEND_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  createApp,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

/** Entry point of the `mend` bin. */
export function main(argv: string[]): void {
  // `mend models | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  void runCli(argv, processIo).then((code) => {
    process.exitCode = code;
  });
}
