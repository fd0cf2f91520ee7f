import { applyDetailStrength } from '../imaging/detail-strength';
import { meanScores, scoreImage } from './score';
import { outputOf, type UpscaleRun } from './upscale-runs';

/** The detail strengths the curve samples: the slider's range, densest around the model's own output. */
export const DETAIL_STRENGTHS = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** What the curve plots: fidelity (PSNR-Y, SSIM-Y) against detail (the detail ratio; the truth's is 1). */
export interface CurveScores {
  psnrY: number;
  ssimY: number;
  detailRatio: number;
}

export interface DetailCurvePoint extends CurveScores {
  k: number;
}

export interface DetailCurve {
  model: string;
  /** Mean over the images at each strength. */
  points: DetailCurvePoint[];
}

function curveScores(runs: readonly UpscaleRun[], result: (run: UpscaleRun) => Parameters<typeof scoreImage>[1], border: number): CurveScores {
  const { psnrY, ssimY, detailRatio } = meanScores(runs.map((run) => scoreImage(run.truth, result(run), border)));
  return { psnrY, ssimY, detailRatio };
}

/** `model`'s output at every strength of DETAIL_STRENGTHS over `base`, scored against the truth with `border` pixels shaved. */
export function detailCurve(runs: readonly UpscaleRun[], model: string, base: string, border: number): DetailCurve {
  return {
    model,
    points: DETAIL_STRENGTHS.map((k) => ({ k, ...curveScores(runs, (run) => applyDetailStrength(outputOf(run, base), outputOf(run, model), k), border) })),
  };
}

/** The eval's bicubic baseline on the same images: the line k = 0 must stay above. */
export function bicubicScores(runs: readonly UpscaleRun[], border: number): CurveScores {
  return curveScores(runs, (run) => run.bicubic, border);
}

/** One markdown table: a row per strength, PSNR-Y, SSIM-Y and detail ratio per model; bicubic last. */
export function detailCurveMarkdown(curves: readonly DetailCurve[], bicubic: CurveScores): string {
  const cells = ({ psnrY, ssimY, detailRatio }: CurveScores) => `${psnrY.toFixed(2)} | ${ssimY.toFixed(4)} | ${detailRatio.toFixed(2)}`;
  return [
    `| k | ${curves.map((c) => `${c.model} PSNR-Y dB | SSIM-Y | detail`).join(' | ')} |`,
    `| ---: | ${curves.map(() => '---: | ---: | ---:').join(' | ')} |`,
    ...DETAIL_STRENGTHS.map((k, i) => `| ${k} | ${curves.map((c) => cells(c.points[i])).join(' | ')} |`),
    `| *bicubic* | ${curves.map(() => cells(bicubic)).join(' | ')} |`,
  ].join('\n');
}
