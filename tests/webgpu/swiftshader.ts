import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';

/** Debian's chromium-common ships SwiftShader's Vulkan driver: a software GPU Dawn accepts (Mesa's lavapipe lacks a feature it needs). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * `.ci/run` sets MEND_WEBGPU_TIER=required: there the tier must run, and a missing driver fails it. Elsewhere
 * a machine without chromium-common skips it, saying so in the suite's name.
 */
export function swiftShaderSkipReason(): string | undefined {
  if (existsSync(SWIFTSHADER_ICD)) return undefined;
  if (process.env.MEND_WEBGPU_TIER === 'required') throw new Error(`${SWIFTSHADER_ICD} is missing: install chromium-common (.ci/run does)`);
  return `skipped: ${SWIFTSHADER_ICD} is missing (install chromium-common to run the webgpu tier)`;
}

/** `describe` where SwiftShader is installed; elsewhere a skipped suite whose name says why. */
export function describeOnSwiftShader(name: string, body: () => void): void {
  const skip = swiftShaderSkipReason();
  if (skip) describe.skip(`${name} (${skip})`, body);
  else describe(name, body);
}

export interface ModelComparison {
  /** Max abs difference of the WebGPU outputs from the CPU's, over max(1, the CPU output's largest magnitude). */
  maxDiff: number;
  cpuMs: number;
  webgpuMs: number;
  provider: string;
}

export type Check =
  | { kind: 'model'; file: string; side: number; range: number }
  | { kind: 'unforced'; file: string; io: { input: string; output: string; extraInputs?: string[] }; side: number }
  | { kind: 'missing-op' };

export const modelFile = (name: string) => path.join(modelCacheDir(), `${name}.onnx`);

/** Runs a check in a child process whose Vulkan loader sees SwiftShader alone (or `icd`), and answers its result. */
export function runCheck<T>(check: Check, icd = SWIFTSHADER_ICD): Promise<T> {
  const script = path.join(__dirname, 'run-on-webgpu.ts');
  const env = { ...process.env, VK_ICD_FILENAMES: icd };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(check)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const answer = JSON.parse(last) as { ok: true; result: T } | { ok: false; error: string };
        if (answer.ok) resolve(answer.result);
        else reject(new Error(answer.error));
      } catch {
        reject(new Error(`the check's process ended (${signal ?? code}) without an answer; stderr:\n${stderr.slice(-2000)}`));
      }
    });
  });
}
