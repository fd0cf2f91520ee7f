import { stat } from 'node:fs/promises';
import path from 'node:path';
import { MendError } from '../errors';
import { formatFromPath, type ImageFormat } from '../codecs/image-file';

export interface OutputTarget {
  file: string;
  format: ImageFormat;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `-o` names a file (one input, a .png/.jpg name) or a folder (an existing folder, a name ending in
 * a slash, or several inputs); in a folder each output is named after its input plus `suffix`.
 */
export async function resolveOutputs(inputs: string[], output: string, suffix: string): Promise<OutputTarget[]> {
  const asFolder = inputs.length > 1 || /[\\/]$/.test(output) || (await isDirectory(output)) || path.extname(output) === '';
  if (!asFolder) {
    const format = formatFromPath(output);
    if (!format) throw new MendError('bad_usage', `cannot write ${output}: use a .png, .jpg or .jpeg name, or a folder`);
    return [{ file: path.resolve(output), format: format }];
  }
  const seen = new Set<string>();
  return inputs.map((input) => {
    const format = formatFromPath(input) ?? 'png';
    const extension = format === 'jpeg' ? path.extname(input) : '.png';
    const file = path.resolve(output, `${path.basename(input, path.extname(input))}${suffix}${extension}`);
    if (seen.has(file)) throw new MendError('bad_usage', `two inputs would both be written to ${file}; give them different names`);
    seen.add(file);
    return { file, format };
  });
}
