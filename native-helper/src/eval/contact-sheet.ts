import sharp, { type OverlayOptions } from 'sharp';
import type { PixelImage } from '../imaging/pixel-image';

export interface SheetRow {
  label: string;
  /** One image per column, all of the same size. */
  cells: PixelImage[];
}

const HEADER = 34;
const ROW_LABEL = 150;
const GAP = 4;
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12"';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function textSvg(width: number, height: number, lines: string[], anchorMiddle: boolean): Buffer {
  const x = anchorMiddle ? width / 2 : 4;
  const tspans = lines.map((line, i) => `<tspan x="${x}" y="${14 + i * 14}">${escapeXml(line)}</tspan>`).join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text ${FONT} fill="#111" text-anchor="${anchorMiddle ? 'middle' : 'start'}">${tspans}</text></svg>`,
  );
}

/** Where a cell's image lies on a sheet: its top-left pixel. */
export function cellOrigin(row: number, column: number, cellWidth: number, cellHeight: number): { left: number; top: number } {
  return { left: ROW_LABEL + column * (cellWidth + GAP), top: HEADER + row * (cellHeight + GAP) };
}

/** Long model ids break at their dashes so they fit a column. */
function wrap(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of label.split(/(?<=-)/)) {
    if (line && line.length + part.length > maxChars) {
      lines.push(line);
      line = '';
    }
    line += part;
  }
  return [...lines, line].slice(0, 2);
}

/**
 * A PNG of the results side by side at 1:1 (no resampling, so what one sees is what the method made):
 * one column per method under its label, one row per image.
 */
export async function contactSheetPng(columnLabels: readonly string[], rows: readonly SheetRow[]): Promise<Buffer> {
  const first = rows[0]?.cells[0];
  if (!first) throw new Error('a contact sheet needs at least one image');
  const cellWidth = first.width;
  const cellHeight = first.height;
  const width = ROW_LABEL + columnLabels.length * (cellWidth + GAP);
  const height = HEADER + rows.length * (cellHeight + GAP);
  const layers: OverlayOptions[] = columnLabels.map((label, c) => ({
    input: textSvg(cellWidth, HEADER, wrap(label, Math.floor(cellWidth / 7)), true),
    left: cellOrigin(0, c, cellWidth, cellHeight).left,
    top: 0,
  }));
  rows.forEach((row, r) => {
    const { top } = cellOrigin(r, 0, cellWidth, cellHeight);
    layers.push({ input: textSvg(ROW_LABEL, cellHeight, [row.label], false), left: 0, top });
    row.cells.forEach((cell, c) => {
      if (cell.width !== cellWidth || cell.height !== cellHeight || cell.bitDepth !== 8) throw new Error('contact sheet cells must all be 8-bit and of one size');
      const raw = { width: cell.width, height: cell.height, channels: cell.channels as 1 | 2 | 3 | 4 };
      layers.push({ input: Buffer.from(cell.data.buffer, cell.data.byteOffset, cell.data.byteLength), raw, ...cellOrigin(r, c, cellWidth, cellHeight) });
    });
  });
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toBuffer();
}
