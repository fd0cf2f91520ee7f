import { DEFAULT_PORT } from '../protocol';
import { configDir } from '../config/config-dir';
import { startServer } from '../server/server';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';

/** `mend serve [--port N]`: the helper the Photoshop panel talks to; runs until Ctrl+C. */
export async function serve(flags: { port?: number; provider?: string }, io: CliIo): Promise<number> {
  const log = (message: string) => io.stderr.write(`[mend] ${message}\n`);
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env), log });
  const server = await startServer(app, { port: flags.port ?? DEFAULT_PORT, configDir: configDir(io.env), log }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const engine = await app.engineInfo();
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
  await server.close();
  await app.close();
  return EXIT.ok;
}
