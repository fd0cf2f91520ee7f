import type { GraphEngine, GraphSession } from '../engine/inference-engine';
import { throwIfCancelled } from '../errors';
import type { PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { BLAZEFACE_IO, BLAZEFACE_SIDE, blazeFaceAnchors, decodeBlazeFace } from './blazeface';
import type { DetectedFace } from './detected-face';
import { planPyramid, type PyramidLevel, type PyramidWindow } from './pyramid';
import { weightedNms } from './weighted-nms';

/** Lowest score a face is reported at: precision 0.983, recall 0.916 on pasted faces (README "Faces", Detection); at 0.7 the test photos show false faces. */
export const MIN_FACE_SCORE = 0.75;
/** MediaPipe's overlap at which BlazeFace's detections are one face. */
export const FACE_IOU = 0.3;
/**
 * Largest face a window of a finer level answers for, as a fraction of its side: half (faces that size, centred
 * in its core, lie wholly inside it), plus a margin for BlazeFace's box sizes. Larger ones may be cut by the
 * window's edge; the next level, 4 times coarser, finds them whole.
 */
const LARGEST_IN_WINDOW = 0.55;

export interface DetectOptions {
  minScore?: number;
  signal?: AbortSignal;
}

export function loadFaceDetector(engine: GraphEngine, file: string): Promise<GraphSession> {
  return engine.loadGraph(file, { inputs: [BLAZEFACE_IO.input], outputs: [...BLAZEFACE_IO.scores, ...BLAZEFACE_IO.boxes] });
}

/**
 * The window at (x0, y0) of a level `scale` times the size of `image` as BlazeFace's input: 1×side×side×3 RGB in
 * -1..1 (gray repeated, alpha ignored), sampled bilinearly (levels are never smaller than the image they are
 * sampled from: smaller ones are resampled first), black past the level's `width`×`height`.
 */
export function windowTensor(image: PixelImage, scale: number, x0: number, y0: number, side: number, width: number, height: number): Float32Array {
  const tensor = new Float32Array(side * side * 3).fill(-1);
  const rgb = image.channels >= 3 ? [0, 1, 2] : [0, 0, 0];
  const norm = 2 / image.maxValue;
  const columns = Math.min(side, width - x0);
  const rows = Math.min(side, height - y0);
  // Source positions of the columns: the left neighbour's offset and the weight of the right one.
  const left = new Int32Array(columns);
  const right = new Int32Array(columns);
  const wx = new Float32Array(columns);
  for (let x = 0; x < columns; x++) {
    const sx = Math.min(image.width - 1, Math.max(0, (x0 + x + 0.5) / scale - 0.5));
    left[x] = Math.floor(sx);
    right[x] = Math.min(image.width - 1, left[x] + 1);
    wx[x] = sx - left[x];
  }
  for (let y = 0; y < rows; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y0 + y + 0.5) / scale - 0.5));
    const top = Math.floor(sy);
    const wy = sy - top;
    const rowA = top * image.width;
    const rowB = Math.min(image.height - 1, top + 1) * image.width;
    for (let x = 0; x < columns; x++) {
      const d = (y * side + x) * 3;
      const [a, b, c, e] = [(rowA + left[x]) * image.channels, (rowA + right[x]) * image.channels, (rowB + left[x]) * image.channels, (rowB + right[x]) * image.channels];
      for (let k = 0; k < 3; k++) {
        const upper = image.data[a + rgb[k]] * (1 - wx[x]) + image.data[b + rgb[k]] * wx[x];
        const lower = image.data[c + rgb[k]] * (1 - wx[x]) + image.data[e + rgb[k]] * wx[x];
        tensor[d + k] = (upper * (1 - wy) + lower * wy) * norm - 1;
      }
    }
  }
  return tensor;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Faces of one window whose centre is in its core and that are not too large for it (`largest`, level pixels), in image pixels. */
function facesOfWindow(faces: readonly DetectedFace[], window: PyramidWindow, level: PyramidLevel, side: number, largest: number): DetectedFace[] {
  const toImage = (v: number, origin: number) => (v * side + origin) / level.scale;
  const kept: DetectedFace[] = [];
  for (const { box, keypoints, score } of faces) {
    const cx = (box.x + box.width / 2) * side + window.x;
    const cy = (box.y + box.height / 2) * side + window.y;
    const { core } = window;
    if (cx < core.left || cx >= core.right || cy < core.top || cy >= core.bottom) continue;
    if (Math.max(box.width, box.height) * side > largest) continue;
    kept.push({
      box: { x: toImage(box.x, window.x), y: toImage(box.y, window.y), width: (box.width * side) / level.scale, height: (box.height * side) / level.scale },
      keypoints: keypoints.map((p) => ({ x: toImage(p.x, window.x), y: toImage(p.y, window.y) })),
      score,
    });
  }
  return kept;
}

/**
 * BlazeFace's detections over a pyramid of overlapping windows (the image enlarged 1.5 times, then smaller by 4
 * each, ending with the whole frame), so that faces from about 20 px to the whole frame are seen; each window
 * answers for the faces centred in its core and small enough for it, in image pixels. Not yet merged: one face
 * gives several.
 */
export async function faceCandidates(detector: GraphSession, image: PixelImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
  const minScore = options.minScore ?? MIN_FACE_SCORE;
  const side = BLAZEFACE_SIDE;
  const anchors = blazeFaceAnchors();
  const found: DetectedFace[] = [];
  // Levels at or above the image's size are sampled from it; smaller ones from a copy resampled (antialiased) to their size, each from the one before.
  let source = { image, scale: 1 };
  const levels = planPyramid(image.width, image.height, side);
  for (const [index, level] of levels.entries()) {
    const largest = index === levels.length - 1 ? Number.POSITIVE_INFINITY : side * LARGEST_IN_WINDOW;
    if (level.scale < source.scale) source = { image: resampleImage(source.image, level.width, level.height), scale: level.scale };
    const relative = level.scale / source.scale;
    for (const window of level.windows) {
      throwIfCancelled(options.signal);
      const pixels = windowTensor(source.image, relative, window.x, window.y, side, level.width, level.height);
      const input = { type: 'float32' as const, data: pixels, dims: [1, side, side, 3] };
      const out = await detector.run({ [BLAZEFACE_IO.input]: input });
      const [s1, s2] = BLAZEFACE_IO.scores.map((name) => out[name].data as Float32Array);
      const [b1, b2] = BLAZEFACE_IO.boxes.map((name) => out[name].data as Float32Array);
      found.push(...facesOfWindow(decodeBlazeFace(concat(s1, s2), concat(b1, b2), anchors, minScore, side), window, level, side, largest));
    }
  }
  return found;
}

/** Every face in the image scoring at least `minScore`, best first: `faceCandidates` merged across windows and levels by weighted NMS. */
export async function detectFaces(detector: GraphSession, image: PixelImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
  return weightedNms(await faceCandidates(detector, image, options), FACE_IOU);
}
