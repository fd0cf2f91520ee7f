import { BENCH_PATHS, type BenchDocument, type BenchPath, type BenchRow } from './bench-document';

const COLORS: Record<BenchPath, string> = {
  'engine-limit': '#1b9e77',
  cli: '#d95f02',
  server: '#7570b3',
  reference: '#e7298a',
};

const PANEL = { width: 420, height: 300, left: 64, right: 16, top: 40, bottom: 48 };
const WIDTH = PANEL.width * 2;
const LEGEND_HEIGHT = 28;
const HEIGHT = PANEL.height + LEGEND_HEIGHT;

interface Series {
  path: BenchPath;
  points: Array<{ x: number; y: number }>;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis maximum (1, 2 or 5 × 10^k) at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

function seriesOf(rows: readonly BenchRow[], y: (row: BenchRow) => number | null): Series[] {
  return BENCH_PATHS.map((path) => ({
    path,
    points: rows
      .filter((r) => r.path === path && y(r) !== null)
      .map((r) => ({ x: r.megapixels, y: y(r) as number }))
      .sort((a, b) => a.x - b.x),
  })).filter((s) => s.points.length > 0);
}

/** One linear-axes panel: a straight line through the origin is cost proportional to pixels. */
function panel(offsetX: number, title: string, yLabel: string, series: Series[]): string {
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const xMax = niceCeiling(Math.max(...series.flatMap((s) => s.points.map((p) => p.x)), 0));
  const yMax = niceCeiling(Math.max(...series.flatMap((s) => s.points.map((p) => p.y)), 0));
  const px = (x: number) => offsetX + PANEL.left + (x / xMax) * plotWidth;
  const py = (y: number) => PANEL.top + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(`<text x="${offsetX + PANEL.width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const yValue = (yMax * i) / 4;
    const xValue = (xMax * i) / 4;
    parts.push(`<line x1="${px(0)}" y1="${py(yValue)}" x2="${px(xMax)}" y2="${py(yValue)}" stroke="#ddd"/>`);
    parts.push(`<text x="${px(0) - 6}" y="${py(yValue) + 4}" text-anchor="end" font-size="11">${Number(yValue.toPrecision(3))}</text>`);
    parts.push(`<text x="${px(xValue)}" y="${py(0) + 16}" text-anchor="middle" font-size="11">${Number(xValue.toPrecision(3))}</text>`);
  }
  parts.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(xMax)}" y2="${py(0)}" stroke="#333"/>`);
  parts.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(0)}" y2="${py(yMax)}" stroke="#333"/>`);
  parts.push(`<text x="${px(xMax / 2)}" y="${PANEL.height - 12}" text-anchor="middle" font-size="12">input megapixels</text>`);
  parts.push(`<text transform="translate(${offsetX + 16} ${PANEL.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`);
  for (const s of series) {
    const color = COLORS[s.path];
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of s.points) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${color}"/>`);
  }
  return parts.join('\n');
}

/** Time and peak memory against input megapixels, one line per path, as a standalone SVG. */
export function benchChartSvg(doc: BenchDocument): string {
  const time = seriesOf(doc.rows, (r) => (r.medianMs === null ? null : r.medianMs / 1000));
  const memory = seriesOf(doc.rows, (r) => (r.peakRssBytes === null ? null : r.peakRssBytes / 1e6));
  const shown = BENCH_PATHS.filter((p) => time.some((s) => s.path === p) || memory.some((s) => s.path === p));
  const legend = shown
    .map((p, i) => {
      const x = 24 + i * (WIDTH / Math.max(shown.length, 1));
      return `<rect x="${x}" y="${PANEL.height + 6}" width="14" height="14" fill="${COLORS[p]}"/><text x="${x + 20}" y="${PANEL.height + 18}" font-size="12">${escapeXml(p)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    panel(0, `${doc.model}: wall time`, 'seconds (median)', time),
    panel(PANEL.width, 'peak memory', 'peak RSS (MB)', memory),
    legend,
    '</svg>',
    '',
  ].join('\n');
}
