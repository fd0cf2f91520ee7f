import type { GraphEngine, GraphSession } from '../engine/inference-engine';
import { throwIfCancelled } from '../errors';
import type { PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { BLAZEFACE_IO, BLAZEFACE_SIDE, blazeFaceAnchors, decodeBlazeFace } from './blazeface';
import type { DetectedFace } from './detected-face';
import { planPyramid, type PyramidLevel, type PyramidWindow } from './pyramid';
import { weightedNms } from './weighted-nms';

/** Lowest score a face is reported at (see README "Faces", Detection: chosen from the pasted-faces measurement). */
export const MIN_FACE_SCORE = 0.65;
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

/** The window's pixels as BlazeFace's input: 1×side×side×3 RGB in -1..1 (gray repeated, alpha ignored), black past the level's edges. */
export function windowTensor(image: PixelImage, x0: number, y0: number, side: number): Float32Array {
  const tensor = new Float32Array(side * side * 3).fill(-1);
  const rgb = image.channels >= 3 ? [0, 1, 2] : [0, 0, 0];
  const scale = 2 / image.maxValue;
  for (let y = 0; y < side && y0 + y < image.height; y++) {
    for (let x = 0; x < side && x0 + x < image.width; x++) {
      const s = ((y0 + y) * image.width + x0 + x) * image.channels;
      const d = (y * side + x) * 3;
      for (let c = 0; c < 3; c++) tensor[d + c] = image.data[s + rgb[c]] * scale - 1;
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
 * Every face in the image, best first: BlazeFace run over a pyramid of overlapping windows (the image at its
 * own size, then smaller by 4 each, ending with the whole frame), so that faces from about 20 px to the whole
 * frame are found; detections of all windows and levels merged by weighted NMS.
 */
export async function detectFaces(detector: GraphSession, image: PixelImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
  const minScore = options.minScore ?? MIN_FACE_SCORE;
  const side = BLAZEFACE_SIDE;
  const anchors = blazeFaceAnchors();
  const found: DetectedFace[] = [];
  let levelImage = image;
  const levels = planPyramid(image.width, image.height, side);
  for (const [index, level] of levels.entries()) {
    const largest = index === levels.length - 1 ? Number.POSITIVE_INFINITY : side * LARGEST_IN_WINDOW;
    // Each level is resampled from the previous one: the first level, the image itself, is the only large one.
    if (level.width !== levelImage.width || level.height !== levelImage.height) levelImage = resampleImage(levelImage, level.width, level.height);
    for (const window of level.windows) {
      throwIfCancelled(options.signal);
      const input = { type: 'float32' as const, data: windowTensor(levelImage, window.x, window.y, side), dims: [1, side, side, 3] };
      const out = await detector.run({ [BLAZEFACE_IO.input]: input });
      const [s1, s2] = BLAZEFACE_IO.scores.map((name) => out[name].data as Float32Array);
      const [b1, b2] = BLAZEFACE_IO.boxes.map((name) => out[name].data as Float32Array);
      found.push(...facesOfWindow(decodeBlazeFace(concat(s1, s2), concat(b1, b2), anchors, minScore, side), window, level, side, largest));
    }
  }
  return weightedNms(found, FACE_IOU);
}
