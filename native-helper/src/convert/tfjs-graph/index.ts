/**
 * TF.js graph model (model.json + shards, e.g. a jax2tf export) → ONNX specialized to one tile
 * shape: fp32, NCHW input `input`, output `output` (or named tensor outputs), values as the original
 * model takes them.
 */
export { convertGraphModel, graphModelToOnnx, graphModelToOnnxOutputs, specializedGraphToOnnx, GRAPH_INPUT, GRAPH_OUTPUT, type TensorOutput, type TileShape } from './to-onnx';
export { float16ToNumber, readGraphModel, type GraphModel, type GraphNode } from './graph-model';
export { specialize, type SpecializedGraph } from './specialize';
