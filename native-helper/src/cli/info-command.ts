import type { Command } from 'commander';
import { configDir } from '../config/config-dir';
import { HELPER_VERSION } from '../package-info';
import { modelCacheDir } from '../app';
import type { WebGpuProbe } from '../engine/webgpu-probe';
import type { CliIo } from './cli-io';
import { providerOption } from './command-options';
import { EXIT, type SetExitCode } from './exit-codes';

export function addInfoCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('info')
    .description('show the execution provider in use, and why a GPU is not used')
    .addOption(providerOption())
    .option('--json', 'print JSON')
    .action(async (flags: { provider?: string; json?: boolean }) => setExit(await showInfo(flags, io)));
}

/** The WebGPU adapter by name where the platform reports it, and whether Mend chooses it unforced. */
export function webgpuLine(probe: WebGpuProbe): string {
  const adapter = probe.adapter ? `adapter "${probe.adapter}"` : probe.usable ? 'an adapter (its name is not reported on this platform)' : 'no adapter';
  if (probe.usable) return adapter;
  if (probe.cpuAdapter) return `${adapter}, a CPU implementation: used only with --provider webgpu`;
  return `${adapter} (${probe.reason ?? 'unusable'})`;
}

/** `mend info [--json]`: version, execution provider in use (and why not a GPU), folders, model readiness. */
export async function showInfo(flags: { provider?: string; json?: boolean }, io: CliIo): Promise<number> {
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  try {
    const engine = await app.engineInfo();
    const models = await app.listModels();
    const info = {
      version: HELPER_VERSION,
      provider: engine.provider,
      fallbackReason: engine.fallbackReason,
      availableProviders: engine.available,
      webgpu: engine.webgpu,
      configDir: configDir(io.env),
      modelCache: modelCacheDir(),
      modelsReady: models.filter((m) => m.status === 'ready').length,
      models: models.length,
    };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(info)}\n`);
      return EXIT.ok;
    }
    io.stdout.write(
      [
        `Mend helper ${info.version}`,
        `Provider:   ${info.provider}${info.fallbackReason ? ` (GPU not used: ${info.fallbackReason})` : ''}`,
        `Available:  ${info.availableProviders.join(', ')}`,
        ...(info.webgpu ? [`WebGPU:     ${webgpuLine(info.webgpu)}`] : []),
        `Models:     ${info.modelsReady} of ${info.models} ready (${info.modelCache})`,
        `Config:     ${info.configDir}`,
      ].join('\n') + '\n',
    );
    return EXIT.ok;
  } finally {
    await app.close();
  }
}
