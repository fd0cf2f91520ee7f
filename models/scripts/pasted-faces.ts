/**
 * Faces cut from the test photos and pasted, at known sizes and places, into test photos without faces: the
 * ground truth for measuring face detection (eval-face-detection.ts) and for the detection tests.
 */
import path from 'node:path';
import sharp from 'sharp';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images');

/** A face in a test photo: its BlazeFace box (square), as `mend faces` finds it in the photo. */
export interface FaceSource {
  photo: string;
  x: number;
  y: number;
  side: number;
}

/** The fixtures' two faces: the astronaut (frontal, colour) and the cameraman (three-quarter view, grey). */
export const FACE_SOURCES: readonly FaceSource[] = [
  { photo: 'astronaut.png', x: 172, y: 72, side: 106 },
  { photo: 'camera.png', x: 185, y: 125, side: 72 },
];

/** Test photos with no face (chelsea.png is left out: a cat's face is one to BlazeFace). */
export const FACE_FREE_PHOTOS = ['coffee.png', 'brick.png', 'street_500.png', 'clock_motion.png', 'portrait_alpha.png'] as const;

/** Side of the cut-out square around a face box: with hair, chin and some background, faded out at the edge. */
const CUTOUT_MARGIN = 1.5;

export interface FacePaste {
  source: FaceSource;
  mirrored: boolean;
  /** Side of the pasted face's box in the new image, and its top-left corner. */
  side: number;
  x: number;
  y: number;
}

export function cutoutSide(faceSide: number): number {
  return Math.round(faceSide * CUTOUT_MARGIN);
}

/** The face cut out around its box, scaled so its box is `faceSide`: RGBA, opaque inside, fading out over the outer fifth of its radius. */
async function cutout(source: FaceSource, faceSide: number, mirrored: boolean): Promise<{ data: Buffer; side: number }> {
  const sourceSide = Math.round(source.side * CUTOUT_MARGIN);
  const centre = { x: source.x + source.side / 2, y: source.y + source.side / 2 };
  const side = cutoutSide(faceSide);
  let pipeline = sharp(path.join(FIXTURES, source.photo))
    .extract({ left: Math.round(centre.x - sourceSide / 2), top: Math.round(centre.y - sourceSide / 2), width: sourceSide, height: sourceSide })
    .resize(side, side, { kernel: 'lanczos3' })
    .toColourspace('srgb')
    .removeAlpha();
  if (mirrored) pipeline = pipeline.flop();
  const rgb = await pipeline.raw().toBuffer();
  const data = Buffer.alloc(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.hypot(x + 0.5 - side / 2, y + 0.5 - side / 2) / (side / 2);
      const i = y * side + x;
      data.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
      data[i * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0, (1 - r) / 0.2)));
    }
  }
  return { data, side };
}

/** `background` scaled to cover width×height, with the faces pasted, as 8-bit RGB. */
export async function pasteFaces(background: string, width: number, height: number, pastes: readonly FacePaste[]): Promise<PixelImage> {
  const layers = await Promise.all(
    pastes.map(async (paste) => {
      const { data, side } = await cutout(paste.source, paste.side, paste.mirrored);
      const offset = (side - paste.side) / 2;
      return { input: data, raw: { width: side, height: side, channels: 4 as const }, left: Math.round(paste.x - offset), top: Math.round(paste.y - offset) };
    }),
  );
  const { data, info } = await sharp(path.join(FIXTURES, background))
    .resize(width, height, { fit: 'cover' })
    .toColourspace('srgb')
    .removeAlpha()
    .composite(layers)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image = createImage(info.width, info.height, 3, 8);
  image.data.set(data);
  return image;
}
