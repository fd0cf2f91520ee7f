import path from 'node:path';
import type { ModelManifest } from '../catalog/manifest';
import { MendError } from '../errors';
import { PACKAGE_ROOT } from '../package-info';

/** What every measurement needs: the model, where to work, and how often to repeat. */
export interface BenchContext {
  manifest: ModelManifest;
  modelFile: string;
  provider: string;
  repeats: number;
  /** Scratch folder for inputs and outputs. */
  workDir: string;
  /** MEND_CONFIG_DIR of the child processes: a fresh token, no user models in the way. */
  configDir: string;
  /** One line of progress for the user (stderr). */
  log(line: string): void;
}

/** The tasks `mend bench` measures: models that map an image to an image with no mask. */
export type BenchTask = 'upscale' | 'restore';

export function benchTaskOf(manifest: ModelManifest): BenchTask {
  if (manifest.task === 'inpaint' || manifest.task === 'face') {
    throw new MendError('bad_usage', `${manifest.id} is ${manifest.task === 'inpaint' ? 'an inpainting' : 'a face'} model; mend bench measures upscale and restore models`);
  }
  return manifest.task;
}

/** A square test image on disk. */
export interface BenchImage {
  size: number;
  file: string;
}

/** The `mend` entry point the user runs; children start it exactly as a shell would. */
export const MEND_BIN = path.join(PACKAGE_ROOT, 'native-helper', 'bin', 'mend.js');

export function childEnv(context: BenchContext): NodeJS.ProcessEnv {
  return { ...process.env, MEND_CONFIG_DIR: context.configDir, MEND_PROVIDER: context.provider };
}

/** Shortest useful form of a child's failure: its last stderr line. */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.slice(0, 300) ?? '';
}
