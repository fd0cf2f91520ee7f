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

/**
 * Below this similarity between a face and its restoration, the restored face "may not look like the
 * same person". Measured (README, Faces, Identity check: models/scripts/identity-measurements.ts) on
 * the only two licensed face photos there are: the same face under blur up to σ3, noise up to σ25,
 * JPEG down to q10, ×4 down and up, and their mix stayed at 0.63 or above; the two different faces,
 * clean or changed, reached 0.614 at most. A face shrunk ×8 (about 12 px wide) falls to 0.43–0.47,
 * among different faces: there the check cannot vouch for the identity and says so.
 */
export const IDENTITY_THRESHOLD = 0.62;
