/** A point in pixel coordinates: the centre of pixel (i, j) is at x = i, y = j. */
export interface Point {
  x: number;
  y: number;
}

/**
 * A similarity transform (rotation, uniform scale, translation; never a reflection):
 * x' = a·x − b·y + tx, y' = b·x + a·y + ty. Its scale is √(a² + b²).
 */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

export function scaleOf(t: Similarity): number {
  return Math.hypot(t.a, t.b);
}

export function invertSimilarity(t: Similarity): Similarity {
  const norm = t.a * t.a + t.b * t.b;
  if (norm === 0) throw new Error('a similarity of scale 0 has no inverse');
  const a = t.a / norm;
  const b = -t.b / norm;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** `second` after `first`: p ↦ second(first(p)). */
export function composeSimilarity(first: Similarity, second: Similarity): Similarity {
  return {
    a: second.a * first.a - second.b * first.b,
    b: second.b * first.a + second.a * first.b,
    tx: second.a * first.tx - second.b * first.ty + second.tx,
    ty: second.b * first.tx + second.a * first.ty + second.ty,
  };
}

/**
 * The similarity that maps `from` onto `to` with the least sum of squared distances (Umeyama 1991,
 * restricted to 2-D and to proper rotations). In 2-D with points as complex numbers z (from) and w (to),
 * centred on their means, the optimum of |c·z + t − w|² is c = Σ conj(z)·w / Σ |z|² — the same
 * rotation and scale Umeyama's SVD gives, in closed form — and t = mean(w) − c·mean(z).
 */
export function estimateSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) throw new Error(`a similarity needs two or more point pairs (got ${from.length} and ${to.length})`);
  const n = from.length;
  const mean = (ps: readonly Point[]) => ({ x: ps.reduce((s, p) => s + p.x, 0) / n, y: ps.reduce((s, p) => s + p.y, 0) / n });
  const mf = mean(from);
  const mt = mean(to);
  let dot = 0;
  let cross = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i].x - mf.x;
    const y = from[i].y - mf.y;
    const u = to[i].x - mt.x;
    const v = to[i].y - mt.y;
    dot += x * u + y * v;
    cross += x * v - y * u;
    spread += x * x + y * y;
  }
  if (spread === 0) throw new Error('the points to align all coincide');
  const a = dot / spread;
  const b = cross / spread;
  return { a, b, tx: mt.x - (a * mf.x - b * mf.y), ty: mt.y - (b * mf.x + a * mf.y) };
}
