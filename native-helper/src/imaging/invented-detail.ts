import { createImage, type PixelImage } from './pixel-image';

export interface InventedDetailInputs {
  /** What the model was given. */
  input: PixelImage;
  /** What it made, `scale` times the input's size. */
  output: PixelImage;
  /** The fidelity base at the output's size (a PSNR-oriented model, or bicubic). */
  base: PixelImage;
  scale: number;
}

/**
 * Where the output holds detail the input does not imply: one 8-bit channel at the output's size,
 * 255 = most invented, 0 where the output equals the fidelity base. Deterministic.
 */
export function inventedDetailMap({ output, base }: InventedDetailInputs): PixelImage {
  const map = createImage(output.width, output.height, 1, 8, 255);
  const { channels } = output;
  const unit = 255 / output.maxValue;
  for (let p = 0; p < map.data.length; p++) {
    let departure = 0;
    for (let c = 0; c < Math.min(channels, 3); c++) departure = Math.max(departure, Math.abs(output.data[p * channels + c] - base.data[p * channels + c]));
    map.data[p] = Math.min(255, Math.round(departure * unit * 4));
  }
  return map;
}
