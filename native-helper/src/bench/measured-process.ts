import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { parseInput } from '../parse-input';

/**
 * A process's peak resident memory so far (VmHWM), from /proc on Linux; null elsewhere or once
 * the process is gone.
 */
export function peakRssOf(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface ProcessRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Highest VmHWM read while it ran (every `SAMPLE_MS`); null where /proc is not there. */
  sampledPeakRssBytes: number | null;
}

const SAMPLE_MS = 50;

/**
 * Runs a program to its end and times it from spawn to exit. For programs that cannot report
 * their own peak memory, VmHWM is sampled while they run: it only grows, so the last reading is
 * the peak up to `SAMPLE_MS` before exit.
 */
export function runMeasured(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 3_600_000): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let peak: number | null = null;
    const sample = () => {
      const now = child.pid === undefined ? null : peakRssOf(child.pid);
      if (now !== null) peak = Math.max(peak ?? 0, now);
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearInterval(sampler);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - started;
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({ exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), wallMs, sampledPeakRssBytes: peak });
    });
    // A process shorter than one interval still gets one reading.
    child.on('spawn', sample);
  });
}

/** What `mend upscale --json` reports that the bench reads: success, the failure's message, its own peak RSS. */
export const cliSummarySchema = z.object({
  ok: z.boolean(),
  peakRssBytes: z.number().optional(),
  results: z.array(z.object({ error: z.object({ message: z.string() }).optional() })).optional(),
});

/**
 * The last line of a program's stdout that is JSON, read as `schema` describes it (refused with what is
 * wrong otherwise); undefined when no line is JSON.
 */
export function lastJsonLine<T>(stdout: string, schema: z.ZodType<T>, what: string): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // not JSON: progress or log output
    }
    return parseInput(value, schema, what);
  }
  return undefined;
}
