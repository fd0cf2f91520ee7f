import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { MendError } from '../errors';
import { PACKAGE_ROOT } from '../package-info';
import type { BenchImage } from './bench-context';

/** A real photo, so PNG decoding and encoding cost what they cost on photos. */
export const BENCH_PHOTO = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'images', 'chelsea.png');

/** Writes `size`² RGB PNGs of the photo (cropped to square, then resized) into `dir`. */
export async function writeBenchImages(dir: string, sizes: readonly number[]): Promise<BenchImage[]> {
  if (!existsSync(BENCH_PHOTO)) throw new MendError('bad_input', `the benchmark photo ${BENCH_PHOTO} is missing; run the benchmark from a Mend checkout`);
  return Promise.all(
    sizes.map(async (size) => {
      const file = path.join(dir, `input-${size}.png`);
      await sharp(BENCH_PHOTO).removeAlpha().resize(size, size, { fit: 'cover', kernel: 'lanczos3' }).png().toFile(file);
      return { size, file };
    }),
  );
}
