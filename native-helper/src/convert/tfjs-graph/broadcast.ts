import { allocate, sizeOf, stridesOf, type HostDtype, type HostTensor } from './host-tensor';

/** The shape numpy-style broadcasting gives two shapes, or undefined where they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    shape.push(da === 1 ? db : da);
  }
  return shape;
}

/**
 * Walks a tensor of `shape` in row-major order and gives, for each element, `start` plus the sum of
 * its coordinates times `strides`: the flat index it reads in a source laid out another way.
 */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], start = 0): Int32Array {
  const offsets = new Int32Array(sizeOf(shape));
  const counter = new Array<number>(shape.length).fill(0);
  let source = start;
  for (let i = 0; i < offsets.length; i++) {
    offsets[i] = source;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      counter[axis]++;
      source += strides[axis];
      if (counter[axis] < shape[axis]) break;
      source -= strides[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
  return offsets;
}

/** For each element of `shape`, the flat index of the element of `from` that broadcasts onto it. */
export function broadcastIndices(from: readonly number[], shape: readonly number[]): Int32Array {
  const offset = shape.length - from.length;
  const fromStrides = stridesOf(from);
  return stridedOffsets(
    shape,
    shape.map((_d, axis) => (axis < offset || from[axis - offset] === 1 ? 0 : fromStrides[axis - offset])),
  );
}

/** Applies `fn` to each pair of broadcast elements of `tensors`, writing a tensor of `dtype`. */
export function broadcastMap(tensors: readonly HostTensor[], dtype: HostDtype, fn: (values: number[]) => number): HostTensor | undefined {
  let shape: number[] | undefined = [];
  for (const t of tensors) shape = shape && broadcastShape(shape, t.shape);
  if (!shape) return undefined;
  const out = allocate(dtype, shape);
  const maps = tensors.map((t) => broadcastIndices(t.shape, shape));
  const values = new Array<number>(tensors.length);
  for (let i = 0; i < out.data.length; i++) {
    for (let k = 0; k < tensors.length; k++) values[k] = tensors[k].data[maps[k][i]];
    out.data[i] = fn(values);
  }
  return out;
}
