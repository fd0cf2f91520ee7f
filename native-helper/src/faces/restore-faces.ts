import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { resampleImage } from '../imaging/resample';
import { alignFace, alignmentTo, resizeAlignment, warpToCrop } from './align';
import { matchColour } from './colour-match';
import { faceRegion, regionMask, type FaceRegion } from './face-mask';
import { TEMPLATE_SIDE, templateFaceOutline } from './face-template';
import { footprint, pasteFaces, type FacePaste } from './paste-faces';
import { applySimilarity, scaleOf, type Point, type Similarity } from './similarity';

/** A face found in the image: its five points in template order and, when known, landmarks outlining it. */
export interface FaceToRestore {
  /** Left eye, right eye, nose tip, left mouth corner, right mouth corner, in image pixels. */
  points: readonly Point[];
  /** Landmarks over the face (FaceMesh's 468), in image pixels: their hull is the paste region. */
  outline?: readonly Point[];
}

/** How aligned faces are restored: an installed face model, or the general detail chain. */
export interface CropRestorer {
  /** What the result is called: the model's id, or FACE_DETAIL_LABEL. */
  label: string;
  /** The side to align a face at, from the image pixels its 512-template crop spans. */
  sideFor(nativeSide: number): number;
  /** The restored crop (float RGB 0..1, square, any side) of an aligned crop of `sideFor`'s side. */
  restore(crop: PixelImage, nativeSide: number): Promise<PixelImage>;
}

/** One face as restored, for reports and the identity check. */
export interface RestoredFace {
  /** The image pixels its paste region's crop can reach (cut to the image). */
  box: Rect;
  /** Image pixels its 512-template crop spans: the face's own resolution. */
  nativeSide: number;
  /** The aligned original and the restored crop, at the side they were pasted from, before the strength blend. */
  original: PixelImage;
  restored: PixelImage;
  toCrop: Similarity;
  /** Where it was pasted, in the coordinates of `restored`. */
  region: FaceRegion;
}

/** Below this side a pasted crop would be too coarse to feather well. */
const MIN_PASTE_SIDE = 16;

/**
 * The restored crop brought to the face's own resolution before it is pasted: sampling a 512 crop at a
 * 60-px face's pixels would alias, a resample with a widened kernel does not.
 */
function atPasteSide(restored: PixelImage, toCrop: Similarity, alignedSide: number, nativeSide: number): { crop: PixelImage; toCrop: Similarity } {
  const resized = resizeAlignment(toCrop, alignedSide, restored.width);
  const side = Math.min(restored.width, Math.max(MIN_PASTE_SIDE, Math.ceil(nativeSide)));
  if (side === restored.width) return { crop: restored, toCrop: resized };
  return { crop: resampleImage(restored, side, side), toCrop: resizeAlignment(resized, restored.width, side) };
}

/**
 * Restores every face: align to the template at the side the restorer wants, restore, bring the result to
 * the face's own resolution, match its colour to the original over the face region, and paste all faces
 * back at `strength` (0..1) through their feathered regions. Pixels outside every region keep their samples.
 */
export async function restoreFaces(
  image: PixelImage,
  faces: readonly FaceToRestore[],
  restorer: CropRestorer,
  strength: number,
): Promise<{ image: PixelImage; faces: RestoredFace[] }> {
  const pastes: FacePaste[] = [];
  const restoredFaces: RestoredFace[] = [];
  for (const face of faces) {
    const nativeSide = TEMPLATE_SIDE / scaleOf(alignmentTo(face.points, TEMPLATE_SIDE));
    const side = restorer.sideFor(nativeSide);
    const aligned = alignFace(image, face.points, side);
    const restored = await restorer.restore(aligned.crop, nativeSide);
    const { crop, toCrop } = atPasteSide(restored, aligned.toCrop, side, nativeSide);
    const pasteSide = crop.width;
    const original = warpToCrop(image, toCrop, pasteSide);
    const outline = face.outline ? face.outline.map((p) => applySimilarity(toCrop, p)) : templateFaceOutline(pasteSide);
    const region: FaceRegion = faceRegion(outline, pasteSide);
    const matched = matchColour(crop, original, regionMask(region, pasteSide));
    pastes.push({ crop: matched, toCrop, region, strength });
    restoredFaces.push({
      box: footprint(toCrop, pasteSide, image.width, image.height) ?? { x: 0, y: 0, width: 0, height: 0 },
      nativeSide,
      original,
      restored: matched,
      toCrop,
      region,
    });
  }
  return { image: pasteFaces(image, pastes), faces: restoredFaces };
}
