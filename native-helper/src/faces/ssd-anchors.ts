/** An SSD anchor: its centre and size, as fractions of the model input. */
export interface Anchor {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The options MediaPipe's SSD anchor generator takes (the subset BlazeFace's graphs set). */
export interface SsdAnchorOptions {
  inputSize: number;
  numLayers: number;
  minScale: number;
  maxScale: number;
  /** One per layer; consecutive layers of the same stride share one feature map. */
  strides: readonly number[];
  aspectRatios: readonly number[];
  /** Adds, per layer, an anchor of this aspect ratio at the geometric mean of this layer's and the next layer's scale. */
  interpolatedScaleAspectRatio: number;
  /** Anchors of size 1×1 whatever their scale: the model's box sizes are then absolute, not relative to the anchor. */
  fixedAnchorSize: boolean;
  /** Where in its cell an anchor's centre lies (0.5: the middle). */
  anchorOffset: number;
}

function layerScale(options: SsdAnchorOptions, layer: number): number {
  const { minScale, maxScale, numLayers } = options;
  return numLayers === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * layer) / (numLayers - 1);
}

/**
 * The anchors in the order the model's outputs list them: feature map by feature map (layers of one stride
 * merged), cells row by row, then the anchors of a cell.
 */
export function ssdAnchors(options: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  const { strides, numLayers } = options;
  for (let layer = 0; layer < numLayers; ) {
    const sizes: Array<{ width: number; height: number }> = [];
    let last = layer;
    for (; last < numLayers && strides[last] === strides[layer]; last++) {
      const scale = layerScale(options, last);
      for (const ratio of options.aspectRatios) sizes.push({ width: scale * Math.sqrt(ratio), height: scale / Math.sqrt(ratio) });
      if (options.interpolatedScaleAspectRatio > 0) {
        const next = last === numLayers - 1 ? 1 : layerScale(options, last + 1);
        const scaleMean = Math.sqrt(scale * next);
        const ratio = options.interpolatedScaleAspectRatio;
        sizes.push({ width: scaleMean * Math.sqrt(ratio), height: scaleMean / Math.sqrt(ratio) });
      }
    }
    const cells = Math.ceil(options.inputSize / strides[layer]);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (const size of sizes) {
          anchors.push({
            x: (x + options.anchorOffset) / cells,
            y: (y + options.anchorOffset) / cells,
            width: options.fixedAnchorSize ? 1 : size.width,
            height: options.fixedAnchorSize ? 1 : size.height,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
