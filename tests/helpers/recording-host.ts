import type { Host, HostMask, HostPixels, LayerStack, LayerWrite, NewDocumentWrite, ReadRequest, ResizeAndWrite, SourceRead, WrittenLayers } from '../../plugin/src/workflows/host';
import { banded } from './banded-pixels';

/** A host that serves one read and records what the workflow asks it to write. */
export function recordingHost(source: Omit<SourceRead, 'bounds' | 'pixels'> & { pixels: HostPixels; at: { left: number; top: number } }) {
  const writes: { layer: LayerWrite[]; document: NewDocumentWrite[]; resize: ResizeAndWrite[]; selection: HostMask[] } = { layer: [], document: [], resize: [], selection: [] };
  const requests: ReadRequest[] = [];
  /** Layer 99, and 100, 101… for the layers asked for above it, in a group (98) when one is named. */
  const written = (stack: LayerStack): WrittenLayers => ({
    documentId: 1,
    layerId: 99,
    layersAbove: (stack.layersAbove ?? []).map((_layer, i) => ({ documentId: 1, layerId: 100 + i })),
    ...(stack.group ? { group: { documentId: 1, layerId: 98 } } : {}),
  });
  const unused = () => Promise.reject(new Error('not used by this workflow'));
  const host: Host = {
    async read(request, consume) {
      requests.push(request);
      const { at, pixels, ...rest } = source;
      return consume({ ...rest, pixels: banded(pixels), bounds: { left: at.left, top: at.top, right: at.left + pixels.width, bottom: at.top + pixels.height } });
    },
    writeLayer: async (w) => (writes.layer.push(w), written(w)),
    writeNewDocument: async (w) => (writes.document.push(w), written(w)),
    resizeAndWrite: async (w) => (writes.resize.push(w), written(w)),
    selectMask: async (_id, mask) => void writes.selection.push(mask),
    setLayerVisible: async () => undefined,
    reveal: async () => undefined,
    readLayerMask: unused,
    readLayerAlpha: unused,
    setLayerMask: unused,
    keepLayer: unused,
    pictureUrl: unused,
  };
  return { host, writes, requests };
}

export function rgb(width: number, height: number, value = 100): HostPixels {
  return { width, height, channels: 3, bitDepth: 8, colorProfile: 'Adobe RGB (1998)', data: new Uint8Array(width * height * 3).fill(value) };
}
