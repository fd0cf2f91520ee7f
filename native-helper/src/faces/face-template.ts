import type { Point } from './similarity';

/** The side the 5-point template is given for. */
export const TEMPLATE_SIDE = 512;

/**
 * Where GFPGAN, CodeFormer and RestoreFormer expect a face's five points in a 512×512 aligned crop, in
 * this order: left eye, right eye, nose tip, left mouth corner, right mouth corner ("left" as seen in
 * the image). Source: facexlib's `FaceRestoreHelper` (`face_template` for the FFHQ alignment, the crop
 * those models were trained on), which GFPGAN (`gfpgan/utils.py`) and CodeFormer
 * (`inference_codeformer.py`) use to align faces; facefusion calls it `ffhq_512` and uses it for
 * GPEN-BFR-512 too. GPEN's own code aligns to slightly smaller faces (every point within 13 px of these
 * at 512); Mend uses this one template for every restorer, as their common exports are driven.
 */
export const FFHQ_TEMPLATE_512: readonly Point[] = [
  { x: 192.98138, y: 239.94708 },
  { x: 318.90277, y: 240.1936 },
  { x: 256.63416, y: 314.01935 },
  { x: 201.26117, y: 371.41043 },
  { x: 313.08905, y: 371.15118 },
];

/**
 * A point of a 512 crop in a crop of `side`: pixel centres stay pixel centres as when the 512 crop is
 * resampled to `side` (x ↦ (x + ½)·side/512 − ½), so a crop aligned at any side is a resampled 512 one.
 */
export function atSide(p: Point, side: number): Point {
  const k = side / TEMPLATE_SIDE;
  return { x: (p.x + 0.5) * k - 0.5, y: (p.y + 0.5) * k - 0.5 };
}

/** The 5-point template for a crop of `side` pixels. */
export function templateAt(side: number): Point[] {
  return FFHQ_TEMPLATE_512.map((p) => atSide(p, side));
}

/** Vertices of the face outline used when no landmarks are given: an ellipse in the 512 crop. */
const OUTLINE_VERTICES = 32;
/**
 * Forehead to chin, cheek to cheek, in an FFHQ-aligned 512 crop: centred between the eyes, 300 px wide
 * (2.4 eye distances) and 370 px tall (from 115 to 485, past the chin that sits near 460). Mend's
 * choice, not a published figure: generous, since the mask is feathered inward from it.
 */
const OUTLINE_512 = { cx: 256, cy: 300, rx: 150, ry: 185 };

/** The template's face area in a crop of `side`: a convex polygon (see OUTLINE_512). */
export function templateFaceOutline(side: number): Point[] {
  const { cx, cy, rx, ry } = OUTLINE_512;
  return Array.from({ length: OUTLINE_VERTICES }, (_, i) => {
    const angle = (2 * Math.PI * i) / OUTLINE_VERTICES;
    return atSide({ x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) }, side);
  });
}
