/** TF.js layers model (model.json + shards) → ONNX (fp32, NCHW, input `input`, output `output`). */
export { convertTfjsModel, tfjsModelToOnnx, TFJS_INPUT, TFJS_OUTPUT } from './to-onnx';
export { readTfjsModel } from './layers-model';
