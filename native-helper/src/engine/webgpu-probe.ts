import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { messageOf } from '../errors';

/**
 * What a probe of onnxruntime's WebGPU provider found: whether the engine may choose it unforced, the
 * adapter's name where the platform reports it, and why not when it may not. Cached in the config folder.
 */
export const webGpuProbeSchema = z.object({
  usable: z.boolean(),
  /** The adapter's name (Linux: the Vulkan device Dawn opened); absent where nothing reports it. */
  adapter: z.string().optional(),
  /** The adapter is a CPU implementation (SwiftShader, llvmpipe, WARP): slower than the CPU provider. */
  cpuAdapter: z.boolean(),
  /** The adapter ran an fp16 model (WebGPU's `shader-f16`): fp16 variants may run on it. */
  shaderF16: z.boolean().optional(),
  reason: z.string().optional(),
});
export type WebGpuProbe = z.infer<typeof webGpuProbeSchema>;

/** What the probe's child process prints on stdout, as one JSON line. */
export const probeChildAnswerSchema = z.union([z.object({ ok: z.literal(true), shaderF16: z.boolean().optional() }), z.object({ ok: z.literal(false), reason: z.string() })]);
export type ProbeChildAnswer = z.infer<typeof probeChildAnswerSchema>;

/**
 * Vulkan devices implemented on the CPU, by the names their drivers report (SwiftShader's "SwiftShader Device
 * (Subzero)", Mesa's "llvmpipe (LLVM 15.0.6, 256 bits)" under lavapipe, softpipe) and D3D12's WARP ("Microsoft
 * Basic Render Driver"). onnxruntime-node does not expose the adapter's type, so its name is all there is.
 */
const CPU_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

export function isCpuAdapterName(name: string): boolean {
  return CPU_ADAPTER.test(name);
}

/**
 * The Vulkan loader, asked to (`VK_LOADER_DEBUG=driver`), names the device it creates for Dawn on stderr:
 * `Using "SwiftShader Device (Subzero)" with driver: "/usr/lib/chromium/./libvk_swiftshader.so"`. That is
 * the adapter's name on Linux; onnxruntime logs nothing of the adapter (1.30: only "WebGPU EP Context is created").
 */
export function adapterNameIn(stderr: string): string | undefined {
  const names = [...stderr.matchAll(/Using "([^"\n]+)" with driver: "/g)].map((m) => m[1]);
  return names.at(-1);
}

/**
 * onnxruntime's messages start with a source location; the user needs the sentence after it. A failed run
 * names the node first and ends with the check that failed (after a C++ signature): both ends are kept.
 */
export function sentenceOf(text: string): string {
  const sentence = text.indexOf('Failed');
  const kept = (sentence >= 0 ? text.slice(sentence) : text).trim();
  return kept.length <= 200 ? kept : `${kept.slice(0, 80)} … ${kept.slice(-120)}`;
}

/** The probe's verdict from what its child process printed and how it ended (undefined: no answer line). */
export function readProbe(answer: ProbeChildAnswer | undefined, stderr: string, ended: string): WebGpuProbe {
  const adapter = adapterNameIn(stderr);
  const cpuAdapter = adapter !== undefined && isCpuAdapterName(adapter);
  if (!answer) return { usable: false, adapter, cpuAdapter, reason: `the WebGPU probe ${ended} without an answer` };
  if (!answer.ok) return { usable: false, adapter, cpuAdapter, reason: sentenceOf(answer.reason) };
  const { shaderF16 } = answer;
  if (cpuAdapter) return { usable: false, adapter, cpuAdapter, shaderF16, reason: `the WebGPU adapter "${adapter}" runs on the CPU, slower than the CPU provider` };
  return { usable: true, adapter, cpuAdapter, shaderF16 };
}

/** The last line of stdout that is a probe answer; the child prints nothing else there, native code might. */
export function answerIn(stdout: string): ProbeChildAnswer | undefined {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const parsed = probeChildAnswerSchema.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: native output, skipped.
    }
  }
  return undefined;
}

/**
 * The built child script. From the sources (jest) the built copy is used as well, as for the CPU workers:
 * `npm test` builds first.
 */
const PROBE_CHILD = path.join(__dirname, '..', '..', 'dist', 'engine', 'webgpu-probe-child.js');

/** Long enough for Dawn to start on a busy machine; a probe that hangs must not hang `mend`. */
const PROBE_TIMEOUT_MS = 60_000;

export interface ProbeRun {
  probe: WebGpuProbe;
  /** A probe cut short (timeout, signal) says nothing lasting and is not cached. */
  lasting: boolean;
}

/**
 * Opens and runs a one-convolution model on onnxruntime's WebGPU provider in a child process whose stdout
 * and stderr are captured: Dawn and the Vulkan loader write to the process's stderr from native code
 * ("XDG_RUNTIME_DIR is invalid", "Vulkan shaderUniform*ArrayDynamicIndexing required"), which no
 * JavaScript can silence in-process, and none of it is the user's business.
 */
export function runWebGpuProbe(env: NodeJS.ProcessEnv = process.env, child = PROBE_CHILD): Promise<ProbeRun> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child], { env: { ...env, VK_LOADER_DEBUG: 'driver' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    proc.once('error', (error) => resolve({ probe: { usable: false, cpuAdapter: false, reason: `the WebGPU probe could not start: ${messageOf(error)}` }, lasting: false }));
    proc.once('close', (code, signal) => {
      const ended = signal ? `was stopped (${signal})` : `ended (exit code ${code})`;
      const answer = answerIn(stdout);
      // A crash after the answer (Dawn at exit) leaves the answer standing, and a crash before it (a native
      // fault in Dawn) would recur; the timeout's SIGTERM, or a script that did not run, may not.
      const crashed = signal !== null && signal !== 'SIGTERM';
      resolve({ probe: readProbe(answer, stderr, ended), lasting: answer !== undefined || crashed });
    });
  });
}
