import type { PixelLayout } from '../protocol';
import { createImage, layoutOf, type PixelImage } from './pixel-image';

/**
 * Where a pipeline's output image goes: bands of rows, top to bottom. A file writer encodes each band
 * as it comes, so the whole output (gigabytes for a large ×4) never has to be in memory at once.
 */
export interface ImageSink {
  /** Called once, before the first band, with the layout every band will have. */
  begin(layout: PixelLayout): Promise<void>;
  /** The next `band.height` rows of the image. */
  write(band: PixelImage): Promise<void>;
}

/** Hands a whole image to a sink as one band. */
export async function writeWhole(sink: ImageSink, image: PixelImage): Promise<void> {
  await sink.begin(layoutOf(image));
  await sink.write(image);
}

/** A sink that assembles the bands into one image in memory, for callers that need all of it. */
export class ImageCollector implements ImageSink {
  private image: PixelImage | undefined;
  private rows = 0;

  async begin(layout: PixelLayout): Promise<void> {
    this.image = createImage(layout.width, layout.height, layout.channels, layout.bitDepth, layout.maxValue);
    this.rows = 0;
  }

  async write(band: PixelImage): Promise<void> {
    const image = this.image;
    if (!image || band.width !== image.width || band.channels !== image.channels || this.rows + band.height > image.height) {
      throw new Error('band does not continue the image being collected');
    }
    const rowSamples = image.width * image.channels;
    image.data.set(band.data.subarray(0, band.height * rowSamples), this.rows * rowSamples);
    this.rows += band.height;
  }

  /** The finished image; throws when rows are missing. */
  collected(): PixelImage {
    if (!this.image || this.rows !== this.image.height) throw new Error(`collected ${this.rows} of ${this.image?.height ?? 0} rows`);
    return this.image;
  }
}
