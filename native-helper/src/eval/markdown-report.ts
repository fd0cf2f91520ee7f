import path from 'node:path';
import type { EvalReport, EvalTable, MethodResult } from './report';

const db = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '∞');
const fraction = (value: number) => value.toFixed(4);

function row(method: MethodResult, bicubicPsnr: number | undefined): string {
  const { mean } = method;
  const versus = bicubicPsnr === undefined ? '' : ` | ${mean.psnrY - bicubicPsnr >= 0 ? '+' : ''}${(mean.psnrY - bicubicPsnr).toFixed(2)}`;
  const name = method.kind === 'baseline' ? `*${method.method}*` : `\`${method.method}\``;
  const seconds = method.msPerImage === undefined ? '' : (method.msPerImage / 1000).toFixed(1);
  return `| ${name} | ${db(mean.psnrY)} | ${fraction(mean.ssimY)} | ${db(mean.psnrRgb)} | ${fraction(mean.ssimRgb)} | ${mean.detailRatio.toFixed(2)}${versus} | ${seconds} |`;
}

/** One table; upscaling tables also show each method's PSNR-Y gain over the bicubic baseline. */
export function tableMarkdown(table: EvalTable): string {
  const bicubic = table.methods.find((m) => m.method === 'bicubic')?.mean.psnrY;
  const sorted = [...table.methods].sort((a, b) => b.mean.psnrY - a.mean.psnrY);
  const extra = bicubic === undefined ? '' : ' | Δ PSNR-Y vs bicubic';
  return [
    `### ${table.label} — ${table.domain} (${table.images.join(', ')})`,
    '',
    `| method | PSNR-Y dB | SSIM-Y | PSNR-RGB dB | SSIM-RGB | detail ratio${extra} | s / image |`,
    `| --- | ---: | ---: | ---: | ---: | ---:${bicubic === undefined ? '' : ' | ---:'} | ---: |`,
    ...sorted.map((m) => row(m, bicubic)),
  ].join('\n');
}

export function reportMarkdown(report: EvalReport): string {
  const outDir = path.dirname(report.files.markdown);
  const sections = [
    `# mend eval${report.quick ? ' --quick' : ''}`,
    '',
    `Mend ${report.version}, provider \`${report.provider}\`, ${report.startedAt}, ${(report.totalMs / 1000).toFixed(0)} s. Models run through the same runner as \`mend upscale|restore\`.`,
    '',
    '## Metrics',
    '',
    ...Object.entries(report.metrics).map(([name, text]) => `- **${name}**: ${text}`),
    '',
    '## Images',
    '',
    ...report.images.map(
      (i) =>
        `- \`${i.id}\`: ${i.file}, ${i.crop.width}×${i.crop.height} at (${i.crop.x}, ${i.crop.y})${i.domain === 'art' ? ', cel-shaded and shrunk ×2 as a stand-in for drawn art' : ''}`,
    ),
    '',
    '## Tables (best PSNR-Y first; baselines in italics)',
    '',
    ...report.tables.flatMap((t) => [tableMarkdown(t), '']),
  ];
  if (report.defaults.length) {
    sections.push('## Defaults per role', '', '| role | measured best | catalog now | basis |', '| --- | --- | --- | --- |');
    for (const d of report.defaults) sections.push(`| ${d.role} | \`${d.model}\` | \`${d.catalogModel ?? '—'}\`${d.catalogModel === d.model ? '' : ' (differs)'} | ${d.basis} |`);
    sections.push('');
  }
  sections.push('## Contact sheets', '', ...report.files.contactSheets.map((f) => `![${path.basename(f)}](${path.relative(outDir, f)})`), '');
  return sections.join('\n');
}
