import { imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { bandsOf, rowsPerBand } from '../workflows/bands';
import type { BandedMask, Bounds } from '../workflows/host';
import { boundsHeight, boundsWidth } from '../workflows/region';
import { intersection, isEmpty, plainBounds } from './bounds';
import { imageDataFromMask, takeMaskSamples, takePixels, withImageData } from './image-data';

interface LocatedLayer {
  document: Document;
  layer: Layer;
}

function sameBounds(a: Bounds, b: Bounds): boolean {
  return a.left === b.left && a.top === b.top && a.right === b.right && a.bottom === b.bottom;
}

/**
 * The layer's user mask over `bounds`, 8-bit. Like getSelection, getLayerMask has no componentSize option and
 * answers at the document's depth. Whether it trims its answer to where the mask holds pixels (as getPixels
 * does) is not documented, nor what a mask is beyond the pixels it holds: a trimmed answer is refused rather
 * than guessed at (the self-test checks that the whole region comes back).
 */
export async function readLayerMask({ document, layer }: LocatedLayer, bounds: Bounds): Promise<Uint8Array> {
  const result = await imaging.getLayerMask({ documentID: document.id, layerID: layer.id, kind: 'user', sourceBounds: plainBounds(bounds) });
  const answered = plainBounds(result.sourceBounds);
  const data = await takeMaskSamples(result.imageData);
  if (!sameBounds(answered, bounds)) {
    throw new Error(`Photoshop answered the mask of "${layer.name}" over ${JSON.stringify(answered)} when asked for ${JSON.stringify(plainBounds(bounds))}.`);
  }
  return data;
}

/**
 * The layer's transparency over `bounds` as an 8-bit mask. getPixels trims its answer "to only that region that
 * contains pixel data": what it leaves out is transparent (0), and a region without pixels is not asked for.
 */
export async function readLayerAlpha({ document, layer }: LocatedLayer, bounds: Bounds): Promise<Uint8Array> {
  const width = boundsWidth(bounds);
  const alpha = new Uint8Array(width * boundsHeight(bounds));
  const held = intersection(plainBounds(layer.boundsNoEffects), bounds);
  if (isEmpty(held)) return alpha;
  const result = await imaging.getPixels({ documentID: document.id, layerID: layer.id, sourceBounds: held, componentSize: 8 });
  const got = plainBounds(result.sourceBounds);
  const pixels = await takePixels(result.imageData);
  const opaque = pixels.channels % 2 === 1;
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const value = opaque ? 255 : pixels.data[(y * pixels.width + x + 1) * pixels.channels - 1];
      alpha[(got.top - bounds.top + y) * width + (got.left - bounds.left + x)] = value;
    }
  }
  return alpha;
}

/**
 * Puts `mask` into the layer's user mask band by band (replace: false, which the Imaging API documents as placing
 * the pixels into the existing mask), so only one band is in the panel's memory.
 */
export async function writeLayerMask({ document, layer }: LocatedLayer, mask: BandedMask): Promise<void> {
  const width = boundsWidth(mask.bounds);
  for (const band of bandsOf(boundsHeight(mask.bounds), rowsPerBand(width))) {
    const bounds = { left: mask.bounds.left, right: mask.bounds.right, top: mask.bounds.top + band.top, bottom: mask.bounds.top + band.top + band.rows };
    const data = await mask.readBand(band.top, band.rows);
    await withImageData(imageDataFromMask({ bounds, data }), (imageData) =>
      imaging.putLayerMask({ documentID: document.id, layerID: layer.id, kind: 'user', imageData, replace: false, targetBounds: bounds }),
    );
  }
}
