import { sampleRgb } from '../faces/align';
import { invertSimilarity, type Point, type Similarity } from '../faces/similarity';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';

/** Rotation by `degrees` (clockwise on screen, y pointing down) and uniform `scale` about `centre`, then a shift. */
export function similarityAbout(centre: Point, degrees: number, scale: number, shift: Point = { x: 0, y: 0 }): Similarity {
  const r = (degrees * Math.PI) / 180;
  const a = scale * Math.cos(r);
  const b = scale * Math.sin(r);
  return { a, b, tx: centre.x - (a * centre.x - b * centre.y) + shift.x, ty: centre.y - (b * centre.x + a * centre.y) + shift.y };
}

/**
 * Where a point of an image lands in its copy resampled ×1/`factor` (pixel centres at integers, as
 * `resampleImage` places them: x ↦ (x + ½)/factor − ½).
 */
export function downscaleSimilarity(factor: number): Similarity {
  const shift = 0.5 / factor - 0.5;
  return { a: 1 / factor, b: 0, tx: shift, ty: shift };
}

/**
 * The image moved by `t` into a `width`×`height` 8-bit RGB copy: each output pixel reads the image at
 * t⁻¹ of it, bilinearly, past the edges as the edge pixel. For rotations and moderate scales; shrinking
 * more than about ×0.7 aliases (use `resampleImage` and `downscaleSimilarity`).
 */
export function warpImage(image: PixelImage, t: Similarity, width: number, height: number): PixelImage {
  const out = createImage(width, height, 3, 8);
  const back = invertSimilarity(t);
  const rgb = new Float32Array(3);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      sampleRgb(image, back.a * u - back.b * v + back.tx, back.b * u + back.a * v + back.ty, rgb, 0);
      const at = (v * width + u) * 3;
      for (let c = 0; c < 3; c++) out.data[at + c] = quantize(rgb[c] * 255, 255);
    }
  }
  return out;
}
