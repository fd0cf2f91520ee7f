/** A tensor held in memory while the converter folds constants: row-major, TF's element types. */
export type HostDtype = 'float32' | 'int32' | 'bool';

export interface HostTensor {
  dtype: HostDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

export function allocate(dtype: HostDtype, shape: readonly number[]): HostTensor {
  const size = sizeOf(shape);
  const data = dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
  return { dtype, shape: [...shape], data };
}

export function fromValues(dtype: HostDtype, shape: readonly number[], values: ArrayLike<number>): HostTensor {
  const tensor = allocate(dtype, shape);
  tensor.data.set(values);
  return tensor;
}

/** The values as plain numbers, e.g. an axis list or a shape. */
export function valuesOf(tensor: HostTensor): number[] {
  return Array.from(tensor.data);
}
