/**
 * The webgpu tier's child process (see `swiftshader.ts`): WebGPU's adapter is chosen from VK_ICD_FILENAMES
 * when Dawn first starts in a process, so each check runs in a process of its own, with SwiftShader named
 * there and nowhere else. Reads a `Check` as JSON from argv[2] and prints its result as the last line of stdout.
 */
import { readFile } from 'node:fs/promises';
import { GraphBuilder } from '../../native-helper/src/convert/onnx';
import { Engine } from '../../native-helper/src/engine/engine';
import type { NamedTensor } from '../../native-helper/src/engine/inference-engine';
import type { Check, ModelComparison } from './swiftshader';

/** A deterministic pattern over the whole range (gradients, a grating, hashed noise), never a flat image. */
function pattern(length: number, range: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => {
    const hashed = ((Math.imul(i + 1, 2654435761) >>> 0) % 1000) / 1000;
    return range * Math.min(1, Math.max(0, 0.45 + 0.3 * Math.sin(i * 0.37) * Math.cos(i * 0.011) + 0.2 * (hashed - 0.5)));
  });
}

async function runGraph(engine: Engine, file: string, feeds: Record<string, NamedTensor>, outputs: string[]) {
  const session = await engine.loadGraph(file, { inputs: Object.keys(feeds), outputs });
  const started = performance.now();
  const result = await session.run(feeds);
  return { result, ms: performance.now() - started };
}

/** Max abs difference of every output, over max(1, the CPU output's largest magnitude): models in 0..255 or pixel units compare as those in 0..1. */
function relativeDiff(cpu: Record<string, NamedTensor>, gpu: Record<string, NamedTensor>): number {
  let worst = 0;
  for (const [name, expected] of Object.entries(cpu)) {
    const actual = gpu[name].data;
    let scale = 1;
    for (const value of expected.data) scale = Math.max(scale, Math.abs(value));
    for (let i = 0; i < expected.data.length; i++) worst = Math.max(worst, Math.abs(Number(expected.data[i]) - Number(actual[i])) / scale);
  }
  return worst;
}

async function compareModel(file: string, side: number, range: number): Promise<ModelComparison> {
  const cpu = new Engine({ provider: 'cpu' });
  const gpu = new Engine({ provider: 'webgpu' });
  try {
    const signature = await cpu.inspect(await readFile(file));
    const feeds: Record<string, NamedTensor> = {};
    for (const input of signature.inputs) {
      const dims = input.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? 1 : side));
      feeds[input.name] = {
        type: 'float32',
        data: pattern(
          dims.reduce((a, b) => a * b, 1),
          range,
        ),
        dims,
      };
    }
    const outputs = signature.outputs.map((o) => o.name);
    const onCpu = await runGraph(cpu, file, feeds, outputs);
    const onGpu = await runGraph(gpu, file, feeds, outputs);
    return { maxDiff: relativeDiff(onCpu.result, onGpu.result), cpuMs: onCpu.ms, webgpuMs: onGpu.ms, provider: gpu.status()?.provider ?? '' };
  } finally {
    await Promise.all([cpu.close(), gpu.close()]);
  }
}

/** Left to choose, with a probe that calls the adapter usable (SwiftShader is not, for real work): what a GPU machine does. */
async function unforcedRun(file: string, io: { input: string; output: string; extraInputs?: string[] }, side: number) {
  const engine = new Engine({ webgpuProbe: async () => ({ usable: true, cpuAdapter: false }) });
  const reference = new Engine({ provider: 'cpu' });
  try {
    const feeds: Record<string, NamedTensor> = {};
    for (const name of [io.input, ...(io.extraInputs ?? [])])
      feeds[name] = { type: 'float32', data: pattern(side * side * (name === io.input ? 3 : 1), 1), dims: [1, name === io.input ? 3 : 1, side, side] };
    const session = await engine.load(file, io);
    const opened = session.provider;
    const output = await session.runNamed(feeds);
    const expected = await (await reference.load(file, io)).runNamed(feeds);
    return { opened, provider: session.provider, status: engine.status(), maxDiff: relativeDiff({ o: expected }, { o: output }) };
  } finally {
    await Promise.all([engine.close(), reference.close()]);
  }
}

/** Relu on WebGPU, then Det, which onnxruntime's WebGPU provider has no kernel for: that node runs on the CPU provider. */
async function missingOp() {
  const g = new GraphBuilder('det-on-cpu');
  g.input('input', 'float32', [1, 3, 4, 4]);
  g.node('Relu', ['input'], ['positive']);
  g.node('Det', ['positive'], ['output']);
  g.output('output', 'float32', [1, 3]);
  const model = g.toModel();
  const feeds: Record<string, NamedTensor> = { input: { type: 'float32', data: pattern(48, 2).map((v) => v - 0.6), dims: [1, 3, 4, 4] } };
  const run = async (provider: string) => {
    const engine = new Engine({ provider });
    try {
      return await (await engine.load(model, { input: 'input', output: 'output' }, 'det')).runNamed(feeds);
    } finally {
      await engine.close();
    }
  };
  return { maxDiff: relativeDiff({ o: await run('cpu') }, { o: await run('webgpu') }) };
}

async function main(check: Check): Promise<unknown> {
  if (check.kind === 'model') return compareModel(check.file, check.side, check.range);
  if (check.kind === 'unforced') return unforcedRun(check.file, check.io, check.side);
  return missingOp();
}

main(JSON.parse(process.argv[2]) as Check).then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify({ ok: true, result })}\n`);
    process.exit(0);
  },
  (error: Error) => {
    process.stdout.write(`\n${JSON.stringify({ ok: false, error: error.message })}\n`);
    process.exit(0);
  },
);
