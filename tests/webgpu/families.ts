import { FACE_MODELS } from '../../native-helper/src/faces/face-models';
import { describeOnSwiftShader, type ModelComparison, modelFile, runCheck } from './swiftshader';
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';

/** One model of a shipped family at the smallest input it takes; `range`: the value range its input is in. */
export interface FamilyModel {
  family: string;
  /** Which of the three test files runs it: they take about as long each (SwiftShader times below). */
  part: 1 | 2 | 3;
  file: string;
  side: number;
  range: number;
}

const catalog = (part: FamilyModel['part'], family: string, id: string, side: number, range = 1): FamilyModel => ({ part, family, file: modelFile(id), side, range });
const face = (part: FamilyModel['part'], family: string, id: keyof typeof FACE_MODELS): FamilyModel => ({
  part,
  family,
  file: path.join(modelCacheDir(), FACE_MODELS[id].file),
  side: 0,
  range: 1,
});

/**
 * Inputs are as small as each model allows: SwiftShader ran realesr-animevideov3-x2 at 16² in 4 s warm on a
 * busy 2-core machine, and cost grows with pixels. Real-CUGAN and waifu2x CUNet need 32² (their U-Nets crop),
 * the face models have fixed inputs (256², 192², 224²). RRDB is realesrgan-x4plus-anime (6 blocks, the same
 * ops as x4plus's 23). MAXIM is left out: its 128² graph (13,800 nodes) ran over 15 minutes on SwiftShader.
 */
// WebGPU seconds measured on a 2-core machine under a load of 8–10 (other jobs): the tier's own cost is about a third.
export const FAMILIES: FamilyModel[] = [
  catalog(3, 'Real-ESRGAN compact (ncnn)', 'realesr-animevideov3-x2', 16), // 27 s
  catalog(3, 'RRDB (ncnn)', 'realesrgan-x4plus-anime', 8), // 30 s
  catalog(2, 'Real-CUGAN (ncnn)', 'realcugan-up2x-conservative', 32), // 83 s
  catalog(1, 'waifu2x CUNet (ncnn)', 'waifu2x-cunet-scale2x', 32), // 83 s
  catalog(2, 'ESRGAN thick (TF.js)', 'esrgan-thick-x2', 8), // 38 s
  catalog(3, 'ESRGAN medium (TF.js)', 'esrgan-medium-x2', 16, 255), // 22 s
  catalog(3, 'ESRGAN slim (TF.js)', 'esrgan-slim-x2', 16, 255), // 25 s
  face(3, 'BlazeFace (ONNX)', 'blazeface-256'), // 36 s
  face(2, 'FaceMesh (TF.js graph)', 'face-mesh'), // 17 s
  face(1, 'FaceRes identity (TF.js graph)', 'face-description'), // 60 s
];

/** The tier's tolerance: far under one 8-bit step (3.9e-3). */
export const TOLERANCE = 1e-3;

export function compareFamily(model: FamilyModel): Promise<ModelComparison> {
  return runCheck<ModelComparison>({ kind: 'model', file: model.file, side: model.side, range: model.range });
}

/**
 * The families of one part, each compared with the CPU provider. The families are split over three files so that
 * jest's workers run them side by side (`FamilyModel.part`).
 */
export function describeFamilyPart(part: FamilyModel['part']): void {
  describeOnSwiftShader(`shipped families on WebGPU (SwiftShader) against the CPU provider, part ${part} of 3`, () => {
    it.each(FAMILIES.filter((m) => m.part === part).map((m) => [m.family, m] as const))(
      '%s',
      async (_, model) => {
        const result = await compareFamily(model);
        expect(result.provider).toBe('webgpu');
        expect(result.maxDiff).toBeLessThanOrEqual(TOLERANCE);
        console.log(
          `${model.family} ${model.side ? `${model.side}²` : 'fixed input'}: max diff ${result.maxDiff.toExponential(1)}, CPU ${Math.round(result.cpuMs)} ms, WebGPU ${Math.round(result.webgpuMs)} ms`,
        );
      },
      600_000,
    );
  });
}
