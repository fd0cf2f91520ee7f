import { z } from 'zod';
import { MendError } from '../../errors';
import { readModelJson, readWeightGroup } from '../tfjs/model-json';
import { fromValues, type HostDtype, type HostTensor } from './host-tensor';

/** The parts of a TF.js graph-model `model.json` Mend reads. */
const attrValueSchema = z
  .object({
    i: z.string().optional(),
    f: z.number().optional(),
    b: z.boolean().optional(),
    s: z.string().optional(),
    type: z.string().optional(),
    list: z.object({ i: z.array(z.string()).optional(), s: z.array(z.string()).optional() }).optional(),
  })
  .passthrough();
const nodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), attrValueSchema).optional(),
});
const tensorInfoSchema = z.object({ name: z.string() });
const modelJsonSchema = z.object({
  format: z.literal('graph-model'),
  signature: z.object({ inputs: z.record(z.string(), tensorInfoSchema), outputs: z.record(z.string(), tensorInfoSchema) }),
  modelTopology: z.object({
    node: z.array(nodeSchema),
    library: z
      .object({ function: z.array(z.unknown()).optional() })
      .passthrough()
      .optional(),
  }),
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string()),
      weights: z.array(
        z.object({
          name: z.string(),
          shape: z.array(z.number()),
          dtype: z.string(),
          quantization: z.object({ dtype: z.string() }).passthrough().optional(),
        }),
      ),
    }),
  ),
});

type AttrValue = z.infer<typeof attrValueSchema>;

/** One graph node; `inputs` names the nodes whose (single) output it reads, control edges left out. */
export interface GraphNode {
  name: string;
  op: string;
  inputs: string[];
  attr: Record<string, AttrValue>;
}

export interface GraphModel {
  nodes: GraphNode[];
  inputName: string;
  /** The signature's outputs: its key (e.g. `output_mesh`) → the node computing it. */
  outputs: Record<string, string>;
  /** The values of the Const nodes, by node name. */
  constants: Map<string, HostTensor>;
}

const WEIGHT_DTYPES: Record<string, HostDtype> = { float32: 'float32', int32: 'int32', bool: 'bool' };

/** An IEEE half-precision value from its 16 bits. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** `name:0` and `name` read the same tensor; `^name` is a control edge, which a dataflow converter ignores. */
function dataInputs(node: z.infer<typeof nodeSchema>, where: string): string[] {
  return (node.input ?? [])
    .filter((input) => !input.startsWith('^'))
    .map((input) => {
      const [name, index] = input.split(':');
      if (index !== undefined && index !== '0')
        throw new MendError('model_invalid', `${where}: node ${node.name} reads output ${index} of ${name}; Mend converts graphs of single-output nodes`);
      return name;
    });
}

function tensorName(signatureName: string): string {
  return signatureName.split(':')[0];
}

function halfValues(bytes: Buffer): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 2 }, (_v, i) => float16ToNumber(view.getUint16(i * 2, true)));
}

function typedValues(dtype: HostDtype, bytes: Buffer): Float32Array | Int32Array | Uint8Array {
  // Copied, so each tensor is aligned and owns its memory.
  const chunk = new Uint8Array(bytes);
  return dtype === 'float32' ? new Float32Array(chunk.buffer) : dtype === 'int32' ? new Int32Array(chunk.buffer) : chunk;
}

function decodeWeights(bytes: Buffer, manifest: z.infer<typeof modelJsonSchema>['weightsManifest'][number], where: string): Map<string, HostTensor> {
  const constants = new Map<string, HostTensor>();
  let offset = 0;
  for (const w of manifest.weights) {
    const dtype = WEIGHT_DTYPES[w.dtype];
    // float16 storage (tfjs-converter's --quantize_float16) halves a float32 weight's bytes; other quantizations are affine integer codes.
    const half = w.quantization?.dtype === 'float16' && dtype === 'float32';
    if (!dtype || (w.quantization && !half))
      throw new MendError(
        'model_invalid',
        `${where}: weight ${w.name} is ${w.dtype}${w.quantization ? ` (quantized as ${w.quantization.dtype})` : ''}; Mend converts float32 (also stored as float16), int32 and bool weights`,
      );
    const count = w.shape.reduce((n, d) => n * d, 1);
    const byteLength = count * (dtype === 'bool' ? 1 : half ? 2 : 4);
    if (offset + byteLength > bytes.byteLength) throw new MendError('model_invalid', `${where}: the weight files end before ${w.name}; download the model again`);
    constants.set(
      w.name,
      fromValues(dtype, w.shape, half ? halfValues(bytes.subarray(offset, offset + byteLength)) : typedValues(dtype, bytes.subarray(offset, offset + byteLength))),
    );
    offset += byteLength;
  }
  return constants;
}

/** Reads a TF.js graph model: model.json and its weight shards (each group's shards concatenated, as TF.js does). */
export async function readGraphModel(modelJsonPath: string): Promise<GraphModel> {
  const json = await readModelJson(modelJsonPath, modelJsonSchema, 'graph model');
  if ((json.modelTopology.library?.function ?? []).length > 0)
    throw new MendError('model_invalid', `${modelJsonPath}: the graph has functions (control flow); Mend converts flat graphs only`);
  const inputs = Object.values(json.signature.inputs);
  if (inputs.length !== 1) throw new MendError('model_invalid', `${modelJsonPath}: Mend converts graph models with one input`);
  const constants = new Map<string, HostTensor>();
  for (const group of json.weightsManifest) {
    for (const [name, tensor] of decodeWeights(await readWeightGroup(modelJsonPath, group.paths), group, modelJsonPath)) constants.set(name, tensor);
  }
  const nodes = json.modelTopology.node.map((node) => ({ name: node.name, op: node.op, inputs: dataInputs(node, modelJsonPath), attr: node.attr ?? {} }));
  for (const node of nodes) {
    if (node.op === 'Const' && !constants.has(node.name)) throw new MendError('model_invalid', `${modelJsonPath}: constant ${node.name} has no values in the weight files`);
  }
  const outputs = Object.fromEntries(Object.entries(json.signature.outputs).map(([key, info]) => [key, tensorName(info.name)]));
  return { nodes, inputName: tensorName(inputs[0].name), outputs, constants };
}

/** Attribute readers; a missing or mistyped attribute is a malformed model. */
export const nodeAttr = {
  int(node: GraphNode, key: string, fallback?: number): number {
    const value = node.attr[key]?.i;
    if (value !== undefined) return Number(value);
    if (fallback !== undefined) return fallback;
    throw new MendError('model_invalid', `node ${node.name} (${node.op}) has no integer attribute ${key}`);
  },
  ints(node: GraphNode, key: string): number[] {
    const value = node.attr[key]?.list?.i;
    if (!value) throw new MendError('model_invalid', `node ${node.name} (${node.op}) has no integer list attribute ${key}`);
    return value.map(Number);
  },
  strings(node: GraphNode, key: string): string[] {
    const value = node.attr[key]?.list?.s;
    if (!value) throw new MendError('model_invalid', `node ${node.name} (${node.op}) has no string list attribute ${key}`);
    return value.map((item) => Buffer.from(item, 'base64').toString('utf8'));
  },
  string(node: GraphNode, key: string): string {
    const value = node.attr[key]?.s;
    if (value === undefined) throw new MendError('model_invalid', `node ${node.name} (${node.op}) has no string attribute ${key}`);
    return Buffer.from(value, 'base64').toString('utf8');
  },
  bool(node: GraphNode, key: string): boolean {
    return node.attr[key]?.b ?? false;
  },
  type(node: GraphNode, key: string): string {
    const value = node.attr[key]?.type;
    if (!value) throw new MendError('model_invalid', `node ${node.name} (${node.op}) has no type attribute ${key}`);
    return value;
  },
};
