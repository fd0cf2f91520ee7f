import type { Bounds } from './host';

/** Context read around a selection, so the model sees what surrounds it (never less than this). */
const MIN_CONTEXT = 32;

export function boundsWidth(b: Bounds): number {
  return b.right - b.left;
}

export function boundsHeight(b: Bounds): number {
  return b.bottom - b.top;
}

/**
 * The region to read for a selection: its bounds plus context, clipped to the document. Inpainting
 * needs as much context as the hole is large (the fill comes from around it); the other operations
 * only need their models' reach.
 */
export function regionAround(selection: Bounds, document: { width: number; height: number }, contextShare: number): Bounds {
  const context = Math.max(MIN_CONTEXT, Math.ceil(contextShare * Math.max(boundsWidth(selection), boundsHeight(selection))));
  return {
    left: Math.max(0, selection.left - context),
    top: Math.max(0, selection.top - context),
    right: Math.min(document.width, selection.right + context),
    bottom: Math.min(document.height, selection.bottom + context),
  };
}
