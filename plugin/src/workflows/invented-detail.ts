import { HelperError, type JobResult, type ResultImage } from '../helper-client/helper-client';
import type { BandedPixels, Bounds, Host, LayerContent, PixelFormat, WrittenLayer } from './host';
import { maxValueOf } from './sample-range';

/** What the overlay layer is called when the helper gives its map no label. */
const INVENTED_DETAIL_NAME = 'Invented detail';

/**
 * A heat colour for a share (0..1) of invented detail: yellow where little is invented, red where most is, so the
 * overlay reads at a glance over any photo. Its alpha carries the share itself.
 */
function heatColour(share: number): [number, number, number] {
  return [1, 1 - share, 0];
}

/**
 * The map of invented detail as the pixels of a heat overlay: colour from a heat ramp, alpha = the map (0 where
 * nothing is invented, full where most is), in the result's depth and profile. Gray documents get white.
 */
export function heatOverlay(map: ResultImage, result: PixelFormat): BandedPixels {
  const channels = result.channels <= 2 ? 2 : 4;
  const max = maxValueOf(result.bitDepth);
  const format = { width: result.width, height: result.height, channels, bitDepth: result.bitDepth, colorProfile: result.colorProfile } as const;
  return {
    ...format,
    readBand: async (top, rows) => {
      const shares = await map.readBand(top, rows);
      const samples = result.bitDepth === 16 ? new Uint16Array(shares.length * channels) : new Uint8Array(shares.length * channels);
      for (let i = 0; i < shares.length; i++) {
        const colour = channels === 4 ? heatColour(shares[i] / 255) : [1];
        colour.forEach((value, c) => (samples[i * channels + c] = Math.round(value * max)));
        samples[i * channels + channels - 1] = Math.round((shares[i] * max) / 255);
      }
      return samples;
    },
  };
}

/**
 * The job's map of invented detail as a hidden heat overlay for the result layer, named by the helper's label.
 * The map is checked to be what the protocol promises: one 8-bit channel, the result's size.
 */
export function inventedDetailOverlay(job: JobResult, result: PixelFormat): LayerContent {
  const index = job.summary.outputs?.findIndex((output) => output.kind === 'invented-detail') ?? -1;
  const output = job.summary.outputs?.[index];
  if (!output) throw new HelperError('protocol', 'the helper answered no map of invented detail, though it was asked for one; is it an older version?');
  const { image } = output;
  if (image.channels !== 1 || image.bitDepth !== 8 || image.width !== result.width || image.height !== result.height) {
    throw new HelperError(
      'protocol',
      `the helper answered the map of invented detail as ${image.width}×${image.height}×${image.channels} ${image.bitDepth}-bit, not one 8-bit channel of the result's ${result.width}×${result.height}`,
    );
  }
  return { name: output.label || INVENTED_DETAIL_NAME, pixels: heatOverlay(job.output(index), result), opacity: 100, blendMode: 'normal', visible: false };
}

/** A result written with its map of invented detail. */
export interface InventedDetailTarget {
  result: WrittenLayer;
  overlay: WrittenLayer;
  /** Where the result's pixels lie in the document. */
  bounds: Bounds;
}

export const MASK_OUT_HISTORY_NAME = 'Mend Mask Out Invented Detail';

/**
 * "Mask out invented detail": the result's mask becomes the inverted map, combined (the smaller value) with the
 * mask it has (the selection it was masked by, or what the user painted), so the original shows where the
 * model invented most and the user can paint the truth back. The map is read back from the overlay's
 * transparency, band by band, rather than kept by the panel. One history step.
 */
export function maskOutInventedDetail(host: Host, { result, overlay, bounds }: InventedDetailTarget): Promise<void> {
  const readBand = async (top: number, rows: number): Promise<Uint8Array> => {
    const band = { left: bounds.left, right: bounds.right, top: bounds.top + top, bottom: bounds.top + top + rows };
    const invented = await host.readLayerAlpha(overlay, band);
    const shown = await host.readLayerMask(result, band);
    return shown.map((value, i) => Math.min(value, 255 - invented[i]));
  };
  return host.setLayerMask(result, { bounds, readBand }, MASK_OUT_HISTORY_NAME);
}
