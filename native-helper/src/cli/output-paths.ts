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
 * `-o` names a file (one input, a name with an extension) or a folder (an existing folder, a name
 * ending in a slash, or a name without an extension); in a folder each output is named after its
 * input plus a suffix (asked for only then), in the input's format unless `folderFormat` is given.
 */
/** Whether `-o` names a folder: an existing folder, a name ending in a slash, or a name without an extension. */
export async function namesFolder(output: string): Promise<boolean> {
  return /[\\/]$/.test(output) || (await isDirectory(output)) || path.extname(output) === '';
}

export async function resolveOutputs(inputs: string[], output: string, suffixFor: () => Promise<string>, folderFormat?: ImageFormat): Promise<OutputTarget[]> {
  const toFolder = await namesFolder(output);
  if (!toFolder && inputs.length > 1) {
    throw new MendError('bad_usage', `${inputs.length} inputs need a folder after -o, but ${output} names a file; give a folder (end it with "/" if its name has a dot)`);
  }
  if (!toFolder) {
    const format = formatFromPath(output);
    if (!format) throw new MendError('bad_usage', `cannot write ${output}: use a .png, .jpg or .jpeg name, or a folder`);
    return [{ file: path.resolve(output), format: format }];
  }
  const suffix = await suffixFor();
  const seen = new Set<string>();
  return inputs.map((input) => {
    const format = folderFormat ?? formatFromPath(input) ?? 'png';
    const extension = format === 'jpeg' ? path.extname(input) : '.png';
    const file = path.resolve(output, `${path.basename(input, path.extname(input))}${suffix}${extension}`);
    if (seen.has(file)) throw new MendError('bad_usage', `two inputs would both be written to ${file}; give them different names`);
    seen.add(file);
    return { file, format };
  });
}
