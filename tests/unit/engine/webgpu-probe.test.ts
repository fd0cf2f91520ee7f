import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adapterNameIn, answerIn, isCpuAdapterName, readProbe, runWebGpuProbe, sentenceOf } from '../../../native-helper/src/engine/webgpu-probe';

// Lines as the Vulkan loader (VK_LOADER_DEBUG=driver) and Dawn print them on this machine's stderr.
const SWIFTSHADER_STDERR = [
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.',
  'INFO | DRIVER:               [0] SwiftShader Device (Subzero)',
  'DRIVER:                  Using "SwiftShader Device (Subzero)" with driver: "/usr/lib/chromium/./libvk_swiftshader.so"',
].join('\n');
const LAVAPIPE_STDERR = [
  'INFO | DRIVER:               [0] llvmpipe (LLVM 15.0.6, 256 bits)',
  'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.',
  ' - While initializing adapter (backend=BackendType::Vulkan)',
].join('\n');

describe('the WebGPU probe, read', () => {
  it('names the adapter from the Vulkan device the loader created, the last one when several were', () => {
    expect(adapterNameIn(SWIFTSHADER_STDERR)).toBe('SwiftShader Device (Subzero)');
    expect(adapterNameIn(`${SWIFTSHADER_STDERR}\nUsing "NVIDIA H200" with driver: "/usr/lib/libnvidia.so"`)).toBe('NVIDIA H200');
    expect(adapterNameIn(LAVAPIPE_STDERR)).toBeUndefined();
  });

  it('tells CPU implementations from GPUs by name', () => {
    for (const name of ['SwiftShader Device (Subzero)', 'SwiftShader Device (LLVM 10.0.0)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver'])
      expect(isCpuAdapterName(name)).toBe(true);
    for (const name of ['NVIDIA H200', 'AMD Radeon RX 7900 XTX (RADV NAVI31)', 'Intel(R) UHD Graphics 620 (WHL GT2)', 'Apple M2']) expect(isCpuAdapterName(name)).toBe(false);
  });

  it('a GPU adapter that ran the probe model is usable; a CPU one is not, and says why', () => {
    expect(readProbe({ ok: true }, 'Using "NVIDIA H200" with driver: "x"', 'ended (exit code 0)')).toEqual({ usable: true, adapter: 'NVIDIA H200', cpuAdapter: false });
    expect(readProbe({ ok: true }, '', 'ended (exit code 0)')).toEqual({ usable: true, adapter: undefined, cpuAdapter: false });
    expect(readProbe({ ok: true }, SWIFTSHADER_STDERR, 'ended (exit code 0)')).toEqual({
      usable: false,
      adapter: 'SwiftShader Device (Subzero)',
      cpuAdapter: true,
      reason: 'the WebGPU adapter "SwiftShader Device (Subzero)" runs on the CPU, slower than the CPU provider',
    });
  });

  it("a failed probe keeps onnxruntime's sentence; a probe that died says how", () => {
    const failed = readProbe(
      { ok: false, reason: '/onnxruntime_src/webgpu_context.cc:80 Failed to get a WebGPU adapter: No supported adapters' },
      LAVAPIPE_STDERR,
      'ended (exit code 0)',
    );
    expect(failed).toEqual({ usable: false, adapter: undefined, cpuAdapter: false, reason: 'Failed to get a WebGPU adapter: No supported adapters' });
    expect(readProbe(undefined, '', 'was stopped (SIGSEGV)').reason).toBe('the WebGPU probe was stopped (SIGSEGV) without an answer');
  });

  it('finds the answer line among native output on stdout, and refuses lines of another shape', () => {
    expect(answerIn('native noise\n{"ok":true}\n')).toEqual({ ok: true });
    expect(answerIn('{"ok":false,"reason":"no"}\n{"ok":"yes"}\n')).toEqual({ ok: false, reason: 'no' });
    expect(answerIn('{"ok":false}\nnothing\n')).toBeUndefined();
  });
});

describe("onnxruntime's messages, shortened", () => {
  it('keeps the sentence from "Failed", else both ends of a long message', () => {
    expect(sentenceOf('/src/x.cc:12 Failed to get a WebGPU adapter: none')).toBe('Failed to get a WebGPU adapter: none');
    const run = `Non-zero status code returned while running Split node. Name:'Split_node_576' Status Message: /onnxruntime_src/shader_helper.cc:306 ${'x'.repeat(200)} was false. Too many storage buffers in shader. Current: 13, Max is 12`;
    const short = sentenceOf(run);
    expect(short.length).toBeLessThanOrEqual(203);
    expect(short).toMatch(/^Non-zero status code returned while running Split node\./);
    expect(short).toMatch(/Too many storage buffers in shader\. Current: 13, Max is 12$/);
  });
});

describe('runWebGpuProbe, with stand-in child scripts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-probe-child-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function script(name: string, body: string): string {
    const file = path.join(dir, `${name}.js`);
    writeFileSync(file, body);
    return file;
  }

  it('reads the answer from stdout and the adapter from stderr, and asks the Vulkan loader to name the device', async () => {
    const child = script(
      'gpu',
      `if (process.env.VK_LOADER_DEBUG === 'driver') process.stderr.write('Using "NVIDIA H200" with driver: "/x.so"\\n'); console.log(JSON.stringify({ ok: true, shaderF16: true }));`,
    );
    expect(await runWebGpuProbe({}, child)).toEqual({ probe: { usable: true, adapter: 'NVIDIA H200', cpuAdapter: false, shaderF16: true }, lasting: true });
  });

  it('a script that ends without an answer is not cached; a native crash is', async () => {
    const failed = await runWebGpuProbe({}, script('exit', 'process.exit(1);'));
    expect(failed).toEqual({ probe: { usable: false, adapter: undefined, cpuAdapter: false, reason: 'the WebGPU probe ended (exit code 1) without an answer' }, lasting: false });
    const crashed = await runWebGpuProbe({}, script('crash', "process.kill(process.pid, 'SIGSEGV');"));
    expect(crashed).toMatchObject({ probe: { usable: false, reason: 'the WebGPU probe was stopped (SIGSEGV) without an answer' }, lasting: true });
  });
});
