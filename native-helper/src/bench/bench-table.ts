import { formatBytes, PATH_TITLES, TILE_SPEED_TOLERANCE, type BenchDocument, type BenchRow } from './bench-document';

const cell = (value: number | null, digits: number) => (value === null ? '–' : value.toFixed(digits));
const seconds = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(ms < 10_000 ? 2 : 1));
const ratio = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);

function rowLine(row: BenchRow): string {
  if (row.notRun) return `| ${row.path} | ${row.size}² | ${row.megapixels.toFixed(3)} | not run: ${row.notRun} | | | | |`;
  return `| ${row.path} | ${row.size}² | ${row.megapixels.toFixed(3)} | ${seconds(row.medianMs)} | ${row.runsMs.length} | ${cell(row.megapixelsPerSecond, 3)} | ${cell(row.gflopsPerSecond, 1)} | ${formatBytes(row.peakRssBytes)} |`;
}

/** The report as markdown: rows per path and size, ratios, targets, tile sweep. */
export function benchMarkdown(doc: BenchDocument): string {
  const lines: string[] = [];
  const m = doc.machine;
  lines.push(`# mend bench: ${doc.model} (×${doc.scale}, provider ${doc.provider})`, '');
  lines.push(
    `${m.cpus} × ${m.cpuModel}, ${formatBytes(m.memoryBytes)} RAM, ${m.platform}-${m.arch}, Node ${m.node}. Median of ${doc.repeats} run(s) per cell${doc.quick ? ' (quick run)' : ''}.`,
  );
  if (doc.gflopPerMegapixel !== null) {
    lines.push(`Model work: ${doc.gflopPerMegapixel.toFixed(0)} GFLOP per input megapixel (2 × multiply-accumulates of Conv/ConvTranspose/Gemm/MatMul, whole image).`);
  }
  lines.push('', '| path | input | MP | time (s) | runs | MP/s | GFLOP/s | peak RSS |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of doc.rows) lines.push(rowLine(row));
  const titles = { ...PATH_TITLES, ...(doc.fixedSide ? { 'engine-limit': `engine limit (session.run on the image's ${doc.fixedSide}² tiles back to back, no overlap)` } : {}) };
  lines.push('', 'Paths:', ...Object.entries(titles).map(([path, title]) => `- \`${path}\`: ${title}`));
  lines.push('', '| input | CLI / engine limit | server / engine limit | reference / CLI |', '| --- | ---: | ---: | ---: |');
  for (const r of doc.ratios) lines.push(`| ${r.size}² | ${ratio(r.cliOverEngineLimit)} | ${ratio(r.serverOverEngineLimit)} | ${ratio(r.referenceOverCli)} |`);
  lines.push('', '| target | goal | measured | met |', '| --- | --- | --- | --- |');
  for (const t of doc.targets) lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);
  for (const sweep of doc.tileSweep) {
    lines.push(
      '',
      `Tile size, provider ${sweep.provider}, ${sweep.size}² input through the CLI (catalog tile now ${sweep.current}, fastest ${sweep.best}, recommended ${sweep.recommended}: the smallest within ${TILE_SPEED_TOLERANCE * 100} % of the fastest, as memory grows with the tile):`,
      '',
    );
    lines.push('| tile | time (s) | MP/s | peak RSS |', '| ---: | ---: | ---: | ---: |');
    for (const p of sweep.points) lines.push(`| ${p.tile} | ${seconds(p.medianMs)} | ${p.megapixelsPerSecond.toFixed(3)} | ${formatBytes(p.peakRssBytes)} |`);
  }
  return `${lines.join('\n')}\n`;
}
