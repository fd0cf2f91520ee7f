import type { Command } from 'commander';
import { DEFAULT_PORT } from '../protocol';
import { configDir } from '../config/config-dir';
import { removePairingCode, writePairingCode } from '../config/pairing-code';
import type { CliIo } from './cli-io';
import { integer, providerOption } from './command-options';
import { EXIT, type SetExitCode } from './exit-codes';

export function addServeCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('serve')
    .description(`run the helper for the Photoshop panel on 127.0.0.1 (default port ${DEFAULT_PORT})`)
    .option('--port <N>', 'port to listen on', integer('--port', 1, 65535))
    .addOption(providerOption())
    .action(async (flags: { port?: number; provider?: string }) => setExit(await serve(flags, io)));
}

/** `mend serve [--port N]`: the helper the Photoshop panel talks to; runs until Ctrl+C. */
export async function serve(flags: { port?: number; provider?: string }, io: CliIo): Promise<number> {
  const log = (message: string) => io.stderr.write(`[mend] ${message}\n`);
  // Loaded when serving: every `mend upscale` would otherwise pay at start for fastify.
  const { startServer } = await import('../server/server');
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env), log });
  const server = await startServer(app, { port: flags.port ?? DEFAULT_PORT, configDir: configDir(io.env), log }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const engine = await app.engineInfo();
  // The server made the config folder (its token lives there).
  await writePairingCode(configDir(io.env), server.pairingCode);
  io.stdout.write(
    [
      `Mend helper listening on ${server.url} (provider: ${engine.provider})`,
      `Pairing code: ${server.pairingCode}  (enter it once in the Mend panel in Photoshop)`,
      'Press Ctrl+C to stop.',
    ].join('\n') + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = io.onInterrupt(() => {
      stop();
      resolve();
    });
  });
  io.stderr.write('stopping…\n');
  await removePairingCode(configDir(io.env));
  await server.close();
  await app.close();
  return EXIT.ok;
}
