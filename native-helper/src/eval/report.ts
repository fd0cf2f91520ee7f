import type { ModelManifest } from '../catalog/manifest';
import type { DegradationKind } from './degradations';
import type { Scores } from './score';
import type { EvalDomain } from './test-set';

export interface MethodResult {
  /** Baseline id ('identity', 'bicubic', 'richardson-lucy', …) or catalog model id. */
  method: string;
  kind: 'baseline' | 'model';
  label: string;
  /** Models: the catalog's domain and native scale. */
  domain?: ModelManifest['domain'];
  modelScale?: number;
  /** Mean over the table's images. */
  mean: Scores;
  images: Array<{ image: string } & Scores>;
  /** Mean wall time per image: models through the runner (this machine, this provider), baselines in-process on one core. */
  msPerImage?: number;
}

/** One degradation measured on the images of one domain. */
export interface EvalTable {
  degradation: string;
  label: string;
  kind: DegradationKind;
  scale: number;
  domain: EvalDomain;
  images: string[];
  /** Pixels shaved off each side before measuring. */
  border: number;
  methods: MethodResult[];
}

export interface RoleChoice {
  role: string;
  /** The model the measurements pick. */
  model: string;
  /** The catalog's model for the role today; differs from `model` until the catalog is updated. */
  catalogModel?: string;
  basis: string;
}

export interface EvalReport {
  tool: 'mend eval';
  version: string;
  quick: boolean;
  provider: string;
  startedAt: string;
  totalMs: number;
  metrics: Record<string, string>;
  images: Array<{ id: string; file: string; domain: EvalDomain; crop: { x: number; y: number; width: number; height: number } }>;
  tables: EvalTable[];
  defaults: RoleChoice[];
  files: { markdown: string; json: string; contactSheets: string[] };
}

export const METRIC_DEFINITIONS: Record<string, string> = {
  psnrY: 'PSNR in dB on luma Y = 16 + (65.481 R + 128.553 G + 24.966 B), R,G,B in 0..1 (ITU-R BT.601, MATLAB rgb2ycbcr, unrounded), peak 255',
  ssimY: 'SSIM (Wang et al. 2004) on the same Y: 11×11 Gaussian window σ=1.5, K1=0.01, K2=0.03, L=255, mean over positions where the window fits',
  psnrRgb: 'PSNR in dB with the squared error averaged over R, G and B, peak 255',
  ssimRgb: 'mean of the SSIMs of R, G and B',
  detailRatio:
    'high-frequency energy (mean square of Y minus its Gaussian blur, σ=1 px) of the result over the ground truth’s; 1 = as much detail, < 1 blurrier, > 1 invented or amplified detail (no reference needed for the energy itself)',
  border: 'upscaling: `scale` pixels shaved off each side before measuring, as super-resolution benchmarks do; restoration: none',
  means: 'per-table values are arithmetic means over the table’s images (dB averaged as dB)',
};
