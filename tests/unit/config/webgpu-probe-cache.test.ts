import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedWebGpuProbe, probeKey, WEBGPU_PROBE_FILE } from '../../../native-helper/src/config/webgpu-probe-cache';
import type { ProbeRun } from '../../../native-helper/src/engine/webgpu-probe';

const SWIFTSHADER: ProbeRun = { probe: { usable: false, adapter: 'SwiftShader Device (Subzero)', cpuAdapter: true, reason: 'runs on the CPU' }, lasting: true };
const GPU: ProbeRun = { probe: { usable: true, adapter: 'NVIDIA H200', cpuAdapter: false }, lasting: true };

describe('the WebGPU probe cache in the config folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-probe-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function counting(run: ProbeRun) {
    const probe = jest.fn(async () => run);
    return probe;
  }

  it('probes once per key: the answer, with its reason, is read back until the key changes', async () => {
    const first = counting(SWIFTSHADER);
    expect(await cachedWebGpuProbe(dir, 'k1', first)).toEqual(SWIFTSHADER.probe);
    expect(await cachedWebGpuProbe(dir, 'k1', first)).toEqual(SWIFTSHADER.probe);
    expect(first).toHaveBeenCalledTimes(1);
    expect(JSON.parse(readFileSync(path.join(dir, WEBGPU_PROBE_FILE), 'utf8'))).toEqual({ key: 'k1', probe: SWIFTSHADER.probe });

    const second = counting(GPU);
    expect(await cachedWebGpuProbe(dir, 'k2', second)).toEqual(GPU.probe);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('keys on the onnxruntime release, the platform and the Vulkan driver lists', () => {
    const base = probeKey('1.30.0', {}, 'linux', 'x64');
    expect(probeKey('1.30.0', { HOME: '/elsewhere' }, 'linux', 'x64')).toBe(base);
    for (const other of [
      probeKey('1.31.0', {}, 'linux', 'x64'),
      probeKey('1.30.0', {}, 'win32', 'x64'),
      probeKey('1.30.0', {}, 'linux', 'arm64'),
      probeKey('1.30.0', { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' }, 'linux', 'x64'),
      probeKey('1.30.0', { VK_DRIVER_FILES: '/a.json' }, 'linux', 'x64'),
    ])
      expect(other).not.toBe(base);
  });

  it('a probe cut short is not cached; a malformed cache file is probed over', async () => {
    const timedOut = counting({ probe: { usable: false, cpuAdapter: false, reason: 'stopped' }, lasting: false });
    await cachedWebGpuProbe(dir, 'k', timedOut);
    await cachedWebGpuProbe(dir, 'k', timedOut);
    expect(timedOut).toHaveBeenCalledTimes(2);

    writeFileSync(path.join(dir, WEBGPU_PROBE_FILE), '{"key":"k","probe":{"usable":"yes"}}');
    const fresh = counting(GPU);
    expect(await cachedWebGpuProbe(dir, 'k', fresh)).toEqual(GPU.probe);
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('without a config folder, every call probes', async () => {
    const probe = counting(GPU);
    await cachedWebGpuProbe(undefined, 'k', probe);
    await cachedWebGpuProbe(undefined, 'k', probe);
    expect(probe).toHaveBeenCalledTimes(2);
  });
});
