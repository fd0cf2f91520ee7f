import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { probeKey, WEBGPU_PROBE_FILE } from '../../native-helper/src/config/webgpu-probe-cache';
import { ONNXRUNTIME_VERSION } from '../../native-helper/src/engine/engine';
import { describeOnSwiftShader, modelFile, runCheck, SWIFTSHADER_ICD } from './swiftshader';

const BIN = path.join(__dirname, '..', '..', 'native-helper', 'bin', 'mend.js');

interface UnforcedRun {
  opened: string;
  provider: string;
  status?: { provider: string; fallbackReason?: string };
  maxDiff: number;
}

describeOnSwiftShader('code paths only GPUs take, on SwiftShader', () => {
  // SwiftShader allows 12 storage buffers per shader; the push-pull inpainter's 12-way Split needs 13: a run fails on the adapter.
  it('a run that fails on WebGPU (an adapter limit, as a lost device would) continues on the CPU with the reason in the status', async () => {
    const run = await runCheck<UnforcedRun>({ kind: 'unforced', file: modelFile('classical-pushpull'), io: { input: 'image', output: 'output', extraInputs: ['mask'] }, side: 16 });
    expect(run.opened).toBe('webgpu');
    expect(run.provider).toBe('cpu');
    expect(run.status?.provider).toBe('cpu');
    expect(run.status?.fallbackReason).toMatch(/^webgpu failed during a run: .*storage buffers/);
    expect(run.maxDiff).toBe(0);
  }, 300_000);

  it('a provider that fails to start (no Vulkan driver at all) hands the model to the CPU, saying why', async () => {
    const run = await runCheck<UnforcedRun>({ kind: 'unforced', file: modelFile('identity'), io: { input: 'input', output: 'output' }, side: 8 }, '/nonexistent/icd.json');
    expect([run.opened, run.provider]).toEqual(['cpu', 'cpu']);
    expect(run.status?.fallbackReason).toMatch(/^webgpu unavailable: Failed to get a WebGPU adapter/);
  }, 300_000);

  it('an op the WebGPU provider has no kernel for (Det) runs on the CPU inside a WebGPU session, with the same answer', async () => {
    const { maxDiff } = await runCheck<{ maxDiff: number }>({ kind: 'missing-op' });
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  }, 300_000);

  it('mend inpaint, left to choose on a "GPU" (SwiftShader, passed off as one by its cached probe), says on stderr that the failed run continues on the CPU', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'mend-gpu-fallback-'));
    try {
      const config = path.join(work, 'config');
      const env: NodeJS.ProcessEnv = { ...process.env, MEND_CONFIG_DIR: config, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
      delete env.MEND_PROVIDER;
      mkdirSync(config, { recursive: true });
      const gpu = { usable: true, adapter: 'A GPU, for this test', cpuAdapter: false, shaderF16: false };
      writeFileSync(path.join(config, WEBGPU_PROBE_FILE), JSON.stringify({ key: probeKey(ONNXRUNTIME_VERSION, env), probe: gpu }));
      const input = path.join(work, 'in.png');
      const mask = path.join(work, 'mask.png');
      await sharp(Buffer.from(Array.from({ length: 24 * 24 * 3 }, (_, i) => (i * 53) % 256)), { raw: { width: 24, height: 24, channels: 3 } })
        .png()
        .toFile(input);
      await sharp(Buffer.from(Array.from({ length: 24 * 24 }, (_, i) => (i % 24 > 8 && i % 24 < 14 ? 255 : 0))), { raw: { width: 24, height: 24, channels: 1 } })
        .png()
        .toFile(mask);
      const run = (output: string, extra: NodeJS.ProcessEnv) =>
        spawnSync('node', [BIN, 'inpaint', input, '--mask', mask, '--model', 'classical-pushpull', '-o', path.join(work, output), '--json'], {
          env: { ...env, ...extra },
          encoding: 'utf8',
        });
      const onGpu = run('gpu.png', {});
      expect(onGpu.status).toBe(0);
      expect(onGpu.stderr).toMatch(/mend: webgpu failed during a run: .*storage buffers.*; continuing on the CPU/);
      expect(JSON.parse(onGpu.stdout.trim().split('\n').at(-1) ?? '{}').provider).toBe('cpu');
      expect(run('cpu.png', { MEND_PROVIDER: 'cpu' }).status).toBe(0);
      const [a, b] = await Promise.all([sharp(path.join(work, 'gpu.png')).raw().toBuffer(), sharp(path.join(work, 'cpu.png')).raw().toBuffer()]);
      expect(a.equals(b)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);

  it("forced onto WebGPU, a job tiles at the manifest's maxTile, not the CPU's tile", async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'mend-maxtile-'));
    try {
      // 600 px wide: 3 tiles of the identity model's CPU tile (256), 1 of its maxTile (1024).
      const input = path.join(work, 'wide.png');
      const pixels = Buffer.from(Array.from({ length: 600 * 20 * 3 }, (_, i) => (i * 37) % 256));
      await sharp(pixels, { raw: { width: 600, height: 20, channels: 3 } })
        .png()
        .toFile(input);
      const run = (provider: string, output: string) => {
        const env = { ...process.env, MEND_CONFIG_DIR: path.join(work, 'config'), MEND_PROVIDER: provider, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
        const result = spawnSync('node', [BIN, 'restore', input, '--model', 'identity', '-o', path.join(work, output), '--json'], { env, encoding: 'utf8' });
        return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
      };
      const gpu = run('webgpu', 'gpu.png');
      const cpu = run('cpu', 'cpu.png');
      expect([gpu.provider, gpu.results[0].tiles]).toEqual(['webgpu', 1]);
      expect([cpu.provider, cpu.results[0].tiles]).toEqual(['cpu', 3]);
      const [a, b] = await Promise.all([sharp(path.join(work, 'gpu.png')).raw().toBuffer(), sharp(path.join(work, 'cpu.png')).raw().toBuffer()]);
      expect(a.equals(b)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});

describeOnSwiftShader('fp16 on SwiftShader', () => {
  // SwiftShader has no shader-f16: onnxruntime would place the fp16 nodes on it and fail at the first run.
  it('a forced WebGPU job at --precision fp16 is refused before any variant is built, naming shader-f16', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'mend-fp16-'));
    try {
      const env = { ...process.env, MEND_CONFIG_DIR: path.join(work, 'config'), MEND_PROVIDER: 'webgpu', VK_ICD_FILENAMES: SWIFTSHADER_ICD };
      const input = path.join(work, 'small.png');
      await sharp(Buffer.alloc(8 * 8 * 3, 128), { raw: { width: 8, height: 8, channels: 3 } })
        .png()
        .toFile(input);
      const result = spawnSync('node', [BIN, 'restore', input, '--model', 'identity', '--precision', 'fp16', '-o', path.join(work, 'out.png')], { env, encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/fp16 needs WebGPU's shader-f16, which this adapter lacks; use --precision fp32/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
