import path from 'node:path';
import { decodeImageFile } from '../codecs/image-file';
import { cropImage } from '../imaging/crop';
import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { PACKAGE_ROOT } from '../package-info';
import { celShade } from './art-proxy';

export type EvalDomain = 'photo' | 'art';

/** One ground-truth image: a fixed crop of a fixture photo (CC0 / public domain, see LICENSES.md). */
export interface EvalImage {
  id: string;
  file: string;
  domain: EvalDomain;
  /** Region of the file. Art is drawn at twice the size and shrunk, so its crop is twice the ground truth. */
  crop: Rect;
}

export const FIXTURE_DIR = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'images');

/** Ground truths of 192² (divisible by 2 and 4): face, fur, hard edges and specular metal, blossoms, and drawn art. */
export const FULL_SET: readonly EvalImage[] = [
  { id: 'astronaut-face', file: 'astronaut.png', domain: 'photo', crop: { x: 160, y: 40, width: 192, height: 192 } },
  { id: 'chelsea-fur', file: 'chelsea.png', domain: 'photo', crop: { x: 150, y: 50, width: 192, height: 192 } },
  { id: 'coffee-spoon', file: 'coffee.png', domain: 'photo', crop: { x: 300, y: 150, width: 192, height: 192 } },
  { id: 'street-blossom', file: 'street_500.png', domain: 'photo', crop: { x: 260, y: 120, width: 192, height: 192 } },
  { id: 'coffee-cel-art', file: 'coffee.png', domain: 'art', crop: { x: 100, y: 0, width: 384, height: 384 } },
];

/**
 * The photos of FULL_SET and five more crops of the same fixtures (flag, suit patch, wood grain,
 * branches, whiskers) for the detail-strength curve and the map of invented detail: an AUC per
 * image varies by ±0.1, so four images alone make a shaky average.
 */
export const DETAIL_SET: readonly EvalImage[] = [
  ...FULL_SET.filter((image) => image.domain === 'photo'),
  { id: 'astronaut-flag', file: 'astronaut.png', domain: 'photo', crop: { x: 0, y: 0, width: 192, height: 192 } },
  { id: 'astronaut-patch', file: 'astronaut.png', domain: 'photo', crop: { x: 120, y: 300, width: 192, height: 192 } },
  { id: 'coffee-wood', file: 'coffee.png', domain: 'photo', crop: { x: 400, y: 200, width: 192, height: 192 } },
  { id: 'street-branches', file: 'street_500.png', domain: 'photo', crop: { x: 60, y: 40, width: 192, height: 192 } },
  { id: 'chelsea-whiskers', file: 'chelsea.png', domain: 'photo', crop: { x: 0, y: 100, width: 192, height: 192 } },
];

/** `--quick`: one small crop. */
export const QUICK_SET: readonly EvalImage[] = [{ id: 'chelsea-eye', file: 'chelsea.png', domain: 'photo', crop: { x: 180, y: 80, width: 96, height: 96 } }];

export async function loadGroundTruth(entry: EvalImage, fixtureDir = FIXTURE_DIR): Promise<PixelImage> {
  const { image } = await decodeImageFile(path.join(fixtureDir, entry.file));
  if (image.channels !== 3 || image.bitDepth !== 8) throw new Error(`${entry.file}: the evaluation needs 8-bit RGB, got ${image.channels} channel(s) at ${image.bitDepth} bits`);
  const crop = cropImage(image, entry.crop);
  return entry.domain === 'art' ? celShade(crop) : crop;
}
