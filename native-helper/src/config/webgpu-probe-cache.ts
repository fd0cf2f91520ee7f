import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ProbeRun, WebGpuProbe } from '../engine/webgpu-probe';
import { webGpuProbeSchema } from '../engine/webgpu-probe';

export const WEBGPU_PROBE_FILE = 'webgpu-probe.json';

/**
 * Environment variables that change which adapters Dawn finds (the Vulkan loader's driver lists, Dawn's
 * backend choice): a probe answered under other values does not hold.
 */
const ADAPTER_ENV = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES', 'DAWN_BACKEND'] as const;

/** What a cached answer depends on: a change to any of it probes again. */
export function probeKey(onnxruntimeVersion: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform, arch = process.arch): string {
  const adapterEnv = ADAPTER_ENV.map((name) => `${name}=${env[name] ?? ''}`).join(';');
  return `onnxruntime-node ${onnxruntimeVersion}; ${platform}-${arch}; ${adapterEnv}`;
}

const cacheFileSchema = z.object({ key: z.string(), probe: webGpuProbeSchema });

async function readCached(file: string, key: string): Promise<WebGpuProbe | undefined> {
  try {
    const parsed = cacheFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success && parsed.data.key === key ? parsed.data.probe : undefined;
  } catch {
    // Missing or unreadable: probe again.
    return undefined;
  }
}

/**
 * The WebGPU probe's answer, from `<configDir>/webgpu-probe.json` when it was made under the same `key`,
 * else from a new probe, written there (through a temporary file, so two `mend` processes never read half
 * a file). Without a config folder, every call probes. A cache that cannot be written is not an error:
 * the next run probes again.
 */
export async function cachedWebGpuProbe(configDir: string | undefined, key: string, probe: () => Promise<ProbeRun>): Promise<WebGpuProbe> {
  const file = configDir ? path.join(configDir, WEBGPU_PROBE_FILE) : undefined;
  const cached = file ? await readCached(file, key) : undefined;
  if (cached) return cached;
  const run = await probe();
  if (file && run.lasting) {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(temporary, `${JSON.stringify({ key, probe: run.probe })}\n`);
      await rename(temporary, file);
    } catch {
      // A read-only config folder only costs the next run a probe.
    }
  }
  return run.probe;
}
