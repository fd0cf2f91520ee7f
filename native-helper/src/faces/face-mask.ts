import type { Point } from './similarity';

/** A half-plane n·p + offset ≥ 0 with |n| = 1: n·p + offset is the distance of p inside its edge. */
interface HalfPlane {
  nx: number;
  ny: number;
  offset: number;
}

/**
 * Where a face is pasted, in the coordinates of its crop: a convex polygon (the hull of the face's
 * landmarks, or the template's face outline) cut to the crop square, feathered inward. Outside it the
 * weight is exactly 0, so those image pixels are never written.
 */
export interface FaceRegion {
  edges: readonly HalfPlane[];
  /** Crop pixels over which the weight rises from 0 at the edge to 1 inside. */
  feather: number;
}

/** The share of the region's size (√area) the feather spans: wide enough to hide the seam, narrow enough to keep the face. */
const FEATHER_SHARE = 0.12;

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** The convex hull (Andrew's monotone chain), counter-clockwise in a y-down frame's mathematical sense; collinear points dropped. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((p, q) => p.x - q.x || p.y - q.y);
  if (sorted.length < 3) return sorted;
  const half = (ps: Point[]) => {
    const chain: Point[] = [];
    for (const p of ps) {
      while (chain.length >= 2 && cross(chain[chain.length - 2], chain[chain.length - 1], p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half(sorted.reverse())];
}

function polygonArea(hull: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const p = hull[i];
    const q = hull[(i + 1) % hull.length];
    twice += p.x * q.y - q.x * p.y;
  }
  return Math.abs(twice) / 2;
}

/** The half-planes of a convex polygon given counter-clockwise by `convexHull` (positive cross products). */
function edgesOf(hull: readonly Point[]): HalfPlane[] {
  return hull.map((p, i) => {
    const q = hull[(i + 1) % hull.length];
    const length = Math.hypot(q.x - p.x, q.y - p.y);
    // For a hull whose cross products are positive, the inside lies to the left of p→q: n = (−dy, dx).
    const nx = -(q.y - p.y) / length;
    const ny = (q.x - p.x) / length;
    return { nx, ny, offset: -(nx * p.x + ny * p.y) };
  });
}

/**
 * The paste region of a face from points in crop coordinates (landmarks mapped into the crop, or
 * `templateFaceOutline`): their convex hull, cut to the crop's pixels [0, side − 1]², feathered by a
 * share of the hull's size.
 */
export function faceRegion(points: readonly Point[], side: number): FaceRegion {
  const hull = convexHull(points);
  if (hull.length < 3) throw new Error('a face region needs three or more points that are not on one line');
  const last = side - 1;
  const square: HalfPlane[] = [
    { nx: 1, ny: 0, offset: 0 },
    { nx: -1, ny: 0, offset: last },
    { nx: 0, ny: 1, offset: 0 },
    { nx: 0, ny: -1, offset: last },
  ];
  return { edges: [...edgesOf(hull), ...square], feather: Math.max(1, FEATHER_SHARE * Math.sqrt(polygonArea(hull))) };
}

/**
 * The region's weight at crop point (x, y): 0 on and outside its edges, 1 from `feather` inside them,
 * a smoothstep between (no visible ramp ends). For a convex region the distance to its boundary from
 * inside is the least distance to its edges' lines.
 */
export function regionWeight(region: FaceRegion, x: number, y: number): number {
  let inside = Number.POSITIVE_INFINITY;
  for (const e of region.edges) {
    const d = e.nx * x + e.ny * y + e.offset;
    if (d <= 0) return 0;
    if (d < inside) inside = d;
  }
  if (inside >= region.feather) return 1;
  const t = inside / region.feather;
  return t * t * (3 - 2 * t);
}

/** The region's weights over every pixel of a `side`×`side` crop, row by row. */
export function regionMask(region: FaceRegion, side: number): Float32Array {
  const mask = new Float32Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) mask[y * side + x] = regionWeight(region, x, y);
  return mask;
}
