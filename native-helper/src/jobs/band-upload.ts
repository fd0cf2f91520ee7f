import { bytesPerSample, rowByteLength, type PixelLayout } from '../protocol';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import { RowSet } from './row-set';

export type UploadPart = 'image' | 'mask';

/** A band the client must fix before sending it again (HTTP 400). */
export class BandRefusal extends Error {}

/** A banded job's input while its rows arrive: preallocated whole, filled band by band. */
export class BandUpload {
  readonly image: PixelImage;
  readonly mask?: PixelImage;
  private readonly rows: { image: RowSet; mask?: RowSet };

  constructor(image: PixelLayout, mask?: PixelLayout) {
    this.image = createImage(image.width, image.height, image.channels, image.bitDepth, image.maxValue);
    this.mask = mask && createImage(mask.width, mask.height, mask.channels, mask.bitDepth, mask.maxValue);
    this.rows = { image: new RowSet(image.height), mask: mask && new RowSet(mask.height) };
  }

  /** Copies whole rows starting at row `top`; a band sent again overwrites its rows and counts once. */
  write(part: UploadPart, top: number, bytes: Uint8Array): void {
    const target = part === 'image' ? this.image : this.mask;
    const rows = this.rows[part];
    if (!target || !rows) throw new BandRefusal('this job has no mask: send bands of its image only');
    const perRow = rowByteLength(target);
    if (bytes.byteLength === 0) throw new BandRefusal(`the band is empty: send whole rows of the ${part}`);
    if (bytes.byteLength % perRow !== 0) {
      throw new BandRefusal(
        `the band holds ${bytes.byteLength} bytes, which is not a whole number of the ${part}'s rows (${perRow} bytes each: ${target.width} px × ${target.channels} channels × ${bytesPerSample(target.bitDepth)} bytes)`,
      );
    }
    const count = bytes.byteLength / perRow;
    if (top + count > target.height) {
      throw new BandRefusal(`the band's rows ${top}..${top + count - 1} run past the ${part}'s ${target.height} rows`);
    }
    new Uint8Array(target.data.buffer, target.data.byteOffset + top * perRow, bytes.byteLength).set(bytes);
    rows.add(top, count);
  }

  get received(): number {
    return this.rows.image.count + (this.rows.mask?.count ?? 0);
  }

  get expected(): number {
    return this.image.height + (this.mask?.height ?? 0);
  }

  get complete(): boolean {
    return this.received === this.expected;
  }
}
