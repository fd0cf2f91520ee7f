import { writeFileSync } from 'node:fs';
import path from 'node:path';

type Dtype = 'float32' | 'int32';
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
  private readonly weights: Array<{ name: string; shape: number[]; dtype: Dtype }> = [];
  private readonly chunks: Buffer[] = [];
  private seed = 1;

  private random(): number {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed / 2147483647 - 0.5;
  }

  constant(name: string, shape: number[], dtype: Dtype = 'float32', values?: number[]): string {
    const count = shape.reduce((n, d) => n * d, 1);
    const data = values ?? Array.from({ length: count }, () => this.random());
    this.weights.push({ name, shape, dtype });
    this.chunks.push(Buffer.from((dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data)).buffer));
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32' } } });
    return name;
  }

  ints(name: string, values: number[], shape = [values.length]): string {
    return this.constant(name, shape, 'int32', values);
  }

  op(name: string, op: string, inputs: string[], attr: Record<string, unknown> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr });
    return name;
  }

  write(dir: string, output: string): string {
    writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat(this.chunks));
    const modelJson = path.join(dir, 'model.json');
    writeFileSync(
      modelJson,
      JSON.stringify({
        format: 'graph-model',
        generatedBy: 'mend test',
        convertedBy: 'mend test',
        signature: { inputs: { xs_0: { name: 'x:0', dtype: 'DT_FLOAT' } }, outputs: { output_0: { name: `${output}:0`, dtype: 'DT_FLOAT' } } },
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        weightsManifest: [{ paths: ['weights.bin'], weights: this.weights }],
      }),
    );
    return modelJson;
  }
}
