/**
 * onnxruntime's warnings (unused initializers in the shipped BlazeFace export, …) are about the graph, not the
 * user's work: printed to the terminal they read as failures. Errors still surface as rejected promises.
 */
export const ORT_LOG_ERRORS_ONLY = 3;
