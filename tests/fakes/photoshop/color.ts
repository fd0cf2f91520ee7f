import { notModeled, type Samples } from './model';

/**
 * The RGB profiles the fake converts between, as their ICC definitions give them: primaries and white point
 * (CIE xy) and the tone curve. Conversions go through linear light and XYZ with Bradford adaptation, and
 * clip to 0..1 as Photoshop's integer pixels must: a wide-gamut colour read as sRGB is lost.
 */
interface RgbProfile {
  primaries: [[number, number], [number, number], [number, number]];
  white: [number, number];
  toLinear(v: number): number;
  fromLinear(v: number): number;
}

const D65: [number, number] = [0.3127, 0.329];
const D50: [number, number] = [0.3457, 0.3585];

const srgbCurve = {
  toLinear: (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4),
  fromLinear: (v: number) => (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055),
};
const gammaCurve = (gamma: number) => ({ toLinear: (v: number) => v ** gamma, fromLinear: (v: number) => v ** (1 / gamma) });
/** ROMM (ProPhoto): gamma 1.8 with a linear toe below 1/512. */
const rommCurve = {
  toLinear: (v: number) => (v < 16 / 512 ? v / 16 : v ** 1.8),
  fromLinear: (v: number) => (v < 1 / 512 ? v * 16 : v ** (1 / 1.8)),
};

export const RGB_PROFILES: Record<string, RgbProfile> = {
  'sRGB IEC61966-2.1': {
    primaries: [
      [0.64, 0.33],
      [0.3, 0.6],
      [0.15, 0.06],
    ],
    white: D65,
    ...srgbCurve,
  },
  'Adobe RGB (1998)': {
    primaries: [
      [0.64, 0.33],
      [0.21, 0.71],
      [0.15, 0.06],
    ],
    white: D65,
    ...gammaCurve(563 / 256),
  },
  'ProPhoto RGB': {
    primaries: [
      [0.7347, 0.2653],
      [0.1596, 0.8404],
      [0.0366, 0.0001],
    ],
    white: D50,
    ...rommCurve,
  },
};
export const GRAY_PROFILES = ['Gray Gamma 2.2'];
export const DEFAULT_RGB_PROFILE = 'sRGB IEC61966-2.1';
export const DEFAULT_GRAY_PROFILE = 'Gray Gamma 2.2';

type Matrix = number[][];

function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, value, k) => sum + value * b[k][j], 0)));
}

function invert(m: Matrix): Matrix {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

const xyz = ([x, y]: [number, number]): number[] => [x / y, 1, (1 - x - y) / y];

function rgbToXyz(profile: RgbProfile): Matrix {
  const columns = profile.primaries.map(xyz);
  const primaries = [0, 1, 2].map((row) => columns.map((column) => column[row]));
  const white = xyz(profile.white);
  const scale = multiply(
    invert(primaries),
    white.map((v) => [v]),
  ).map(([v]) => v);
  return primaries.map((row) => row.map((value, column) => value * scale[column]));
}

const BRADFORD = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];

function adaptation(from: [number, number], to: [number, number]): Matrix {
  const source = multiply(
    BRADFORD,
    xyz(from).map((v) => [v]),
  );
  const target = multiply(
    BRADFORD,
    xyz(to).map((v) => [v]),
  );
  const diagonal = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? target[i][0] / source[i][0] : 0)));
  return multiply(invert(BRADFORD), multiply(diagonal, BRADFORD));
}

function linearMatrix(from: RgbProfile, to: RgbProfile): Matrix {
  return multiply(invert(rgbToXyz(to)), multiply(adaptation(from.white, to.white), rgbToXyz(from)));
}

export function isKnownProfile(colorSpace: 'RGB' | 'Grayscale', profile: string): boolean {
  return colorSpace === 'RGB' ? profile in RGB_PROFILES : GRAY_PROFILES.includes(profile);
}

/** Samples of `components` per pixel (colour first, then alpha) converted between profiles; alpha kept. */
export function convertProfile(samples: Samples, components: number, max: number, from: string, to: string): Samples {
  if (from === to) return samples;
  const source = RGB_PROFILES[from];
  const target = RGB_PROFILES[to];
  if (!source || !target || components < 3) notModeled(`conversion from ${from} to ${to}`);
  const m = linearMatrix(source, target);
  const out = samples.slice();
  const linear = [0, 0, 0];
  for (let at = 0; at < samples.length; at += components) {
    for (let c = 0; c < 3; c++) linear[c] = source.toLinear(samples[at + c] / max);
    for (let c = 0; c < 3; c++) {
      const value = m[c][0] * linear[0] + m[c][1] * linear[1] + m[c][2] * linear[2];
      out[at + c] = Math.round(target.fromLinear(Math.min(1, Math.max(0, value))) * max);
    }
  }
  return out;
}
