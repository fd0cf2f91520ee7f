import path from 'node:path';
import type { Command } from 'commander';
import { modelCacheDir } from '../app';
import { decodeImageFile } from '../codecs/image-file';
import { Engine } from '../engine/engine';
import { detectFaces, loadFaceDetector } from '../faces/detect-faces';
import { FACE_KEYPOINTS, type DetectedFace, type FaceKeypointName, type Point } from '../faces/detected-face';
import { readyFaceModel } from '../faces/face-models';
import type { CliIo } from './cli-io';
import { providerOption } from './command-options';
import { EXIT, type SetExitCode } from './exit-codes';

interface FacesFlags {
  provider?: string;
  json?: boolean;
}

/** One face as `--json` prints it: pixels to a tenth, the score to a thousandth. */
export interface FaceJson {
  box: { x: number; y: number; width: number; height: number };
  keypoints: Record<FaceKeypointName, Point>;
  score: number;
}

const tenth = (v: number) => Math.round(v * 10) / 10;

function faceJson(face: DetectedFace): FaceJson {
  const { box } = face;
  return {
    box: { x: tenth(box.x), y: tenth(box.y), width: tenth(box.width), height: tenth(box.height) },
    keypoints: Object.fromEntries(FACE_KEYPOINTS.map((name, k) => [name, { x: tenth(face.keypoints[k].x), y: tenth(face.keypoints[k].y) }])) as Record<FaceKeypointName, Point>,
    score: Math.round(face.score * 1000) / 1000,
  };
}

const at = (p: Point) => `(${Math.round(p.x)}, ${Math.round(p.y)})`;

function faceLine(face: FaceJson, index: number): string {
  const { box, keypoints: k } = face;
  return [
    `  ${index + 1}. box ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)}  score ${face.score.toFixed(2)}`,
    `     eyes ${at(k.rightEye)} ${at(k.leftEye)}  nose ${at(k.noseTip)}  mouth ${at(k.mouth)}  ears ${at(k.rightEar)} ${at(k.leftEar)}`,
  ].join('\n');
}

export function addFacesCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('faces')
    .description('find the faces in a photo: box, 6 keypoints (eyes, nose tip, mouth, ears) and score of each, in image pixels')
    .argument('<input>', 'PNG or JPEG file')
    .addOption(providerOption())
    .option('--json', 'print {input, width, height, faces: [{box, keypoints, score}]} as JSON')
    .action(async (input: string, flags: FacesFlags) => setExit(await findFaces(input, flags, io)));
}

/** `mend faces <input> [--json]`: BlazeFace over a pyramid of the image (faces from about 20 px to the whole frame). */
export async function findFaces(input: string, flags: FacesFlags, io: CliIo): Promise<number> {
  const { image } = await decodeImageFile(input);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  const engine = new Engine({ provider: flags.provider ?? io.env.MEND_PROVIDER });
  try {
    const model = await readyFaceModel('blazeface-256', modelCacheDir(), { signal: controller.signal });
    const faces = (await detectFaces(await loadFaceDetector(engine, model), image, { signal: controller.signal })).map(faceJson);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ input, width: image.width, height: image.height, faces })}\n`);
      return EXIT.ok;
    }
    const count = faces.length === 1 ? '1 face' : `${faces.length} faces`;
    io.stdout.write(`${path.basename(input)} (${image.width}×${image.height}): ${count}\n${faces.map(faceLine).join('\n')}${faces.length ? '\n' : ''}`);
    return EXIT.ok;
  } finally {
    stopListening();
    await engine.close();
  }
}
