/**
 * Writing ONNX models: `GraphBuilder` adds inputs, initializers and nodes (`attr.*` types each
 * attribute), then `toModel(opset)` returns deterministic bytes for onnxruntime or a file.
 */
export { GraphBuilder, attr, type Attribute, type Dim, type TensorData } from './graph-builder';
export type { ElementType } from './onnx-schema';
