import { maximParity } from '../../models/scripts/parity-maxim';

/**
 * MAXIM deblurring converted from its TF.js graph, against @tensorflow/tfjs running the original graph
 * on a crop of the package's sample photo. Slow by nature: the reference is tfjs's pure-JS CPU backend.
 * The suite runs the 64² tile (every op the converter maps; about 6 min on two shared cores). Larger tiles
 * only repeat the same ops on more blocks and grid cells: 128² measured 122.9 dB but took 15 min, and 256²
 * over 40 min, so they are checked by hand with `npx tsx models/scripts/parity-maxim.ts`.
 */
describe('TF.js graph → ONNX parity: MAXIM deblurring', () => {
  it('64² tile: PSNR ≥ 50 dB against the original graph', async () => {
    const { psnr } = await maximParity('deblurring', 64);
    expect(psnr).toBeGreaterThanOrEqual(50);
  }, 1_200_000);
});
