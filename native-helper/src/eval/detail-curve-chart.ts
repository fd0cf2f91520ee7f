import type { CurveScores, DetailCurve } from './detail-curve';

const COLORS = ['#d95f02', '#7570b3', '#1b9e77', '#e7298a'];
const PANEL = { width: 320, height: 280, left: 58, right: 14, top: 36, bottom: 44 };
const LEGEND_HEIGHT = 28;
const K_MAX = 2;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An axis range with a little air around every value shown, not below 0 when no value is. */
function range(values: readonly number[]): { min: number; max: number } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return { min: lo >= 0 ? Math.max(0, lo - pad) : lo - pad, max: hi + pad };
}

function panel(index: number, title: string, metric: keyof CurveScores, curves: readonly DetailCurve[], bicubic: CurveScores, digits: number): string {
  const offsetX = index * PANEL.width;
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const { min, max } = range([...curves.flatMap((c) => c.points.map((p) => p[metric])), bicubic[metric]]);
  const px = (k: number) => offsetX + PANEL.left + (k / K_MAX) * plotWidth;
  const py = (v: number) => PANEL.top + plotHeight - ((v - min) / (max - min)) * plotHeight;
  const parts = [`<text x="${offsetX + PANEL.width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = min + ((max - min) * i) / 4;
    const k = (K_MAX * i) / 4;
    parts.push(`<line x1="${px(0)}" y1="${py(v)}" x2="${px(K_MAX)}" y2="${py(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${px(0) - 6}" y="${py(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(digits)}</text>`);
    parts.push(`<text x="${px(k)}" y="${py(min) + 16}" text-anchor="middle" font-size="11">${k}</text>`);
  }
  parts.push(`<line x1="${px(0)}" y1="${py(min)}" x2="${px(K_MAX)}" y2="${py(min)}" stroke="#333"/>`);
  parts.push(`<line x1="${px(0)}" y1="${py(min)}" x2="${px(0)}" y2="${py(max)}" stroke="#333"/>`);
  parts.push(`<text x="${px(K_MAX / 2)}" y="${PANEL.height - 10}" text-anchor="middle" font-size="12">detail strength k</text>`);
  parts.push(`<line x1="${px(0)}" y1="${py(bicubic[metric])}" x2="${px(K_MAX)}" y2="${py(bicubic[metric])}" stroke="#888" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  curves.forEach((curve, c) => {
    const points = curve.points.map((p) => `${px(p.k).toFixed(1)},${py(p[metric]).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${COLORS[c % COLORS.length]}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of curve.points) parts.push(`<circle cx="${px(p.k).toFixed(1)}" cy="${py(p[metric]).toFixed(1)}" r="3.5" fill="${COLORS[c % COLORS.length]}"/>`);
  });
  return parts.join('\n');
}

/** PSNR-Y, SSIM-Y and detail ratio against the detail strength, one line per model, bicubic dashed; a standalone SVG. */
export function detailCurveSvg(curves: readonly DetailCurve[], bicubic: CurveScores): string {
  const width = PANEL.width * 3;
  const height = PANEL.height + LEGEND_HEIGHT;
  const legendEntries = [...curves.map((c, i) => ({ label: c.model, color: COLORS[i % COLORS.length], dashed: false })), { label: 'bicubic', color: '#888', dashed: true }];
  const legend = legendEntries
    .map(({ label, color, dashed }, i) => {
      const x = 24 + i * (width / legendEntries.length);
      const y = PANEL.height + 13;
      return `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${color}" stroke-width="3"${dashed ? ' stroke-dasharray="5 4"' : ''}/><text x="${x + 28}" y="${y + 4}" font-size="12">${escapeXml(label)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    panel(0, 'PSNR-Y (dB)', 'psnrY', curves, bicubic, 2),
    panel(1, 'SSIM-Y', 'ssimY', curves, bicubic, 3),
    panel(2, 'detail ratio (truth = 1)', 'detailRatio', curves, bicubic, 2),
    legend,
    '</svg>',
    '',
  ].join('\n');
}
