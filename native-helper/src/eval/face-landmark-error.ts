import { alignmentTo } from '../faces/align';
import { templateAt, TEMPLATE_SIDE } from '../faces/face-template';
import { applySimilarity, invertSimilarity, type Point, type Similarity } from '../faces/similarity';

/** How far five points found on a changed copy of a photo lie from where the clean photo's points went. */
export interface FivePointError {
  /** Each point's distance, in the clean photo's pixels (template order). */
  pixels: number[];
  meanPixels: number;
  maxPixels: number;
  /** The mean as a share of the clean photo's inter-ocular distance (eye centre to eye centre). */
  meanShare: number;
  maxShare: number;
}

/**
 * The error of the five points `found` on a copy of a photo made by moving it with `applied` (and
 * perhaps degrading it), against the five points `reference` found on the clean photo: the found points
 * are mapped back through applied⁻¹ so every error is in the clean photo's pixels, comparable across
 * copies of any scale.
 */
export function fivePointError(found: readonly Point[], reference: readonly Point[], applied: Similarity): FivePointError {
  if (found.length !== 5 || reference.length !== 5) throw new Error(`five points each are compared, got ${found.length} and ${reference.length}`);
  const back = invertSimilarity(applied);
  const pixels = found.map((p, i) => {
    const q = applySimilarity(back, p);
    return Math.hypot(q.x - reference[i].x, q.y - reference[i].y);
  });
  const eyes = Math.hypot(reference[1].x - reference[0].x, reference[1].y - reference[0].y);
  if (eyes === 0) throw new Error('the reference eyes coincide: no inter-ocular distance to scale by');
  const meanPixels = pixels.reduce((s, d) => s + d, 0) / pixels.length;
  const maxPixels = Math.max(...pixels);
  return { pixels, meanPixels, maxPixels, meanShare: meanPixels / eyes, maxShare: maxPixels / eyes };
}

/**
 * How well a face's five points fit the restorers' template after alignment: the root mean square
 * distance, in pixels of the 512² aligned crop, between the aligned points and the template's. It is the
 * part of the face's shape (its pose, expression, proportions) a similarity cannot take out, so it does
 * not change when the photo is rotated, scaled or shifted.
 */
export function templateResidual(points: readonly Point[]): number {
  const toCrop = alignmentTo(points, TEMPLATE_SIDE);
  const template = templateAt(TEMPLATE_SIDE);
  const squared = points.reduce((sum, p, i) => {
    const q = applySimilarity(toCrop, p);
    return sum + (q.x - template[i].x) ** 2 + (q.y - template[i].y) ** 2;
  }, 0);
  return Math.sqrt(squared / points.length);
}
