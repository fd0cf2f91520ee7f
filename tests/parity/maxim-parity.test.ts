import { maximParity } from '../../models/scripts/parity-maxim';

/**
 * MAXIM deblurring converted from its TF.js graph, against @tensorflow/tfjs running the original graph
 * on a crop of the package's sample photo. Slow by nature: the reference is tfjs's pure-JS CPU backend.
 */
describe('TF.js graph → ONNX parity: MAXIM deblurring', () => {
  it.each([64, 256])('%i² tile: PSNR ≥ 50 dB against the original graph', async (n) => {
    const { psnr } = await maximParity('deblurring', n);
    expect(psnr).toBeGreaterThanOrEqual(50);
  }, 3_600_000);
});
