import { z } from 'zod';
import { MendError } from '../../errors';
import { readModelJson, readWeightGroup } from './model-json';

/** The parts of a TF.js layers-model `model.json` Mend reads. */
const inboundSchema = z.array(z.array(z.tuple([z.string(), z.number(), z.number()]).rest(z.unknown())));
const layerSchema = z.object({
  class_name: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: inboundSchema,
});
const modelJsonSchema = z.object({
  modelTopology: z.object({
    model_config: z.object({
      class_name: z.string(),
      config: z.object({
        layers: z.array(layerSchema),
        input_layers: z.array(z.tuple([z.string(), z.number(), z.number()])),
        output_layers: z.array(z.tuple([z.string(), z.number(), z.number()])),
      }),
    }),
  }),
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string()),
      weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string(), quantization: z.unknown().optional() })),
    }),
  ),
});

export type TfjsLayer = z.infer<typeof layerSchema>;
export type TfjsModelJson = z.infer<typeof modelJsonSchema>;

export interface TfjsModel {
  json: TfjsModelJson;
  layers: TfjsLayer[];
  inputName: string;
  outputName: string;
  weights: Map<string, { shape: number[]; data: Float32Array }>;
}

/** Reads model.json and its weight shards (concatenated in manifest order, as TF.js does). */
export async function readTfjsModel(modelJsonPath: string): Promise<TfjsModel> {
  const json = await readModelJson(modelJsonPath, modelJsonSchema, 'layers model');
  const config = json.modelTopology.model_config.config;
  if (config.input_layers.length !== 1 || config.output_layers.length !== 1) {
    throw new MendError('model_invalid', `${modelJsonPath}: Mend converts models with one input and one output`);
  }
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const group of json.weightsManifest) {
    const bytes = await readWeightGroup(modelJsonPath, group.paths);
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32' || w.quantization)
        throw new MendError('model_invalid', `${modelJsonPath}: weight ${w.name} is ${w.dtype}${w.quantization ? ' (quantized)' : ''}; Mend converts float32 weights`);
      const count = w.shape.reduce((n, d) => n * d, 1);
      if (offset + count * 4 > bytes.byteLength) throw new MendError('model_invalid', `${modelJsonPath}: the weight files end before ${w.name}`);
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = bytes.readFloatLE(offset + i * 4);
      offset += count * 4;
      weights.set(w.name, { shape: w.shape, data });
    }
  }
  return { json, layers: config.layers, inputName: config.input_layers[0][0], outputName: config.output_layers[0][0], weights };
}
