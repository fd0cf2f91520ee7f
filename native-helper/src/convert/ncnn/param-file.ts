import { MendError } from '../../errors';

export type ParamValue = number | number[];

export interface NcnnLayer {
  type: string;
  name: string;
  bottoms: string[];
  tops: string[];
  params: Map<number, ParamValue>;
}

const MAGIC = '7767517';
/** Array parameters are written with key -(23300 + id). */
const ARRAY_KEY_BASE = -23300;

function parseNumber(text: string, where: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new MendError('model_invalid', `${where}: "${text}" is not a number`);
  return value;
}

/** Parses ncnn's text .param format: magic, layer and blob counts, then one layer per line. */
export function parseParamFile(text: string, fileName: string): NcnnLayer[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines[0] !== MAGIC) throw new MendError('model_invalid', `${fileName} is not an ncnn .param file (its first line is not ${MAGIC})`);
  const [layerCount] = lines[1].split(/\s+/).map((t) => parseNumber(t, `${fileName} line 2`));
  const layers: NcnnLayer[] = [];
  for (const [index, line] of lines.slice(2).entries()) {
    const where = `${fileName} line ${index + 3}`;
    const tokens = line.split(/\s+/);
    const [type, name, bottomCountText, topCountText] = tokens;
    const bottomCount = parseNumber(bottomCountText, where);
    const topCount = parseNumber(topCountText, where);
    const bottoms = tokens.slice(4, 4 + bottomCount);
    const tops = tokens.slice(4 + bottomCount, 4 + bottomCount + topCount);
    const params = new Map<number, ParamValue>();
    for (const pair of tokens.slice(4 + bottomCount + topCount)) {
      const [keyText, valueText] = pair.split('=');
      if (valueText === undefined) throw new MendError('model_invalid', `${where}: parameter "${pair}" is not key=value`);
      const key = parseNumber(keyText, where);
      if (key <= ARRAY_KEY_BASE) {
        const [count, ...items] = valueText.split(',').map((t) => parseNumber(t, where));
        if (items.length !== count) throw new MendError('model_invalid', `${where}: array parameter ${keyText} announces ${count} items but has ${items.length}`);
        params.set(ARRAY_KEY_BASE - key, items);
      } else {
        params.set(key, parseNumber(valueText, where));
      }
    }
    layers.push({ type, name, bottoms, tops, params });
  }
  if (layers.length !== layerCount) throw new MendError('model_invalid', `${fileName} announces ${layerCount} layers but holds ${layers.length}`);
  return layers;
}

export function intParam(layer: NcnnLayer, id: number, fallback: number): number {
  const value = layer.params.get(id);
  if (value === undefined) return fallback;
  if (Array.isArray(value)) throw new MendError('model_invalid', `layer ${layer.name}: parameter ${id} should be a number`);
  return value;
}

export function arrayParam(layer: NcnnLayer, id: number): number[] | undefined {
  const value = layer.params.get(id);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}
