/**
 * A small deterministic generator (xorshift32) giving numbers in [0, 1): the same seed gives the same
 * sequence everywhere, so synthetic defects and film grain are repeatable.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
