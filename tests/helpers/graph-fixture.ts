import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { numberToFloat16 } from '../../models/scripts/maxim-references';

/** float16: a float32 weight stored as half precision, as tfjs-converter's --quantize_float16 writes it. */
type Dtype = 'float32' | 'int32' | 'float16';
interface Node {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

/** A TF.js graph model (model.json + weights.bin) built node by node, in the shape jax2tf writes: one NHWC float input `x`. */
export class GraphFixture {
  readonly nodes: Node[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '-1' }, { size: '-1' }, { size: '3' }] } } } },
  ];
  private readonly weights: Array<{ name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }> = [];
  private readonly chunks: Buffer[] = [];
  private seed = 1;

  private random(): number {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed / 2147483647 - 0.5;
  }

  constant(name: string, shape: number[], dtype: Dtype = 'float32', values?: number[]): string {
    const count = shape.reduce((n, d) => n * d, 1);
    const data = values ?? Array.from({ length: count }, () => this.random());
    if (dtype === 'float16') {
      this.weights.push({ name, shape, dtype: 'float32', quantization: { dtype: 'float16' } });
      this.chunks.push(Buffer.from(Uint16Array.from(data, numberToFloat16).buffer));
    } else {
      this.weights.push({ name, shape, dtype });
      this.chunks.push(Buffer.from((dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data)).buffer));
    }
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' } } });
    return name;
  }

  ints(name: string, values: number[], shape = [values.length]): string {
    return this.constant(name, shape, 'int32', values);
  }

  op(name: string, op: string, inputs: string[], attr: Record<string, unknown> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr });
    return name;
  }

  /** Writes model.json and weights.bin; the outputs are one node, or signature keys → nodes. */
  write(dir: string, output: string | Record<string, string>): string {
    const outputs = typeof output === 'string' ? { output_0: output } : output;
    writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat(this.chunks));
    const modelJson = path.join(dir, 'model.json');
    writeFileSync(
      modelJson,
      JSON.stringify({
        format: 'graph-model',
        generatedBy: 'mend test',
        convertedBy: 'mend test',
        signature: {
          inputs: { xs_0: { name: 'x:0', dtype: 'DT_FLOAT' } },
          outputs: Object.fromEntries(Object.entries(outputs).map(([key, node]) => [key, { name: `${node}:0`, dtype: 'DT_FLOAT' }])),
        },
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        weightsManifest: [{ paths: ['weights.bin'], weights: this.weights }],
      }),
    );
    return modelJson;
  }
}
