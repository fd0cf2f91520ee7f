import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { writeFileAtomic } from '../codecs/atomic-write';
import { configDir } from '../config/config-dir';
import { readPairingCode } from '../config/pairing-code';
import { MendError, messageOf } from '../errors';
import { IS_RELEASE, PACKAGE_ROOT } from '../package-info';
import { serviceDefinition, type ServiceDefinition } from '../service/service-definition';
import type { CliIo } from './cli-io';
import { EXIT, type SetExitCode } from './exit-codes';

const execFileAsync = promisify(execFile);

/** Runs one command of a service definition (systemctl, launchctl, wscript), with what it printed on failure. */
async function runCommand([program, ...args]: string[]): Promise<void> {
  try {
    await execFileAsync(program, args);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(stderr || messageOf(error));
  }
}

/**
 * The command that starts this helper: the release's launcher beside its runtime, or in a checkout this Node
 * runtime on the built bin (the service then needs the checkout where it is).
 */
export function helperCommand(platform: NodeJS.Platform = process.platform): string[] {
  if (IS_RELEASE) return [path.join(PACKAGE_ROOT, platform === 'win32' ? 'mend.cmd' : 'mend'), 'serve'];
  return [process.execPath, path.join(PACKAGE_ROOT, 'native-helper', 'bin', 'mend.js'), 'serve'];
}

function definitionFor(io: CliIo): ServiceDefinition {
  const home = io.env.HOME ?? io.env.USERPROFILE ?? os.homedir();
  return serviceDefinition({ platform: process.platform, home, env: io.env, command: helperCommand(), uid: process.getuid?.() ?? 0 });
}

const shellLine = (command: string[]) => command.map((word) => (/^[\w./:=@-]+$/.test(word) ? word : `"${word}"`)).join(' ');

interface ServiceFlags {
  start?: boolean;
  stop?: boolean;
  json?: boolean;
}

/** `mend service install`: writes the login service's file and (unless --no-start) loads it, which starts the helper now too. */
async function install(flags: ServiceFlags, io: CliIo, run: (command: string[]) => Promise<void>): Promise<number> {
  const service = definitionFor(io);
  if (service.logDir) await mkdir(service.logDir, { recursive: true });
  await writeFileAtomic(service.file, async () => new TextEncoder().encode(service.content), true);
  const started = flags.start !== false;
  if (started) {
    // An older copy may be loaded: unloaded first so the new file is the one that runs.
    for (const command of service.stop) await run(command).catch(() => undefined);
    for (const command of service.start) {
      await run(command).catch((error: unknown) => {
        throw new MendError('runtime', `wrote ${service.file}, but \`${shellLine(command)}\` failed: ${messageOf(error)}`);
      });
    }
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ kind: service.kind, file: service.file, started, start: service.start, logs: service.logs })}\n`);
    return EXIT.ok;
  }
  const next = started
    ? 'The helper runs now and at every login. Pair the panel with the code `mend service pairing-code` prints.'
    : `It starts at the next login; to start it now: ${service.start.map(shellLine).join(' && ')}`;
  io.stdout.write(`Installed the ${service.kind} ${service.file}\n${next}\nIts output: ${service.logs}\nRemove it with \`mend service uninstall\`.\n`);
  return EXIT.ok;
}

/** `mend service uninstall`: stops and unloads the login service (unless --no-stop) and removes its file. */
async function uninstall(flags: ServiceFlags, io: CliIo, run: (command: string[]) => Promise<void>): Promise<number> {
  const service = definitionFor(io);
  const stopping = flags.stop !== false;
  // Not loaded (never installed, or already stopped) is no failure.
  if (stopping) for (const command of service.stop) await run(command).catch(() => undefined);
  await rm(service.file, { force: true });
  if (stopping) for (const command of service.afterRemove) await run(command).catch(() => undefined);
  if (flags.json) io.stdout.write(`${JSON.stringify({ kind: service.kind, file: service.file, stopped: stopping && service.stop.length > 0 })}\n`);
  else io.stdout.write(`Removed the ${service.kind} ${service.file}; the helper no longer starts at login.${service.stopNote ? ` ${service.stopNote}` : ''}\n`);
  return EXIT.ok;
}

/** `mend service install|uninstall|pairing-code`: the helper as a login service. */
export function addServiceCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const run = io.runCommand ?? runCommand;
  const service = program.command('service').description('start the helper at login: a systemd user unit on Linux, a LaunchAgent on macOS, a Startup folder entry on Windows');
  service
    .command('install')
    .description('write the login service for this helper and start it now')
    .option('--no-start', 'only write the file; the helper starts at the next login')
    .option('--json', 'print {kind, file, started, start, logs} as JSON')
    .action(async (flags: ServiceFlags) => setExit(await install(flags, io, run)));
  service
    .command('uninstall')
    .description('stop the login service and remove its file')
    .option('--no-stop', 'only remove the file')
    .option('--json', 'print {kind, file, stopped} as JSON')
    .action(async (flags: ServiceFlags) => setExit(await uninstall(flags, io, run)));
  service
    .command('pairing-code')
    .description("print the pairing code of the helper running now (a login service's output is not on a terminal)")
    .action(async () => {
      const code = await readPairingCode(configDir(io.env));
      if (!code) throw new MendError('runtime', 'no helper is running (start it with `mend serve` or `mend service install`)');
      io.stdout.write(`${code}\n`);
      setExit(EXIT.ok);
    });
}
