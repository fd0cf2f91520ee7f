import { maximParity } from '../../models/scripts/parity-maxim';

/**
 * MAXIM deblurring converted from its TF.js graph, against @tensorflow/tfjs running the original graph
 * on a crop of the package's sample photo. Slow by nature: the reference is tfjs's pure-JS CPU backend.
 * 64² is the smallest tile; at 128² the deepest level (16²) already splits into several 8² blocks and
 * grid cells, where at 64² it is one. On two shared cores 64² took 6 min and 128² 15 min; 256² takes
 * the pure-JS reference over 40 min, too long for this tier.
 */
describe('TF.js graph → ONNX parity: MAXIM deblurring', () => {
  it.each([64, 128])('%i² tile: PSNR ≥ 50 dB against the original graph', async (n) => {
    const { psnr } = await maximParity('deblurring', n);
    expect(psnr).toBeGreaterThanOrEqual(50);
  }, 1_800_000);
});
