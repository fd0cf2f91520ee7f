export interface NearestSites {
  /** Squared Euclidean distance to the nearest site; Infinity where there is no site at all. */
  distanceSquared: Float32Array;
  /** Pixel index (y·width + x) of that site; -1 where there is no site at all. */
  nearest: Int32Array;
}

/**
 * Exact Euclidean distance from every pixel to the nearest site (non-zero in `isSite`), and which
 * site that is: a column pass, then Felzenszwalb & Huttenlocher's lower envelope of parabolas per row.
 */
export function nearestSites(isSite: Uint8Array, width: number, height: number): NearestSites {
  const pixels = width * height;
  const columnDistance = new Float64Array(pixels);
  const columnSite = new Int32Array(pixels);
  for (let x = 0; x < width; x++) {
    let last = -1;
    for (let y = 0; y < height; y++) {
      if (isSite[y * width + x]) last = y;
      columnSite[y * width + x] = last;
    }
    let next = -1;
    for (let y = height - 1; y >= 0; y--) {
      const i = y * width + x;
      if (isSite[i]) next = y;
      const above = columnSite[i];
      const site = above < 0 ? next : next < 0 ? above : y - above <= next - y ? above : next;
      columnSite[i] = site;
      columnDistance[i] = site < 0 ? Infinity : (y - site) * (y - site);
    }
  }

  const distanceSquared = new Float32Array(pixels);
  const nearest = new Int32Array(pixels);
  const parabolas = new Int32Array(width);
  const bounds = new Float64Array(width + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let count = 0;
    for (let q = 0; q < width; q++) {
      const f = columnDistance[row + q];
      if (f === Infinity) continue;
      let s = 0;
      while (count > 0) {
        const p = parabolas[count - 1];
        s = (f + q * q - (columnDistance[row + p] + p * p)) / (2 * (q - p));
        if (s > bounds[count - 1]) break;
        count--;
      }
      parabolas[count] = q;
      bounds[count] = count === 0 ? -Infinity : s;
      count++;
    }
    if (count === 0) {
      distanceSquared.fill(Infinity, row, row + width);
      nearest.fill(-1, row, row + width);
      continue;
    }
    bounds[count] = Infinity;
    let k = 0;
    for (let x = 0; x < width; x++) {
      while (bounds[k + 1] < x) k++;
      const q = parabolas[k];
      distanceSquared[row + x] = (x - q) * (x - q) + columnDistance[row + q];
      nearest[row + x] = columnSite[row + q] * width + q;
    }
  }
  return { distanceSquared, nearest };
}
