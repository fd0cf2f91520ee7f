/**
 * Cosine similarity of two identity embeddings: 1 for the same direction. FaceRes's features are
 * averaged ReLU6 outputs, never negative, so two unrelated faces still score well above 0.
 */
export function identitySimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`embeddings of ${a.length} and ${b.length} values cannot be compared`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}
