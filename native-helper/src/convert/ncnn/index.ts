/** ncnn .param/.bin → ONNX (fp32, NCHW, input `input`, output `output`). */
export { convertNcnn, NCNN_INPUT, NCNN_OUTPUT, type NcnnConversionOptions } from './to-onnx';
