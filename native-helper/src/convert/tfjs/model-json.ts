import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { MendError, messageOf } from '../../errors';

/** Reads and validates a TF.js model.json; `kind` names the format in the error ("layers model", "graph model"). */
export async function readModelJson<T>(modelJsonPath: string, schema: z.ZodType<T>, kind: string): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  } catch (error) {
    throw new MendError('bad_input', `${modelJsonPath}: not a readable TF.js model.json (${messageOf(error)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new MendError('model_invalid', `${modelJsonPath} is not a TF.js ${kind} (${parsed.error.issues[0]?.message ?? 'unexpected shape'})`);
  return parsed.data;
}

/** One weights-manifest group's bytes: its shards, beside model.json, concatenated in order as TF.js does. */
export async function readWeightGroup(modelJsonPath: string, paths: readonly string[]): Promise<Buffer> {
  return Buffer.concat(await Promise.all(paths.map((p) => readFile(path.join(path.dirname(modelJsonPath), p)))));
}
